//! Reading level of a worksheet's prose, on the scale made for its
//! language: Flesch–Kincaid grade for English, Fernández-Huerta reading
//! ease for Spanish (an English grade on Spanish text means nothing: its
//! words are longer in syllables for the same ease).
//!
//! Clients read these pages under stress, so the English library aims at
//! about grade 6 and never above 8, the Spanish one at an ease of 70 or
//! more. Syllables are counted by rule (English: vowel groups; Spanish:
//! vowel groups split at hiatus); an estimate, which is what a writing
//! target needs.

use crate::model::{plain, Block, Worksheet};

/// Words, sentences and syllables counted over some prose.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Counts {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
}

impl Counts {
    /// Flesch–Kincaid grade level; 0 for no text.
    pub fn grade(&self) -> f32 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        0.39 * self.words as f32 / self.sentences as f32
            + 11.8 * self.syllables as f32 / self.words as f32
            - 15.59
    }

    /// Fernández-Huerta reading ease (Spanish), in the corrected form
    /// with words per sentence: 206.84 − 60·syllables/word − 1.02·words/
    /// sentence. 70–80 is easy ("bastante fácil"), 60–70 normal. 0 for no
    /// text.
    pub fn ease_es(&self) -> f32 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        206.84
            - 60.0 * self.syllables as f32 / self.words as f32
            - 1.02 * self.words as f32 / self.sentences as f32
    }

    /// Adds one unit of English text: see [`Counts::add_in`].
    pub fn add(&mut self, unit: &str) {
        self.add_in(unit, syllables);
    }

    /// Adds one unit of text: a paragraph, a list item, a prompt. A unit
    /// that ends without a full stop (a list item, a heading) still counts
    /// as a sentence. `syllables` counts a word's, for the language.
    pub fn add_in(&mut self, unit: &str, syllables: fn(&str) -> usize) {
        let mut words_in_sentence = 0;
        for token in unit.split_whitespace() {
            let word: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
            if !word.is_empty() {
                self.words += 1;
                self.syllables += syllables(&word);
                words_in_sentence += 1;
            }
            let bare = token.trim_end_matches(['”', '»', '"', '\'', ')']);
            if bare.ends_with(['.', '!', '?', '…']) {
                if words_in_sentence > 0 {
                    self.sentences += 1;
                }
                words_in_sentence = 0;
            }
        }
        if words_in_sentence > 0 {
            self.sentences += 1;
        }
    }
}

/// Counts over every piece of prose a client reads in the worksheet, with
/// English syllables.
pub fn counts(ws: &Worksheet) -> Counts {
    counts_in(ws, syllables)
}

fn counts_in(ws: &Worksheet, syllables: fn(&str) -> usize) -> Counts {
    let mut c = Counts::default();
    c.add_in(&ws.title.plain(), syllables);
    for t in ws.blocks.iter().flat_map(Block::prose) {
        c.add_in(&plain(t), syllables);
    }
    c
}

/// A worksheet's reading level on its language's scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// Flesch–Kincaid grade (English): lower is easier.
    Grade(f32),
    /// Fernández-Huerta reading ease (Spanish): higher is easier.
    EaseEs(f32),
}

impl Reading {
    /// Its language's scale for `ws`, or `None` for a language with no
    /// scale here (no English grade is given for it).
    pub fn of(ws: &Worksheet) -> Option<Reading> {
        match crate::locale::primary(&ws.language).as_str() {
            "en" => Some(Reading::Grade(counts(ws).grade())),
            "es" => Some(Reading::EaseEs(counts_in(ws, syllables_es).ease_es())),
            _ => None,
        }
    }
}

/// Syllables in one Spanish word: each group of vowels is one syllable,
/// except that two strong vowels (a, e, o, or an accented í or ú) side by
/// side are two (hiatus: "le-er", "rí-o"); a weak vowel (i, u, ü) joins
/// its neighbour (diphthongs: "cie-lo", "cui-da"). A final y after a
/// vowel is a vowel ("hoy", "muy"); a silent u (que, gui) falls inside
/// its group.
pub fn syllables_es(word: &str) -> usize {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    if !w.iter().any(|c| c.is_alphabetic()) {
        return 1;
    }
    let strong = |c: char| "aeoáéóíú".contains(c);
    let vowel = |i: usize| {
        let c = w[i];
        "aeiouáéíóúü".contains(c)
            || (c == 'y' && i + 1 == w.len() && i > 0 && "aeiou".contains(w[i - 1]))
    };
    let mut n = 0;
    let mut i = 0;
    while i < w.len() {
        if !vowel(i) {
            i += 1;
            continue;
        }
        let mut strongs = 0;
        while i < w.len() && vowel(i) {
            strongs += usize::from(strong(w[i]));
            i += 1;
        }
        n += strongs.max(1);
    }
    n.max(1)
}

/// Estimated syllables in one word.
pub fn syllables(word: &str) -> usize {
    let w = word.to_lowercase();
    if w.chars().all(|c| c.is_ascii_digit()) {
        return 1;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let chars: Vec<char> = w.chars().collect();
    let mut n: usize = 0;
    let mut prev = false;
    for &c in &chars {
        let v = vowel(c);
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    // A silent final e ("make"), but not "-le" after a consonant ("little").
    if chars.len() > 2 && chars[chars.len() - 1] == 'e' {
        let before = chars[chars.len() - 2];
        let consonant_le = before == 'l' && !vowel(chars[chars.len() - 3]);
        if !consonant_le && !vowel(before) {
            n = n.saturating_sub(1);
        }
    }
    n.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_syllables_split_at_hiatus_and_join_diphthongs() {
        for (w, n) in [
            ("pareja", 3),
            ("confianza", 3),
            ("cuidado", 3),
            ("leer", 2),
            ("día", 2),
            ("río", 2),
            ("cielo", 2),
            ("hoy", 1),
            ("muy", 1),
            ("que", 1),
            // RAE (2010): "guion", "guiar" are one syllable in writing.
            ("guiar", 1),
            ("pingüino", 3),
            ("aéreo", 4),
            ("sentimientos", 4),
            ("y", 1),
            ("988", 1),
        ] {
            assert_eq!(syllables_es(w), n, "{w}");
        }
    }

    #[test]
    fn spanish_ease_rewards_short_sentences_and_words() {
        let mut easy = Counts::default();
        easy.add_in("Hoy nos vemos. Es un buen día. Yo te oigo.", syllables_es);
        let mut hard = Counts::default();
        hard.add_in(
            "Las intervenciones psicoterapéuticas requieren una consideración exhaustiva de las vulnerabilidades interpersonales relacionadas con el apego.",
            syllables_es,
        );
        assert!(easy.ease_es() > 80.0, "{}", easy.ease_es());
        assert!(hard.ease_es() < 40.0, "{}", hard.ease_es());
    }

    #[test]
    fn syllables_of_common_words() {
        for (w, n) in [
            ("make", 1),
            ("little", 2),
            ("partner", 2),
            ("trust", 1),
            ("together", 3),
            ("feelings", 2),
        ] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }

    #[test]
    fn simple_text_scores_low_and_dense_text_high() {
        let mut easy = Counts::default();
        easy.add("We sat down. We talked. It was hard, but we kept going.");
        let mut hard = Counts::default();
        hard.add("Psychotherapeutic interventions necessitate comprehensive consideration of interpersonal attachment vulnerabilities and organisational considerations.");
        assert!(easy.grade() < 3.0, "{}", easy.grade());
        assert!(hard.grade() > 14.0, "{}", hard.grade());
    }
}

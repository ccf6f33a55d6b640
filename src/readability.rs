//! Reading level of a worksheet's prose (Flesch–Kincaid grade).
//!
//! Clients read these pages under stress, so the library aims at about grade
//! 6 and never above 8. Syllables are counted with the usual vowel-group
//! heuristic; it is an estimate, good to about a grade, which is what a
//! writing target needs.

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

    /// Adds one unit of text: a paragraph, a list item, a prompt. A unit
    /// that ends without a full stop (a list item, a heading) still counts
    /// as a sentence.
    pub fn add(&mut self, unit: &str) {
        let mut words_in_sentence = 0;
        for token in unit.split_whitespace() {
            let word: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
            if !word.is_empty() {
                self.words += 1;
                self.syllables += syllables(&word);
                words_in_sentence += 1;
            }
            if token.ends_with(['.', '!', '?', '…'])
                || token.ends_with(".”")
                || token.ends_with("?”")
            {
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

/// Counts over every piece of prose a client reads in the worksheet.
pub fn counts(ws: &Worksheet) -> Counts {
    let mut c = Counts::default();
    c.add(&ws.title.plain());
    for t in ws.blocks.iter().flat_map(Block::prose) {
        c.add(&plain(t));
    }
    c
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

//! The Spanish library (`worksheets/es/`): every English sheet has its
//! Spanish counterpart with the same stage, audience and blocks in the same
//! order; each reads easily on the Spanish scale; each fits its pages; the
//! packets build.

use handouts::readability::Reading;
use handouts::spec::config::{self, Paper};
use handouts::spec::{parse_worksheet, read_source};
use std::path::{Path, PathBuf};

/// English folder, Spanish folder.
const STAGES: [(&str, &str); 4] = [
    ("overview", "panorama"),
    ("atone", "reparacion"),
    ("attune", "sintonia"),
    ("attach", "apego"),
];

fn yaml_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    v.sort();
    v
}

/// (English sheet, its Spanish counterpart), matched by their place in
/// the stage (both are numbered the same).
fn pairs() -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for (en, es) in STAGES {
        let en = yaml_in(&Path::new("worksheets").join(en));
        let es = yaml_in(&Path::new("worksheets/es").join(es));
        assert_eq!(en.len(), es.len(), "{es:?} against {en:?}");
        out.extend(en.into_iter().zip(es));
    }
    assert!(out.len() >= 14);
    out
}

/// What a spec is made of: each block's kind and whether it is for the
/// facilitator only, in order; its stage and audience.
fn shape(path: &Path) -> (Vec<String>, String) {
    let v: serde_yaml::Value = serde_yaml::from_str(&read_source(path).unwrap()).unwrap();
    let blocks = v["blocks"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|b| match b {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Mapping(m) => {
                let kind = m.keys().next().unwrap().as_str().unwrap().to_owned();
                let only = m.get("only").and_then(|o| o.as_str()).unwrap_or("");
                format!("{kind} {only}")
            }
            other => panic!("{other:?}"),
        })
        .collect();
    let head = format!("{:?} {:?}", v["stage"], v["for"]);
    (blocks, head)
}

#[test]
fn every_english_sheet_has_a_spanish_one_of_the_same_shape() {
    for (en, es) in pairs() {
        let (a, b) = (shape(&en), shape(&es));
        assert_eq!(a.1, b.1, "{}: stage and audience", es.display());
        assert_eq!(
            a.0,
            b.0,
            "{}: blocks differ from {}",
            es.display(),
            en.display()
        );
        let src = read_source(&es).unwrap();
        assert!(
            src.starts_with(
                "# yaml-language-server: $schema=../../../schema/handouts.schema.json\n"
            ),
            "{}",
            es.display()
        );
        assert!(src.contains("Gottman") && src.contains("CC BY 4.0"));
    }
}

#[test]
fn the_spanish_library_reads_easily_on_the_spanish_scale() {
    let cfg = config::load(Path::new("worksheets/es/handouts.yaml")).unwrap();
    assert!(cfg.language.starts_with("es"));
    let mut eases = Vec::new();
    for (_, path) in pairs() {
        let src = read_source(&path).unwrap();
        let spec = parse_worksheet(&path, &src).unwrap();
        let ws = handouts::model::validate(&spec, &cfg, &path, &src, &Default::default()).unwrap();
        let Some(Reading::EaseEs(e)) = Reading::of(&ws) else {
            panic!("{}: not graded on the Spanish scale", path.display())
        };
        eprintln!("{}: Fernández-Huerta {e:.1}", path.display());
        assert!(e >= 60.0, "{}: reading ease {e:.1}", path.display());
        eases.push(e);
    }
    let mean = eases.iter().sum::<f32>() / eases.len() as f32;
    assert!(mean >= 70.0, "mean reading ease {mean:.1}");
}

#[test]
fn each_spanish_sheet_fits_one_to_three_pages() {
    let cfg = config::load(Path::new("worksheets/es/handouts.yaml")).unwrap();
    for (_, path) in pairs() {
        for paper in [Paper::Letter, Paper::A4] {
            let doc = handouts::compile(&path, &cfg, paper).unwrap().doc;
            let n = doc.pages.len();
            assert!((1..=3).contains(&n), "{}: {n} pages", path.display());
            assert_eq!(doc.language, "es-US");
        }
    }
}

#[test]
fn the_spanish_packets_build_with_their_sheets() {
    let cfg = config::load(Path::new("worksheets/es/handouts.yaml")).unwrap();
    let packets = yaml_in(Path::new("worksheets/es/paquetes"));
    assert!(packets.len() >= 4, "{packets:?}");
    let vars: handouts::placeholder::Vars = [
        ("partner_a", "Ana"),
        ("partner_b", "Luis"),
        ("session_date", "3 de mayo"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for path in packets {
        let (p, _) = handouts::packet::Packet::load(&path, cfg.clone())
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let b = handouts::packet::Build {
            paper: Paper::Letter,
            edition: handouts::model::Edition::Client,
            duplex: true,
            vars: Some(&vars),
            fillable: true,
        };
        let doc = p
            .assemble(&b)
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
            .0;
        assert!(doc.pages.len() > 3);
        // Every worksheet it lists is a Spanish one.
        let src = read_source(&path).unwrap();
        assert!(!src.contains("../atone/") && !src.contains("../overview/"));
    }
}

#[test]
fn each_english_packet_names_its_spanish_translation() {
    for (en, es) in [
        ("atone", "reparacion"),
        ("attune", "sintonia"),
        ("attach", "apego"),
        ("intensive", "intensivo"),
    ] {
        let path = Path::new("worksheets/packets").join(format!("{en}.yaml"));
        let src = read_source(&path).unwrap();
        let want = format!("es: ../es/paquetes/{es}.yaml");
        assert!(src.contains(&want), "{}: no `{want}`", path.display());
        assert!(Path::new("worksheets/es/paquetes")
            .join(format!("{es}.yaml"))
            .is_file());
    }
}

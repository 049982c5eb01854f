//! The quality gate: extraction must not get worse on the annotated real articles in `../shared`.
//!
//! Each set is scored with `guanxi eval` as a user would (each dev set with its own gold dictionary). The test fails
//! when a set's overall F1 drops more than 0.02 below the figure recorded when issue 14 was resolved, or when the
//! seeds' precision or recall drops below 0.95. Skipped with a message where `../shared` is absent. Raise the
//! recorded figures when extraction improves.

mod common;

use common::*;

/// F1 recorded at resolution, per set: (gold file, dictionary, corpus folder, F1).
const RECORDED: &[(&str, Option<&str>, &str, f64)] = &[
    ("gold/seeds.jsonl", None, "corpus/seeds", 0.978),
    ("gold/dev-wf.jsonl", Some("gold/dev-wf.dictionary.csv"), "corpus/dev-wf", 0.798),
    ("gold/dev-cn.jsonl", Some("gold/dev-cn.dictionary.csv"), "corpus/dev-cn", 0.897),
];
const SLACK: f64 = 0.02;

#[test]
fn f1_on_the_annotated_sets_does_not_drop() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for &(gold, dict, corpus, recorded) in RECORDED {
        let mut spec = shared.join(gold).display().to_string();
        if let Some(d) = dict {
            spec = format!("{spec}:{}", shared.join(d).display());
        }
        let corpus = shared.join(corpus);
        let out = guanxi(&["eval", "--gold", &spec, corpus.to_str().unwrap()], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (p, r, f1) = overall(&text);
        eprintln!("{gold}: precision {p:.3} recall {r:.3} f1 {f1:.3} (recorded {recorded:.3})");
        if f1 < recorded - SLACK {
            failures.push(format!("{gold}: F1 {f1:.3} is more than {SLACK} below the recorded {recorded:.3}\n{text}"));
        }
        if dict.is_none() && (p < 0.95 || r < 0.95) {
            failures.push(format!("{gold}: precision {p:.3} and recall {r:.3} must stay at 0.95 or more\n{text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

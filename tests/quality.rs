//! The quality gate: extraction must not get worse on the annotated real articles in `../shared`.
//!
//! Two gates, each scoring with `guanxi eval` as a user would:
//! - the dictionaries and rules (`--no-discover`, each set with its own gold dictionary): a set's overall F1 may
//!   not drop more than 0.02 below the figure recorded (the dev sets' when issue 14 was resolved, the seeds' when
//!   their gold was redone to the guidelines in issue 26), and the seeds' precision stays at 0.95 or more;
//! - discovery, as a new user runs it (the built-in dictionaries only, discovery on by default): each dev set's
//!   entity F1 and relation F1 may not drop more than 0.02 below the figures recorded in issue 15.
//!
//! Skipped with a message where `../shared` is absent. Raise the recorded figures when extraction improves.

mod common;

use common::*;

/// F1 recorded at resolution, per set: (gold file, dictionary, corpus folder, F1). dev-wf's was 0.798 when issue 14
/// was resolved; it is 0.777 since a company named only inside its project's name no longer invests in it (the
/// gold marks 10 of those 15 relations optional). The seeds' gold was redone to the guidelines (125 entities and 55
/// required relations, against 73 and 22): with its own dictionary the same binary scores P 1.000 R 0.745 F1 0.854.
const RECORDED: &[(&str, Option<&str>, &str, f64)] = &[
    ("gold/seeds.jsonl", Some("gold/seeds.dictionary.csv"), "corpus/seeds", 0.854),
    ("gold/dev-wf.jsonl", Some("gold/dev-wf.dictionary.csv"), "corpus/dev-wf", 0.777),
    ("gold/dev-cn.jsonl", Some("gold/dev-cn.dictionary.csv"), "corpus/dev-cn", 0.897),
];
const SLACK: f64 = 0.02;

/// Runs `guanxi eval` and returns what it printed.
fn eval(args: &[&str], dir: &std::path::Path) -> String {
    let out = guanxi(args, dir);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

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
        let text = eval(&["eval", "--no-discover", "--gold", &spec, corpus.to_str().unwrap()], dir.path());
        let (p, r, f1) = overall(&text);
        eprintln!("{gold}: precision {p:.3} recall {r:.3} f1 {f1:.3} (recorded {recorded:.3})");
        if f1 < recorded - SLACK {
            failures.push(format!("{gold}: F1 {f1:.3} is more than {SLACK} below the recorded {recorded:.3}\n{text}"));
        }
        if gold.contains("seeds") && p < 0.95 {
            failures.push(format!("{gold}: precision {p:.3} must stay at 0.95 or more\n{text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Entity F1 and relation F1 recorded in issue 15 with the built-in dictionaries only: (gold file, corpus folder,
/// entity F1, relation F1).
const DISCOVERY: &[(&str, &str, f64, f64)] =
    &[("gold/dev-wf.jsonl", "corpus/dev-wf", 0.784, 0.464), ("gold/dev-cn.jsonl", "corpus/dev-cn", 0.828, 0.637)];

#[test]
fn discovery_with_the_built_in_dictionaries_does_not_drop() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for &(gold, corpus, entities, relations) in DISCOVERY {
        let gold = shared.join(gold);
        let corpus = shared.join(corpus);
        let text = eval(&["eval", "--gold", gold.to_str().unwrap(), corpus.to_str().unwrap()], dir.path());
        let (_, _, f1) = overall(&text);
        // The `(entities)` row of the last table (all sets): its last column is the F1.
        let entity_f1: f64 = text
            .lines()
            .rfind(|l| l.starts_with("(entities)"))
            .and_then(|l| l.split_whitespace().last())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no (entities) row\n{text}"));
        eprintln!(
            "{}: entity F1 {entity_f1:.3} (recorded {entities:.3}), relation F1 {f1:.3} (recorded {relations:.3})",
            gold.display()
        );
        if entity_f1 < entities - SLACK || f1 < relations - SLACK {
            failures.push(format!("{}: entity F1 {entity_f1:.3}, relation F1 {f1:.3} dropped\n{text}", gold.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

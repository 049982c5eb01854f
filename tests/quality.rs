//! The quality gate: extraction must not get worse on the annotated real articles in `../shared`.
//!
//! Three gates, each scoring with `guanxi eval` as a user would:
//! - the trained model on the check split of issue 14 (wf-19…25, cn-15…20), which it was never trained on, with the
//!   sets' dictionaries and with the built-in ones only: relation F1 and (built-in) entity F1 may not drop more than
//!   0.02 below the figures recorded when the model was trained in issue 27, and the seeds (which it was trained
//!   on) keep a precision of 0.95 or more;
//! - the dictionaries and rules alone (`--no-model --no-discover`, each set with its own gold dictionary): a set's overall F1 may
//!   not drop more than 0.02 below the figure recorded (the dev sets' when issue 14 was resolved, the seeds' when
//!   their gold was redone to the guidelines in issue 26), and the seeds' precision stays at 0.95 or more;
//! - discovery by the rules (`--no-model`, the built-in dictionaries only, discovery on by default): each dev set's
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
        let text =
            eval(&["eval", "--no-model", "--no-discover", "--gold", &spec, corpus.to_str().unwrap()], dir.path());
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
        let text =
            eval(&["eval", "--no-model", "--gold", gold.to_str().unwrap(), corpus.to_str().unwrap()], dir.path());
        let (_, _, f1) = overall(&text);
        let entity_f1 = entity_f1(&text);
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

/// The `(entities)` row of the last table (all sets): its last column is the F1.
fn entity_f1(text: &str) -> f64 {
    text.lines()
        .rfind(|l| l.starts_with("(entities)"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no (entities) row\n{text}"))
}

/// The model's figures on the check split, recorded when the shipped model was trained (issue 27): with the sets'
/// dictionaries, relation P / R / F1 0.670 / 0.793 / 0.726; built-in dictionaries only, relation 0.754 / 0.561 /
/// 0.643 and entities 0.780 / 0.736 / 0.757. The rules alone (`--no-model`) score 0.902 / 0.671 / 0.769 and
/// 0.542 / 0.317 / 0.400 there (entities 0.745 / 0.638 / 0.687).
const CHECK_WITH_DICTIONARIES: f64 = 0.726;
const CHECK_BUILT_IN: (f64, f64) = (0.643, 0.757);

/// The check split's documents and gold, with (`true`) or without the sets' dictionaries.
fn check_split(shared: &std::path::Path, dictionaries: bool) -> Vec<String> {
    let mut args = Vec::new();
    for set in ["dev-wf", "dev-cn"] {
        let gold = shared.join(format!("gold/{set}.jsonl")).display().to_string();
        let dict = shared.join(format!("gold/{set}.dictionary.csv")).display().to_string();
        args.push("--gold".to_string());
        args.push(if dictionaries { format!("{gold}:{dict}") } else { gold });
    }
    let docs = (19..=25).map(|n| format!("corpus/dev-wf/wf-{n:02}.txt"));
    args.extend(
        docs.chain((15..=20).map(|n| format!("corpus/dev-cn/cn-{n:02}.txt")))
            .map(|d| shared.join(d).display().to_string()),
    );
    args
}

#[test]
fn the_model_on_the_check_split_it_never_saw_does_not_drop() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let run = |dictionaries: bool| {
        let mut args = vec!["eval".to_string()];
        args.extend(check_split(&shared, dictionaries));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        eval(&args, dir.path())
    };
    let mut failures = Vec::new();
    let text = run(true);
    let (p, r, f1) = overall(&text);
    eprintln!(
        "check split, sets' dictionaries: P {p:.3} R {r:.3} F1 {f1:.3} (recorded F1 {CHECK_WITH_DICTIONARIES:.3})"
    );
    if f1 < CHECK_WITH_DICTIONARIES - SLACK {
        failures.push(format!("with the sets' dictionaries: F1 {f1:.3} dropped\n{text}"));
    }
    let text = run(false);
    let (p, r, f1) = overall(&text);
    let entities = entity_f1(&text);
    eprintln!("check split, built-in dictionaries: P {p:.3} R {r:.3} F1 {f1:.3}, entity F1 {entities:.3} (recorded {CHECK_BUILT_IN:?})");
    if f1 < CHECK_BUILT_IN.0 - SLACK || entities < CHECK_BUILT_IN.1 - SLACK {
        failures.push(format!("built-in dictionaries: F1 {f1:.3}, entity F1 {entities:.3} dropped\n{text}"));
    }
    let seeds =
        format!("{}:{}", shared.join("gold/seeds.jsonl").display(), shared.join("gold/seeds.dictionary.csv").display());
    let text = eval(&["eval", "--gold", &seeds, shared.join("corpus/seeds").to_str().unwrap()], dir.path());
    let (p, r, f1) = overall(&text);
    eprintln!("seeds (trained on), own dictionary: P {p:.3} R {r:.3} F1 {f1:.3}");
    if p < 0.95 {
        failures.push(format!("seeds: precision {p:.3} must stay at 0.95 or more\n{text}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

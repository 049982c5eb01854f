//! The trained model from the command line: `guanxi train` is deterministic, `guanxi model info` shows what a model
//! holds, `--model DIR` reads with a user's own model, `--no-model` with the rules alone, and a damaged model is an
//! error that names its file. Training here reads the example corpus and its hand-written gold (three articles),
//! which is enough to check the mechanics, not the quality.

mod common;

use common::*;

/// Trains a model on the example corpus into `dir/name` and returns the run's output.
fn train(dir: &std::path::Path, name: &str) -> std::process::Output {
    let gold = examples().parent().unwrap().join("gold.jsonl");
    let corpus = examples();
    let out = guanxi(
        &["train", "--gold", gold.to_str().unwrap(), corpus.to_str().unwrap(), "--folds", "3", "-o", name, "-q"],
        dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    all.sort();
    all
}

#[test]
fn training_twice_on_the_same_input_gives_a_byte_identical_model() {
    let dir = tempfile::tempdir().unwrap();
    train(dir.path(), "a");
    train(dir.path(), "b");
    let (a, b) = (files(&dir.path().join("a")), files(&dir.path().join("b")));
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["model.json", "scorer.json", "tagger.gxt"]);
    assert_eq!(a, b, "two trainings differ");
}

#[test]
fn model_info_describes_a_trained_and_the_built_in_model() {
    let dir = tempfile::tempdir().unwrap();
    train(dir.path(), "m");
    let out = guanxi(&["model", "info", "m"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // The three example articles, one pass each with and without a dictionary that lists every name.
    for want in ["guanxi-model version 1", "documents: 3", "tagger: tagger.gxt", "scorer: scorer.json", "leads"] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    let out = guanxi(&["model", "info"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.starts_with("model: built-in"), "{text}");
    for relation in ["leads (threshold", "located-in (threshold", "invests-in (threshold"] {
        assert!(text.contains(relation), "{relation} missing from {text}");
    }
}

#[test]
fn a_users_model_is_read_with_model_and_the_rules_alone_with_no_model() {
    let dir = tempfile::tempdir().unwrap();
    train(dir.path(), "m");
    let corpus = examples();
    let corpus = corpus.to_str().unwrap();
    for (flags, name) in [(vec!["--model", "m"], "m.json"), (vec!["--no-model"], "n.json"), (vec![], "d.json")] {
        let mut all = vec!["build", corpus, "-o", name, "-q"];
        all.extend(flags);
        let out = guanxi(&all, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let typed_confidences = |name: &str| -> Vec<bool> {
        let g = json(&dir.path().join(name));
        let edges = g["edges"].as_array().unwrap().iter().filter(|e| e["relation"] != "co-occurs");
        edges.map(|e| e["confidence"].is_number()).collect()
    };
    // The built-in model scores every typed edge of the examples; a model trained on three articles has not seen
    // every rule fire, and keeps what an unseen rule finds without a confidence; the rules alone give none.
    let c = typed_confidences("d.json");
    assert!(!c.is_empty() && c.iter().all(|&c| c), "d.json: {c:?}");
    let c = typed_confidences("m.json");
    assert!(c.iter().filter(|&&c| c).count() * 2 > c.len(), "m.json: {c:?}");
    assert!(typed_confidences("n.json").iter().all(|&c| !c));
}

#[test]
fn a_missing_or_damaged_model_is_an_error_that_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    train(dir.path(), "m");
    std::fs::write(dir.path().join("a.txt"), "德纳在综保区投资建设新能源汽车动力产业园。").unwrap();
    let out = guanxi(&["build", "a.txt", "--model", "nowhere", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
    let scorer = dir.path().join("m/scorer.json");
    let text = std::fs::read(&scorer).unwrap();
    std::fs::write(&scorer, &text[..text.len() / 2]).unwrap();
    let out = guanxi(&["build", "a.txt", "--model", "m", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("scorer.json"), "{}", stderr(&out));
    assert!(!dir.path().join("g.json").exists(), "no output after a model error");
    let tagger = dir.path().join("m/tagger.gxt");
    train(dir.path(), "m");
    let mut bytes = std::fs::read(&tagger).unwrap();
    bytes.truncate(bytes.len() - 7);
    std::fs::write(&tagger, bytes).unwrap();
    let out = guanxi(&["build", "a.txt", "--model", "m", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("tagger.gxt"), "{}", stderr(&out));
}

#[test]
fn cross_validation_scores_each_fold_on_documents_it_did_not_train_on() {
    let dir = tempfile::tempdir().unwrap();
    let gold = examples().parent().unwrap().join("gold.jsonl");
    let corpus = examples();
    let out = guanxi(&["eval", "--cv", "3", "--gold", gold.to_str().unwrap(), corpus.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    for want in ["relation", "leads", "located-in", "invests-in", "overall"] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    // Three documents make three folds of one; a fourth fold would be empty.
    let out = guanxi(&["eval", "--cv", "4", "--gold", gold.to_str().unwrap(), corpus.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("needs at least 4 documents with gold, and there are 3"), "{}", stderr(&out));
}

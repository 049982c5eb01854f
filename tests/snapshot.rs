//! Outputs kept byte-identical on purpose: every export format, `extract`, `suggest`, `explain` and the `eval`
//! tables, on the example corpus and on each annotated set in `../shared`, compared with digests recorded in
//! `tests/snapshots.sha256`.
//!
//! A change that alters extraction on purpose records new digests with `GUANXI_BLESS=1 cargo test --test snapshot`
//! and says why in its commit. Only digests are kept: the outputs of the shared sets quote their sentences, which
//! may not be copied into the project. When a digest differs, the outputs are written to `target/snapshot/` so that
//! they can be compared with those of the previous commit.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use sha2::{Digest, Sha256};

/// Every annotated set in `../shared`: `corpus/SET/`, `gold/SET.jsonl` and `gold/SET.dictionary.csv`.
const SETS: &[&str] =
    &["seeds", "dev-wf", "dev-cn", "train-wf", "train-north", "train-biz", "train-sd", "train-central", "train-biz2"];

/// The export formats of one build, by output name.
const OUTPUTS: &[&str] = &["g.json", "g.graphml", "g.gexf", "g.dot", "g.html", "g.neo4j", "g.csv"];

fn stdout_of(args: &[&str], dir: &Path) -> Vec<u8> {
    let out = guanxi(args, dir);
    assert!(out.status.success(), "guanxi {args:?}: {}", stderr(&out));
    out.stdout
}

/// Every output of one corpus, by a name saying what produced it.
fn outputs_of(corpus: &Path, gold: Option<(&Path, &Path)>, explain: bool) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus.to_str().unwrap();
    let mut outputs = BTreeMap::new();
    let mut args = vec!["build", corpus, "-q"];
    for o in OUTPUTS {
        args.extend(["-o", o]);
    }
    stdout_of(&args, dir.path());
    for o in OUTPUTS {
        let path = dir.path().join(o);
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()).collect();
            files.sort();
            for f in files {
                let name = format!("build/{o}/{}", f.file_name().unwrap().to_string_lossy());
                outputs.insert(name, std::fs::read(&f).unwrap());
            }
        } else {
            outputs.insert(format!("build/{o}"), std::fs::read(&path).unwrap());
        }
    }
    // The rules alone (`--no-model`), kept as they were before the model came.
    stdout_of(&["build", corpus, "-q", "--no-model", "-o", "rules.json"], dir.path());
    outputs.insert("build-no-model/g.json".into(), std::fs::read(dir.path().join("rules.json")).unwrap());
    outputs.insert("extract".into(), stdout_of(&["extract", corpus, "-q"], dir.path()));
    outputs.insert("suggest".into(), stdout_of(&["suggest", corpus], dir.path()));
    if explain {
        let mut docs: Vec<_> = std::fs::read_dir(corpus).unwrap().map(|e| e.unwrap().path()).collect();
        docs.sort();
        for d in docs.iter().filter(|d| d.extension().is_some_and(|e| e == "txt")) {
            let name = format!("explain/{}", d.file_name().unwrap().to_string_lossy());
            outputs.insert(name, stdout_of(&["explain", d.to_str().unwrap()], dir.path()));
        }
    }
    if let Some((gold, dict)) = gold {
        let (gold, dict) = (gold.to_str().unwrap(), dict.to_str().unwrap());
        let with_dict = format!("{gold}:{dict}");
        let runs: [(&str, Vec<&str>); 4] = [
            ("eval", vec!["eval", "--gold", gold, corpus]),
            ("eval-dict", vec!["eval", "--gold", &with_dict, corpus]),
            ("eval-dict-no-discover", vec!["eval", "--no-discover", "--gold", &with_dict, corpus]),
            ("eval-no-model", vec!["eval", "--no-model", "--gold", gold, corpus]),
        ];
        for (name, args) in runs {
            outputs.insert(name.into(), stdout_of(&args, dir.path()));
        }
    }
    outputs
}

/// Every output of every corpus present, as `set/output` → bytes.
fn all_outputs() -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut add = |set: &str, outputs: BTreeMap<String, Vec<u8>>| {
        all.extend(outputs.into_iter().map(|(k, v)| (format!("{set}/{k}"), v)));
    };
    add("examples", outputs_of(&examples(), None, true));
    if let Some(shared) = shared() {
        for set in SETS {
            let gold = shared.join(format!("gold/{set}.jsonl"));
            let dict = shared.join(format!("gold/{set}.dictionary.csv"));
            add(set, outputs_of(&shared.join("corpus").join(set), Some((&gold, &dict)), *set == "seeds"));
        }
    }
    all
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn outputs_are_those_recorded() {
    let recorded_path = root().join("tests/snapshots.sha256");
    let all = all_outputs();
    let digests: BTreeMap<&str, String> = all.iter().map(|(k, v)| (k.as_str(), hex(v))).collect();
    if std::env::var_os("GUANXI_BLESS").is_some() {
        let text: String = digests.iter().map(|(k, d)| format!("{d}  {k}\n")).collect();
        std::fs::write(&recorded_path, text).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&recorded_path).unwrap();
    let recorded: BTreeMap<&str, &str> =
        recorded.lines().filter_map(|l| l.split_once("  ")).map(|(d, k)| (k, d)).collect();
    let mut differ = Vec::new();
    for (name, digest) in &digests {
        match recorded.get(name) {
            Some(r) if r == digest => {}
            Some(_) => differ.push(format!("{name} differs")),
            None => differ.push(format!("{name} is not recorded")),
        }
    }
    // A recorded output of a set that ran must still be produced.
    for name in recorded.keys() {
        let set = name.split('/').next().unwrap_or_default();
        let ran = digests.keys().any(|k| k.starts_with(&format!("{set}/")));
        if ran && !digests.contains_key(name) {
            differ.push(format!("{name} is no longer produced"));
        }
    }
    if !differ.is_empty() {
        let out = root().join("target/snapshot");
        for (name, bytes) in &all {
            let path = out.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        panic!(
            "{} of {} outputs differ from tests/snapshots.sha256 (written to {}):\n{}",
            differ.len(),
            digests.len(),
            out.display(),
            differ.join("\n")
        );
    }
}

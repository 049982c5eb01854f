//! Scale-out and incremental builds: `extract | merge` and `build --update` give exactly what `build` gives, and
//! the Spark example does too.

mod common;
use common::*;

use std::path::Path;

/// The example corpus as JSON Lines, one record per file with the file name as id: `build` on it gives the same
/// graph as `build` on the directory.
fn examples_jsonl(dir: &Path) -> std::path::PathBuf {
    let mut names: Vec<_> = std::fs::read_dir(examples()).unwrap().flatten().map(|e| e.path()).collect();
    names.sort();
    let mut out = String::new();
    for path in names {
        let id = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        out.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
        out.push('\n');
    }
    let file = dir.join("docs.jsonl");
    std::fs::write(&file, out).unwrap();
    file
}

#[test]
fn extract_then_merge_equals_build_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let docs = examples_jsonl(dir.path());
    let docs = docs.to_str().unwrap();
    run_ok(&args(&["build", examples().to_str().unwrap(), "-q"], outputs("built")), dir.path(), None);
    let stdin = std::fs::read(docs).unwrap();
    let extracted = run_ok(&args(&["extract", "-j", "2"], vec![]), dir.path(), Some(&stdin));
    let text = String::from_utf8(extracted.stdout.clone()).unwrap();
    // One line per document, in input order, each a result whose entity counts add up to its mentions.
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = lines.iter().map(|l| l["document"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["01_bonded_zone.txt", "02_companies.txt", "03_investment.txt"]);
    assert!(lines.iter().all(|l| l["format"] == "guanxi-extract" && !l["relations"].as_array().unwrap().is_empty()));
    run_ok(&args(&["merge", "-q"], outputs("merged")), dir.path(), Some(&extracted.stdout));
    assert_same_outputs(dir.path(), "built", "merged");

    // Results split over files (as partitions would be) merge to the same graph, and -j 1 extracts the same.
    let single = run_ok(&args(&["extract", "-j", "1", docs], vec![]), dir.path(), None);
    assert_eq!(single.stdout, extracted.stdout);
    let (first, rest) = text.split_at(text.find('\n').unwrap() + 1);
    std::fs::write(dir.path().join("part-0"), first).unwrap();
    std::fs::write(dir.path().join("part-1"), rest).unwrap();
    run_ok(&args(&["merge", "part-0", "part-1", "-q"], outputs("parts")), dir.path(), None);
    assert_same_outputs(dir.path(), "built", "parts");
}

#[test]
fn extract_and_merge_agree_with_build_on_the_seeds() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let seeds = shared.join("corpus/seeds");
    let seeds = seeds.to_str().unwrap();
    run_ok(&args(&["build", seeds, "-q"], outputs("built")), dir.path(), None);
    let extracted = run_ok(&args(&["extract", seeds], vec![]), dir.path(), None);
    run_ok(&args(&["merge", "-q"], outputs("merged")), dir.path(), Some(&extracted.stdout));
    assert_same_outputs(dir.path(), "built", "merged");

    // With no memory for edges, every relation goes through a sorted temporary file: the same graph.
    run_ok(&args(&["build", seeds, "-q", "--edge-memory", "0"], outputs("spilled")), dir.path(), None);
    assert_same_outputs(dir.path(), "built", "spilled");
    run_ok(
        &args(&["merge", "-q", "--edge-memory", "0"], outputs("merged-spilled")),
        dir.path(),
        Some(&extracted.stdout),
    );
    assert_same_outputs(dir.path(), "built", "merged-spilled");
    for memory in ["0", "64"] {
        let out = format!("top-{memory}.dot");
        run_ok(
            &args(&["build", seeds, "-q", "--top", "10", "--edge-memory", memory, "-o", &out], vec![]),
            dir.path(),
            None,
        );
    }
    let top = std::fs::read_to_string(dir.path().join("top-0.dot")).unwrap();
    assert_eq!(top, std::fs::read_to_string(dir.path().join("top-64.dot")).unwrap());
    assert_eq!(top.lines().filter(|l| l.starts_with("  n") && l.contains("[label=") && !l.contains("->")).count(), 10);
}

#[test]
fn merge_refuses_bad_results_and_keeps_earlier_outputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.json"), "earlier").unwrap();
    let docs = std::fs::read(examples_jsonl(dir.path())).unwrap();
    let good = run_ok(&args(&["extract"], vec![]), dir.path(), Some(&docs)).stdout;
    let mut bad = good.clone();
    bad.extend_from_slice(b"{\"id\": \"not a result\"}\n");
    std::fs::write(dir.path().join("results"), &bad).unwrap();
    let out = guanxi(&["merge", "results", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("results:4"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("g.json")).unwrap(), "earlier");
    // Nothing to merge is an error too, not an empty graph.
    let out = guanxi_stdin(&["merge", "-o", "g.json"], dir.path(), Some(b"\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no extract results"), "{}", stderr(&out));
    // The same document twice: the second gets another id, as in build.
    let mut twice = good.clone();
    twice.extend_from_slice(&good[..good.iter().position(|&b| b == b'\n').unwrap() + 1]);
    let out = run_ok(&args(&["merge", "-o", "g.json"], vec![]), dir.path(), Some(&twice));
    assert!(stderr(&out).contains("'01_bonded_zone.txt' is used twice; using '01_bonded_zone.txt#2'"));
    let g = json(&dir.path().join("g.json"));
    assert_eq!(g["documents"].as_array().unwrap().len(), 4);
    assert_eq!(g["documents"][3]["id"], "01_bonded_zone.txt#2");
    // Typed edges keep three pieces of evidence: the second copy's evidence is there, under its new id.
    let mut evidence = g["edges"].as_array().unwrap().iter().flat_map(|e| e["evidence"].as_array().unwrap().iter());
    assert!(evidence.any(|ev| ev["doc"] == "01_bonded_zone.txt#2"));
}

/// The example corpus repeated `copies` times as JSON Lines, every record with its own id, in a known order.
fn repeated_examples(dir: &Path, copies: usize) -> (std::path::PathBuf, Vec<String>) {
    let mut names: Vec<_> = std::fs::read_dir(examples()).unwrap().flatten().map(|e| e.path()).collect();
    names.sort();
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|p| (p.file_name().unwrap().to_str().unwrap().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let (mut out, mut ids) = (String::new(), Vec::new());
    for copy in 0..copies {
        for (name, text) in &texts {
            let id = format!("{copy:05}-{name}");
            out.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
            out.push('\n');
            ids.push(id);
        }
    }
    let file = dir.join(format!("docs-{copies}.jsonl"));
    std::fs::write(&file, out).unwrap();
    (file, ids)
}

/// Enough documents for many extraction batches (512 documents each) and more than one chunk of JSON lines
/// (16,384 documents): one thread, several threads and a spool that spills at every edge all give the same files;
/// documents keep their input order, and every edge weighs the copies' sum.
#[test]
fn many_batches_give_the_same_graph_with_any_number_of_threads() {
    const COPIES: usize = 6_000;
    let dir = tempfile::tempdir().unwrap();
    let (once, _) = repeated_examples(dir.path(), 1);
    let (many, ids) = repeated_examples(dir.path(), COPIES);
    let (once, many) = (once.to_str().unwrap(), many.to_str().unwrap());
    run_ok(&args(&["build", once, "-q", "-o", "once.json"], vec![]), dir.path(), None);
    run_ok(&args(&["build", many, "-q", "-j", "1"], outputs("one")), dir.path(), None);
    run_ok(&args(&["build", many, "-q", "-j", "3"], outputs("three")), dir.path(), None);
    run_ok(&args(&["build", many, "-q", "-j", "2", "--edge-memory", "1"], outputs("spilled")), dir.path(), None);
    assert_same_outputs(dir.path(), "one", "three");
    assert_same_outputs(dir.path(), "one", "spilled");

    let (g, single) = (json(&dir.path().join("three.json")), json(&dir.path().join("once.json")));
    let documents: Vec<&str> = g["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(documents, ids);
    let weights = |g: &serde_json::Value| -> Vec<(String, String, String, u64)> {
        let mut v: Vec<_> = g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let s = |k: &str| e[k].as_str().unwrap().to_string();
                (s("source"), s("relation"), s("target"), e["weight"].as_u64().unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let expected: Vec<_> = weights(&single).into_iter().map(|(h, r, t, w)| (h, r, t, w * COPIES as u64)).collect();
    assert!(!expected.is_empty());
    assert_eq!(weights(&g), expected);
}

#[test]
fn update_adds_documents_as_if_built_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = examples();
    let file = |n: &str| corpus.join(n).to_str().unwrap().to_string();
    run_ok(&args(&["build", corpus.to_str().unwrap(), "-q"], outputs("all")), dir.path(), None);
    run_ok(&args(&["build", &file("01_bonded_zone.txt"), "-q", "-o", "part.json"], vec![]), dir.path(), None);
    let out = run_ok(
        &args(&["build", "--update", "part.json", &file("02_companies.txt"), &file("03_investment.txt")], vec![]),
        dir.path(),
        None,
    );
    assert!(stderr(&out).contains("2 documents added"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(dir.path().join("part.json")).unwrap(),
        std::fs::read(dir.path().join("all.json")).unwrap()
    );

    // Adding a document the graph holds changes nothing: it is skipped with a warning, not counted twice.
    let out = run_ok(
        &args(&["build", "--update", "part.json", &file("02_companies.txt")], outputs("again")),
        dir.path(),
        None,
    );
    assert!(stderr(&out).contains("'02_companies.txt' is already in the graph; skipped"), "{}", stderr(&out));
    assert_same_outputs(dir.path(), "all", "again");

    // A graph that is not JSON, or not there, is an error that leaves everything in place.
    let out = guanxi(&["build", "--update", "all.graphml", &file("02_companies.txt")], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("must be a .json graph"), "{}", stderr(&out));
    let out = guanxi(&["build", "--update", "missing.json", &file("02_companies.txt")], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("missing.json").exists());
}

#[test]
fn the_spark_example_builds_the_same_graph() {
    let python_has_pyspark =
        std::process::Command::new("python3").args(["-c", "import pyspark"]).output().is_ok_and(|o| o.status.success());
    if !python_has_pyspark {
        assert!(std::env::var_os("CI").is_none(), "pyspark is required under CI but is not installed");
        eprintln!("skipped: pyspark is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let docs = examples_jsonl(dir.path());
    run_ok(
        &args(&["build", examples().to_str().unwrap(), "-q", "-o", "built.json", "-o", "built.graphml"], vec![]),
        dir.path(),
        None,
    );
    let script = root().join("examples/spark/guanxi_spark.py");
    let out = run(
        "python3",
        &[
            script.to_str().unwrap(),
            "--master",
            "local[2]",
            "--partitions",
            "3",
            "--guanxi",
            env!("CARGO_BIN_EXE_guanxi"),
            "--input",
            docs.to_str().unwrap(),
            "-o",
            "spark.json",
            "-o",
            "spark.graphml",
        ],
        dir.path(),
    );
    let err = stderr(&out);
    assert!(out.status.success(), "spark job failed: {err}");
    let parts: usize = err
        .lines()
        .find_map(|l| l.strip_prefix("guanxi_spark: ")?.strip_suffix(" partitions")?.parse().ok())
        .expect("the job reports its partitions");
    assert!(parts >= 2, "the job should run on several partitions, ran on {parts}");
    for f in ["json", "graphml"] {
        let (a, b) = (dir.path().join(format!("built.{f}")), dir.path().join(format!("spark.{f}")));
        assert!(std::fs::read(a).unwrap() == std::fs::read(b).unwrap(), "spark.{f} differs from built.{f}");
    }
}

#[test]
fn merge_warns_when_results_disagree_on_a_type_and_counts_saturate_instead_of_wrapping() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let extracted = run_ok(&args(&["extract", "a.txt"], vec![]), dir.path(), None);
    let line = String::from_utf8(extracted.stdout).unwrap();
    assert!(line.contains("\"type\":\"company\""), "{line}");
    // The same document extracted with a dictionary that calls 歌尔 a park.
    let other = line.replace("\"type\":\"company\"", "\"type\":\"park\"").replace("\"a.txt\"", "\"b.txt\"");
    std::fs::write(dir.path().join("results.jsonl"), format!("{line}{other}")).unwrap();
    let out = run_ok(&args(&["merge", "results.jsonl", "-o", "m.json"], vec![]), dir.path(), None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "document 'b.txt' gives '歌尔股份有限公司' the type park, an earlier result company; keeping company"
        ),
        "{err}"
    );
    // A graph whose counts are at the top of their range: one more document keeps them there.
    let mut g = json(&dir.path().join("m.json"));
    for node in g["nodes"].as_array_mut().unwrap() {
        node["mentions"] = serde_json::json!(u64::MAX);
    }
    for edge in g["edges"].as_array_mut().unwrap() {
        edge["weight"] = serde_json::json!(u64::MAX);
    }
    std::fs::write(dir.path().join("full.json"), serde_json::to_string(&g).unwrap()).unwrap();
    std::fs::write(dir.path().join("c.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    run_ok(&args(&["build", "--update", "full.json", "c.txt", "-q"], vec![]), dir.path(), None);
    let g = json(&dir.path().join("full.json"));
    assert!(g["nodes"].as_array().unwrap().iter().all(|n| n["mentions"] == serde_json::json!(u64::MAX)), "{g}");
    assert!(g["edges"].as_array().unwrap().iter().all(|e| e["weight"] == serde_json::json!(u64::MAX)), "{g}");
}

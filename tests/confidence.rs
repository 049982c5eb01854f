//! Confidences are exact whatever path a graph takes: folded in memory or through the spool's runs, extracted and
//! merged (as lines or by the binary, in one file or two), read back and updated. Extraction does not set
//! confidences yet, so the documents here are extractions made by hand, with confidences from formulas that the
//! tests also use to work out, independently, what each edge and node must end with.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::*;
use guanxi::dict::Dictionary;
use guanxi::export::Format;
use guanxi::extract::Extraction;
use guanxi::graph::results::DocResult;
use guanxi::graph::Graph;
use guanxi::model::{Confidence, DocInfo, Entity, Evidence, Mention, Origin, Relation, Span, DISCOVERED};

/// Documents: enough relations (three a document) for a spool with no memory to write several runs (a run holds at
/// least 1,024).
const DOCS: usize = 700;

fn dictionary() -> Dictionary {
    let mut d = Dictionary::empty();
    d.load_bytes("name,type,aliases\n乙区,district,\n丙镇,district,\n王五,official,\n".as_bytes(), "test.csv", true)
        .unwrap();
    d
}

/// A confidence in thousandths, or none when `n` is a multiple of `none_every`.
fn scored(n: usize, none_every: usize, factor: usize) -> Option<Confidence> {
    (!n.is_multiple_of(none_every)).then(|| Confidence::from_thousandths((n * factor % 1001) as u16)).flatten()
}

/// Document `i`'s one discovered company, and its confidence.
fn company(i: usize) -> (String, Option<Confidence>) {
    (format!("甲{}公司", i % 97), scored(i, 3, 389))
}

/// Document `i`'s relations: (head, relation, tail, confidence). The company lies in 乙区 or 丙镇, 王五 leads it,
/// and it co-occurs with 乙区 (no confidence).
fn relations(i: usize) -> Vec<(String, &'static str, String, Option<Confidence>)> {
    let (name, _) = company(i);
    let place = if i.is_multiple_of(2) { "乙区" } else { "丙镇" };
    vec![
        (name.clone(), "located-in", place.to_string(), scored(i, 5, 613)),
        ("王五".to_string(), "leads", name.clone(), scored(i + 1, 4, 211)),
        (name, "co-occurs", "乙区".to_string(), None),
    ]
}

/// Document `i` as extraction would hand it over.
fn document(dict: &Dictionary, i: usize) -> (DocInfo, Extraction) {
    let (name, confidence) = company(i);
    let origin = Origin { file: DISCOVERED.into(), line: 0 };
    let found = Entity { name, kind: "company".into(), aliases: vec![], parent: None, title: None, origin, confidence };
    let id = |name: &str| dict.lookup(name).unwrap_or(dict.len());
    let span = Span { start: 0, end: 2 };
    let doc: Arc<str> = format!("d{i}").into();
    let relations = relations(i)
        .into_iter()
        .map(|(head, relation, tail, confidence)| Relation {
            head: id(&head),
            relation: relation.into(),
            tail: id(&tail),
            evidence: Evidence {
                doc: doc.clone(),
                sentence: format!("第{i}句，{head}{relation}{tail}。").into(),
                head: span,
                tail: span,
                rule: "hand".into(),
                trigger: None,
                context: None,
                date: None,
                confidence,
            },
        })
        .collect();
    let mentions = [dict.len(), id("乙区"), id("王五")].map(|entity| Mention { entity, norm: 0..2, span }).to_vec();
    (
        DocInfo { id: doc.to_string(), meta: Default::default() },
        Extraction { discovered: vec![found], mentions, relations },
    )
}

/// The confidence every edge and every node must end with, worked out from the formulas: the highest given.
fn expected(
    docs: std::ops::Range<usize>,
) -> (BTreeMap<String, Option<Confidence>>, BTreeMap<String, Option<Confidence>>) {
    let (mut edges, mut nodes) = (BTreeMap::new(), BTreeMap::new());
    for i in docs {
        let (name, c) = company(i);
        let node: &mut Option<Confidence> = nodes.entry(name).or_default();
        *node = (*node).max(c);
        for (head, relation, tail, c) in relations(i) {
            let edge: &mut Option<Confidence> = edges.entry(format!("{head} {relation} {tail}")).or_default();
            *edge = (*edge).max(c);
        }
    }
    for name in ["乙区", "丙镇", "王五"] {
        nodes.insert(name.to_string(), None);
    }
    (edges, nodes)
}

/// A JSON graph's edge and node confidences, as [`expected`] gives them.
fn confidences(g: &serde_json::Value) -> (BTreeMap<String, Option<Confidence>>, BTreeMap<String, Option<Confidence>>) {
    let read = |v: &serde_json::Value| serde_json::from_value::<Option<Confidence>>(v.clone()).unwrap();
    let edges = g["edges"].as_array().unwrap().iter();
    let edges = edges.map(|e| {
        (format!("{} {} {}", e["source"], e["relation"], e["target"]).replace('"', ""), read(&e["confidence"]))
    });
    let nodes =
        g["nodes"].as_array().unwrap().iter().map(|n| (n["id"].as_str().unwrap().to_string(), read(&n["confidence"])));
    (edges.collect(), nodes.collect())
}

fn export(g: &Graph, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    for (_, exporter) in format.exporters() {
        exporter.export(g, &mut out).unwrap();
    }
    out
}

const ALL: [Format; 6] = [Format::Json, Format::GraphMl, Format::Gexf, Format::Dot, Format::Neo4j, Format::Html];

/// A document's result as `guanxi extract` writes it, read back as `guanxi merge` reads it.
fn through_a_line(dict: &Dictionary, (info, extraction): &(DocInfo, Extraction)) -> DocResult {
    let line = serde_json::to_string(&DocResult::new(info.clone(), dict, extraction)).unwrap();
    DocResult::from_line(&line, "results:1").unwrap()
}

#[test]
fn every_path_folds_to_the_same_confidences() {
    let dict = dictionary();
    let docs: Vec<_> = (0..DOCS).map(|i| document(&dict, i)).collect();
    let mut memory = Graph::new();
    let mut spooled = Graph::spooled(0);
    let mut merged = Graph::spooled(0);
    for (info, extraction) in &docs {
        memory.add_document(info.clone(), &dict, extraction);
        spooled.add_document(info.clone(), &dict, extraction);
    }
    for doc in &docs {
        merged.add_result(&through_a_line(&dict, doc));
    }
    // Built in two halves: the first written as JSON and read back, the second added to it through the spool.
    let mut first = Graph::new();
    for (info, extraction) in &docs[..DOCS / 2] {
        first.add_document(info.clone(), &dict, extraction);
    }
    let json = export(&first, Format::Json);
    let mut updated = guanxi::export::json::read(json.as_slice(), "half.json").unwrap().into_spooled(0);
    for (info, extraction) in &docs[DOCS / 2..] {
        updated.add_document(info.clone(), &dict, extraction);
    }
    for format in ALL {
        let want = export(&memory, format);
        for (path, g) in [("spooled", &spooled), ("merged", &merged), ("updated", &updated)] {
            assert!(export(g, format) == want, "{format:?} of the {path} graph differs from the one in memory");
        }
    }
    let value: serde_json::Value = serde_json::from_slice(&export(&memory, Format::Json)).unwrap();
    assert_eq!(confidences(&value), expected(0..DOCS));
    // The test means something: some edge's highest piece is not among those it keeps, and some edge and some
    // discovered node have none at all.
    let edges = value["edges"].as_array().unwrap();
    let kept_best = |e: &serde_json::Value| {
        let pieces = e["evidence"].as_array().unwrap().iter();
        pieces.filter_map(|p| p["confidence"].as_f64()).fold(-1.0, f64::max)
    };
    assert!(edges.iter().any(|e| e["confidence"].as_f64().is_some_and(|c| c > kept_best(e))), "{value}");
    assert!(edges.iter().any(|e| e["confidence"].is_null()));
    let discovered = value["nodes"].as_array().unwrap().iter().filter(|n| n["source"] == "discovered");
    assert!(discovered.clone().count() == 97 && discovered.clone().all(|n| n["confidence"].is_f64()), "{value}");
}

/// Results written by hand-made extractions, in one file and in two.
fn write_results(dir: &std::path::Path, dict: &Dictionary) {
    let line = |i: usize| {
        let (info, extraction) = document(dict, i);
        serde_json::to_string(&DocResult::new(info, dict, &extraction)).unwrap() + "\n"
    };
    let (first, second): (String, String) = ((0..DOCS / 2).map(line).collect(), (DOCS / 2..DOCS).map(line).collect());
    std::fs::write(dir.join("first.jsonl"), &first).unwrap();
    std::fs::write(dir.join("second.jsonl"), &second).unwrap();
    std::fs::write(dir.join("all.jsonl"), first + &second).unwrap();
}

#[test]
fn merge_gives_the_same_confidences_in_memory_or_in_runs_and_from_one_file_or_two() {
    let dir = tempfile::tempdir().unwrap();
    let dict = dictionary();
    write_results(dir.path(), &dict);
    run_ok(&args(&["merge", "all.jsonl", "-q"], outputs("whole")), dir.path(), None);
    let split = args(&["merge", "first.jsonl", "second.jsonl", "-q", "--edge-memory", "0"], outputs("split"));
    run_ok(&split, dir.path(), None);
    assert_same_outputs(dir.path(), "whole", "split");
    let whole = json(&dir.path().join("whole.json"));
    assert_eq!(confidences(&whole), expected(0..DOCS));

    // --min-confidence leaves out the edges below it, not those without a confidence.
    run_ok(
        &args(&["merge", "all.jsonl", "-q", "--min-confidence", "0.5", "-o", "half.json"], vec![]),
        dir.path(),
        None,
    );
    let (all_edges, _) = expected(0..DOCS);
    let kept: Vec<&String> =
        all_edges.iter().filter(|(_, c)| c.is_none_or(|c| c.get() >= 0.5)).map(|(e, _)| e).collect();
    let (half, _) = confidences(&json(&dir.path().join("half.json")));
    assert_eq!(half.keys().collect::<Vec<_>>(), kept);
    assert!(kept.len() < all_edges.len() && kept.iter().any(|e| e.contains("co-occurs")));
}

#[test]
fn an_update_keeps_the_graphs_confidences_and_filters_only_the_other_outputs() {
    let dir = tempfile::tempdir().unwrap();
    write_results(dir.path(), &dictionary());
    run_ok(&args(&["merge", "all.jsonl", "-q", "-o", "a.json", "-o", "b.json"], vec![]), dir.path(), None);
    let before = confidences(&json(&dir.path().join("a.json")));
    let news = examples().join("01_bonded_zone.txt");
    let news = news.to_str().unwrap();
    // Through runs on one thread, and in memory on two: the same graph, its confidences those it had.
    for (graph, more) in [("a.json", ["--edge-memory", "0", "-j", "1"]), ("b.json", ["--edge-memory", "32", "-j", "2"])]
    {
        let mut update =
            args(&["build", "--update", graph, news, "-q", "--no-model"], more.iter().map(|s| s.to_string()).collect());
        update.extend(args(&["--min-confidence", "0.6", "-o", &format!("shown-{graph}")], vec![]));
        run_ok(&update, dir.path(), None);
    }
    for name in ["a.json", "shown-a.json"] {
        let other = name.replace("a.json", "b.json");
        assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), std::fs::read(dir.path().join(other)).unwrap());
    }
    let (edges, nodes) = confidences(&json(&dir.path().join("a.json")));
    // The news, read by the rules alone, adds edges of its own without confidences, and leaves those of the graph as they were.
    for (edge, c) in &before.0 {
        assert_eq!(edges.get(edge), Some(c), "{edge}");
    }
    for (node, c) in &before.1 {
        assert_eq!(nodes.get(node), Some(c), "{node}");
    }
    assert!(
        edges.len() > before.0.len()
            && edges.values().filter(|c| c.is_some()).count() == before.0.values().filter(|c| c.is_some()).count()
    );
    // The -o output leaves out what is below 0.6; the --update graph keeps everything.
    let (shown, _) = confidences(&json(&dir.path().join("shown-a.json")));
    let want: Vec<&String> =
        edges.iter().filter(|(_, c)| c.is_none_or(|c| c.thousandths() >= 600)).map(|(e, _)| e).collect();
    assert_eq!(shown.keys().collect::<Vec<_>>(), want);
    assert!(want.len() < edges.len());
}

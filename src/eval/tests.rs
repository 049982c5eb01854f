//! Evaluation's tests: counts and their scores, a document scored against a small gold file, malformed gold.

use std::collections::HashMap;

use super::*;
use crate::pipeline::Pipeline;

#[test]
fn counts_give_precision_recall_f1() {
    // counts, precision, recall, f1 as printed
    let table = [
        (Counts { tp: 8, fp: 2, fn_: 0 }, "0.800", "1.000", "0.889"),
        (Counts { tp: 3, fp: 0, fn_: 1 }, "1.000", "0.750", "0.857"),
        (Counts { tp: 0, fp: 0, fn_: 0 }, "–", "–", "–"),
        (Counts { tp: 0, fp: 0, fn_: 4 }, "–", "0.000", "0.000"),
        (Counts { tp: 0, fp: 2, fn_: 2 }, "0.000", "0.000", "0.000"),
    ];
    for (c, p, r, f) in table {
        assert_eq!((score(c.precision()).as_str(), score(c.recall()).as_str(), score(c.f1()).as_str()), (p, r, f));
    }
}

#[test]
fn scores_required_optional_and_unannotated_relations() {
    let mut warn = |_: String| {};
    let pipeline = Pipeline::new(&Default::default(), &mut warn).unwrap();
    let text = "安全产业园落户奎文区。王斌在安丘建设苏州(安丘)科技产业园。";
    let doc = crate::model::Document::new("d", text);
    let extraction = pipeline.extractor().extract(&doc);
    let gold = read_gold(
        r#"{"doc": "d", "relations": [
            {"head": "安全产业园", "relation": "located-in", "tail": "奎文"},
            {"head": "苏州(安丘)科技产业园", "relation": "located-in", "tail": "安丘", "optional": true},
            {"head": "王斌", "relation": "leads", "tail": "安丘市"},
            {"head": "安全产业园", "relation": "located-in", "tail": "安丘", "negative": true},
            {"head": "王斌", "relation": "co-occurs", "tail": "安丘市"}]}"#
            .replace('\n', " ")
            .as_str(),
        "g.jsonl",
    )
    .unwrap();
    let mut docs = HashMap::new();
    docs.insert("d".to_string(), (doc, extraction));
    let report = evaluate(&pipeline, (&gold, &SetForms::default()), &docs);
    // located-in: one required and found (aliases resolve), one optional and found (not counted).
    assert_eq!(report.relations["located-in"], Counts { tp: 1, fp: 0, fn_: 0 });
    // leads: required, not found; the negative relation is not required either.
    assert_eq!(report.relations["leads"], Counts { tp: 0, fp: 0, fn_: 1 });
    // invests-in: found, not annotated.
    assert_eq!(report.relations["invests-in"], Counts { tp: 0, fp: 1, fn_: 0 });
    assert!(!report.relations.contains_key("co-occurs"));
    let mut out = Vec::new();
    report.write(&mut out, true).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("missed: 王斌 leads -> 安丘市 [d]"), "{out}");
    assert!(out.contains("nearest rule: no rule of this relation was triggered"), "{out}");
    assert!(out.contains("false positive: 王斌 invests-in -> 苏州(安丘)科技产业园 [d]"), "{out}");
    assert!(out.ends_with("overall precision=0.500 recall=0.500 f1=0.500\n"), "{out}");
}

#[test]
fn malformed_gold_lines_are_errors_naming_the_line() {
    let e = read_gold("{\"doc\": \"a\", \"relations\": []}\n\nnot json\n", "g.jsonl").unwrap_err().to_string();
    assert!(e.starts_with("g.jsonl:3: "), "{e}");
}

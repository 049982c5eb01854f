//! `--min-confidence` on the query commands, and what they print of confidences, on the graph of
//! [`common::SCORED_RESULTS`] (located-in 甲公司 → 乙区 0.850, leads 王五 → 甲公司 0.950, located-in 丙镇 → 乙区 0.450,
//! two co-occurrences without confidence; the discovered 甲公司 0.900). Every answer is the same read through the
//! query index and from the JSON alone. Invalid values are refused by every command that takes the option.

mod common;

use std::path::Path;

use common::*;

/// Runs a query on `s.json` with its index and again without it; both must print the same. Returns the exit code
/// and standard output.
fn query(dir: &Path, words: &[&str]) -> (i32, String) {
    let mut words = words.to_vec();
    words.extend(["-g", "s.json"]);
    let indexed = guanxi(&words, dir);
    let index = dir.join("s.json.idx");
    let kept = std::fs::read(&index).unwrap();
    std::fs::remove_file(&index).unwrap();
    let plain = guanxi(&words, dir);
    std::fs::write(&index, kept).unwrap();
    assert_eq!(indexed.stdout, plain.stdout, "{words:?}: the index and the JSON answer differently");
    assert_eq!(indexed.status.code(), plain.status.code(), "{words:?}");
    (indexed.status.code().unwrap(), String::from_utf8(indexed.stdout).unwrap())
}

fn scored() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    scored_graph(dir.path(), &["s.json"]);
    dir
}

#[test]
fn neighbors_follow_edges_at_or_above_the_least_confidence_and_show_them() {
    let dir = scored();
    let header = "entity  type      relation    direction  weight  confidence  depth  via\n";
    let table = [
        ("0", format!("{header}丙镇    district  located-in  in         1       0.450       1      乙区\n甲公司  company   located-in  in         5       0.850       1      乙区\n")),
        ("0.45", format!("{header}丙镇    district  located-in  in         1       0.450       1      乙区\n甲公司  company   located-in  in         5       0.850       1      乙区\n")),
        ("0.451", "entity  type     relation    direction  weight  confidence  depth  via\n甲公司  company  located-in  in         5       0.850       1      乙区\n".to_string()),
        // Nothing left: the bare header, and exit 1.
        ("0.9", "entity  type  relation  direction  weight  depth  via\n".to_string()),
    ];
    for (min, want) in table {
        let (code, out) =
            query(dir.path(), &["neighbors", "乙区", "--relation", "located-in", "--min-confidence", min]);
        assert_eq!((code, out), (if min == "0.9" { 1 } else { 0 }, want), "--min-confidence {min}");
    }
    // Co-occurrence has no confidence: whatever the least, it is followed.
    let (_, out) = query(dir.path(), &["neighbors", "乙区", "--min-confidence", "1"]);
    assert_eq!(out, "entity  type     relation   direction  weight  depth  via\n甲公司  company  co-occurs  both       1       1      乙区\n");
    let (_, out) = query(dir.path(), &["neighbors", "甲公司", "--json", "--min-confidence", "0.9"]);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows: Vec<(&str, &str, Option<f64>)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["entity"].as_str().unwrap(), r["relation"].as_str().unwrap(), r["confidence"].as_f64()))
        .collect();
    assert_eq!(rows, [("乙区", "co-occurs", None), ("王五", "co-occurs", None), ("王五", "leads", Some(0.95))]);
}

#[test]
fn a_path_takes_only_confident_enough_edges_and_shows_each_hops_confidence() {
    let dir = scored();
    let (code, out) = query(dir.path(), &["path", "王五", "丙镇", "--min-confidence", "0.4"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "王五 → 丙镇: 1 shortest path of 3 hops\npath 1:\n\
         \x20 王五 -[leads]-> 甲公司 (weight 1, confidence 0.950)\n      甲公司董事长王五表示。 [a · 甲公司落户乙区]\n\
         \x20 甲公司 -[located-in]-> 乙区 (weight 5, confidence 0.850)\n      甲公司落户乙区。 [a · 甲公司落户乙区]\n\
         \x20 乙区 <-[located-in]- 丙镇 (weight 1, confidence 0.450)\n      丙镇隶属乙区。 [b]\n"
    );
    // 丙镇 is joined to the rest by its located-in (0.45) only.
    assert_eq!(query(dir.path(), &["path", "王五", "丙镇", "--min-confidence", "0.5"]), (1, String::new()));
    let (_, out) = query(dir.path(), &["path", "王五", "丙镇", "--json"]);
    let hops: serde_json::Value = serde_json::from_str(&out).unwrap();
    let confidences: Vec<f64> = hops[0].as_array().unwrap().iter().map(|h| h["confidence"].as_f64().unwrap()).collect();
    assert_eq!(confidences, [0.95, 0.85, 0.45]);
}

#[test]
fn show_stats_timeline_and_subgraph_follow_the_least_confidence() {
    let dir = scored();
    let (_, card) = query(dir.path(), &["show", "甲公司"]);
    assert!(card.starts_with("甲公司 (company)\n  mentions:  6 in 3 documents\n  confidence: 0.900\n"), "{card}");
    assert!(card.contains("  甲公司 -[located-in]-> 乙区 (weight 5, confidence 0.850)\n"), "{card}");
    assert!(card.contains("  甲公司 <-[leads]- 王五 (weight 1, confidence 0.950, 董事长)\n"), "{card}");
    assert!(card.contains("  甲公司 -[co-occurs]- 乙区 (weight 1)\n"), "{card}");
    let (_, card) = query(dir.path(), &["show", "甲公司", "--min-confidence", "0.9"]);
    assert!(!card.contains("located-in") && card.contains("leads (1)") && card.contains("co-occurs (2)"), "{card}");
    let (_, card) = query(dir.path(), &["show", "甲公司", "--json"]);
    let card: serde_json::Value = serde_json::from_str(&card).unwrap();
    assert_eq!(
        (card["confidence"].as_f64(), card["edges"]["located-in"][0]["confidence"].as_f64()),
        (Some(0.9), Some(0.85))
    );
    assert!(card["edges"]["co-occurs"][0].get("confidence").is_none());

    // Five edges; at 0.9, leads and the two co-occurrences.
    assert!(query(dir.path(), &["stats"]).1.starts_with("3 documents, 4 entities, 5 edges\n"));
    let (_, stats) = query(dir.path(), &["stats", "--min-confidence", "0.9", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["relations"], serde_json::json!({"co-occurs": 2, "leads": 1}));

    // The timeline lists typed evidence: leads and the three pieces its located-in keeps; at 0.9, leads alone.
    let (_, rows) = query(dir.path(), &["timeline", "甲公司", "--json"]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&rows).unwrap().as_array().unwrap().len(), 4);
    let (_, rows) = query(dir.path(), &["timeline", "甲公司", "--json", "--min-confidence", "0.9"]);
    let rows: serde_json::Value = serde_json::from_str(&rows).unwrap();
    assert_eq!((rows.as_array().unwrap().len(), &rows[0]["relation"]), (1, &serde_json::json!("leads")));

    // Around 乙区 at 0.5: 甲公司 by its located-in (0.85) and co-occurrence; not 丙镇 (0.45).
    let out = guanxi(&["subgraph", "乙区", "-g", "s.json", "--min-confidence", "0.5", "-o", "sub.json"], dir.path());
    assert!(stderr(&out).contains("2 entities, 2 edges around 乙区"), "{}", stderr(&out));
    let sub = json(&dir.path().join("sub.json"));
    let edges: Vec<(&str, Option<f64>)> = sub["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["relation"].as_str().unwrap(), e["confidence"].as_f64()))
        .collect();
    assert_eq!(edges, [("co-occurs", None), ("located-in", Some(0.85))]);
    assert_eq!(sub["nodes"][1]["confidence"].as_f64(), Some(0.9), "{sub}");
}

#[test]
fn an_invalid_least_confidence_is_an_error_naming_it() {
    let dir = scored();
    let news = examples().join("01_bonded_zone.txt");
    let commands: [&[&str]; 8] = [
        &["build", news.to_str().unwrap(), "-o", "x.json"],
        &["merge", "scored.jsonl", "-o", "x.json"],
        &["neighbors", "乙区", "-g", "s.json"],
        &["path", "王五", "丙镇", "-g", "s.json"],
        &["show", "乙区", "-g", "s.json"],
        &["stats", "-g", "s.json"],
        &["subgraph", "乙区", "-g", "s.json", "-o", "x.json"],
        &["timeline", "乙区", "-g", "s.json"],
    ];
    for command in commands {
        for value in ["1.5", "-0.1", "high", "NaN", ""] {
            let mut words = command.to_vec();
            words.extend(["--min-confidence", value]);
            let out = guanxi(&words, dir.path());
            assert_eq!(out.status.code(), Some(2), "{words:?}");
            let message =
                format!("invalid value '{value}' for '--min-confidence <X>': '{value}' is not a number from 0 to 1");
            assert!(stderr(&out).contains(&message), "{words:?}: {}", stderr(&out));
        }
    }
    assert!(!dir.path().join("x.json").exists());
}

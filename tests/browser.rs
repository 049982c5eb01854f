//! The HTML view in a real browser: headless Chromium driven by Selenium (Debian's `chromium`, `chromium-driver`
//! and `python3-selenium`, which `.ci/run` installs), with the network off. No console error; every entity and
//! every typed edge drawn (co-occurrence starts hidden); a search selects the entity; a mouse click on its edge
//! shows the evidence sentence; nothing is fetched from anywhere. On a graph with confidences, the edge card shows
//! the edge's and the minimum-confidence slider hides the edges below it (not those without one).

mod common;

use std::path::Path;

use common::*;

const PYTHON: &str = "/usr/bin/python3";

fn browser_available() -> bool {
    have(PYTHON, &["-c", "import selenium"]) && have("chromedriver", &["--version"]) && have("chromium", &["--version"])
}

/// Opens `page` (in `dir`), searches for `name` and clicks its first typed edge; returns what the driver saw.
fn drive(dir: &Path, page: &str, name: &str) -> serde_json::Value {
    let script = root().join("tests/browser/view.py");
    let page = dir.join(page);
    let shot = dir.join(format!("{name}.png"));
    let out = run(PYTHON, &[script.to_str().unwrap(), page.to_str().unwrap(), shot.to_str().unwrap(), name], dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "no screenshot");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Checks the page `stem.html` against the graph `stem.json` with a search for `name`; returns what the driver saw.
fn check(dir: &Path, stem: &str, name: &str) -> serde_json::Value {
    let graph = json(&dir.join(format!("{stem}.json")));
    let typed = graph["edges"].as_array().unwrap().iter().filter(|e| e["relation"] != "co-occurs").count();
    let seen = drive(dir, &format!("{stem}.html"), name);
    assert_eq!(seen["errors"], serde_json::json!([]), "console errors: {seen}");
    assert_eq!(seen["resources"], serde_json::json!([]), "the page fetched something: {seen}");
    assert_eq!(seen["drawn"]["nodes"], graph["nodes"].as_array().unwrap().len(), "{seen}");
    assert_eq!(seen["drawn"]["allEdges"], graph["edges"].as_array().unwrap().len(), "{seen}");
    assert_eq!(seen["drawn"]["edges"], typed, "co-occurrence starts hidden: {seen}");
    assert_eq!(seen["selected"], serde_json::json!([name]), "{seen}");
    assert_eq!(seen["clicked"]["relation"], "leads", "{seen}");
    // The card after the click is the edge's: its relation, both ends and its evidence sentence with the name marked.
    let card = seen["card"].as_str().unwrap();
    let leads = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["relation"] == "leads" && e["source"] == name)
        .unwrap_or_else(|| panic!("no leads edge of {name}"));
    let sentence = leads["evidence"][0]["sentence"].as_str().unwrap().trim();
    assert!(card.starts_with("LEADS\n"), "{card}");
    assert!(card.contains(&format!("{name} → {}", leads["target"].as_str().unwrap())), "{card}");
    assert!(card.contains(sentence), "{card}");
    assert!(seen["marks"].as_array().unwrap().iter().any(|m| m == name), "{seen}");
    // The date range narrowed to the last date shows only edges with evidence of that date. Edge `e{i}` of the page
    // is edge i of the JSON graph (both in sorted order).
    let dated: Vec<&str> = graph["documents"].as_array().unwrap().iter().filter_map(|d| d["date"].as_str()).collect();
    let dates = &seen["dates"];
    assert_eq!(dates["count"].as_u64().unwrap() > 0, !dated.is_empty(), "{seen}");
    if let Some(last) = dates["last"].as_str() {
        let date_of = |doc: &str| {
            graph["documents"].as_array().unwrap().iter().find(|d| d["id"] == doc).and_then(|d| d["date"].as_str())
        };
        let ids = dates["ids"].as_array().unwrap();
        assert!(!ids.is_empty(), "{seen}");
        for id in ids {
            let i: usize = id.as_str().unwrap()[1..].parse().unwrap();
            let edge = &graph["edges"][i];
            let has = edge["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .any(|ev| date_of(ev["doc"].as_str().unwrap()) == Some(last));
            assert!(has, "edge {i} shown for {last}: {edge}");
        }
    }
    seen
}

#[test]
fn the_html_view_works_offline_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["examples.html", "examples.json"]);
    // 01_bonded_zone.txt: 王龙堂, 党工委书记 of 潍坊综合保税区. The model gives typed edges confidences: the slider shows.
    let seen = check(dir.path(), "examples", "王龙堂");
    assert_eq!(seen["confidence"]["shown"], true, "confidences, a slider: {seen}");
    // Without the model, no edge has a confidence, and there is no slider.
    let corpus = examples();
    let args = ["build", corpus.to_str().unwrap(), "--no-model", "-o", "rules.html", "-o", "rules.json", "-q"];
    let out = guanxi(&args, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let seen = check(dir.path(), "rules", "王龙堂");
    assert_eq!(seen["confidence"]["shown"], false, "no confidence, no slider: {seen}");
    if let Some(shared) = shared() {
        let seeds = shared.join("corpus/seeds");
        let out = guanxi(&["build", seeds.to_str().unwrap(), "-o", "seeds.html", "-o", "seeds.json", "-q"], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        check(dir.path(), "seeds", "王龙堂");
    }
    scored_graph(dir.path(), &["s.html", "s.json"]);
    check_confidences(&check(dir.path(), "s", "王五"));
}

/// What the driver saw of the page of `SCORED_RESULTS` after a search for 王五: the confidences on the cards, and the
/// slider hiding the edges below it, not those without one.
fn check_confidences(seen: &serde_json::Value) {
    assert!(seen["card"].as_str().unwrap().contains("weight 1 · confidence 0.950 · 董事长"), "{seen}");
    // 王五's card lists 甲公司 twice: by leads (0.95) and by co-occurrence (no confidence).
    let card = seen["card_after_search"].as_str().unwrap();
    assert!(
        card.contains("甲公司 weight 1 · confidence 0.950") && card.lines().any(|l| l == "甲公司 weight 1"),
        "{card}"
    );
    // Edges e0 丙镇 located-in 乙区 (0.45), e1 and e2 co-occurrences (no confidence: always shown), e3 王五 leads
    // 甲公司 (0.95), e4 甲公司 located-in 乙区 (0.85).
    let confidence = &seen["confidence"];
    assert_eq!(confidence["shown"], true, "{seen}");
    assert_eq!(confidence["451"], serde_json::json!(["e1", "e2", "e3", "e4"]), "{seen}");
    assert_eq!(confidence["900"], serde_json::json!(["e1", "e2", "e3"]), "{seen}");
    assert_eq!(confidence["label900"], "0.900", "{seen}");
    assert!(confidence["entityCard"].as_str().unwrap().contains("confidence 0.900"), "{seen}");
}

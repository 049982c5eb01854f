//! The HTML view in a real browser: headless Chromium driven by Selenium (Debian's `chromium`, `chromium-driver`
//! and `python3-selenium`, which `.ci/run` installs), with the network off. No console error; every entity and
//! every typed edge drawn (co-occurrence starts hidden); a search selects the entity; a mouse click on its edge
//! shows the evidence sentence; nothing is fetched from anywhere.

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

fn check(dir: &Path, stem: &str, name: &str) {
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
}

#[test]
fn the_html_view_works_offline_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["examples.html", "examples.json"]);
    // 01_bonded_zone.txt: 王龙堂, 党工委书记 of 潍坊综合保税区.
    check(dir.path(), "examples", "王龙堂");
    if let Some(shared) = shared() {
        let seeds = shared.join("corpus/seeds");
        let out = guanxi(&["build", seeds.to_str().unwrap(), "-o", "seeds.html", "-o", "seeds.json", "-q"], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        check(dir.path(), "seeds", "王龙堂");
    }
}

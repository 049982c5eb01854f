//! The query commands on the example graph. Expected rows were worked out by reading the example sentences.

mod common;

use common::*;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.json"]);
    dir
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn neighbors_of_an_alias_list_every_edge_in_a_table() {
    let dir = setup();
    let out = guanxi(&["neighbors", "综保区", "-g", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["entity", "type", "relation", "direction", "weight", "depth", "via"]
    );
    // 01_bonded_zone.txt: 王龙堂 leads the zone; 圣和, 德纳 and the 产业园 lie in it; all of them, 保税北区 and
    // 中国外运华中 co-occur with it.
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split_whitespace().take(4).collect()).collect();
    let want: Vec<Vec<&str>> = vec![
        vec!["中国外运华中有限公司", "company", "co-occurs", "both"],
        vec!["保税北区", "district", "co-occurs", "both"],
        vec!["山东圣和薄膜新材料有限公司", "company", "co-occurs", "both"],
        vec!["山东圣和薄膜新材料有限公司", "company", "located-in", "in"],
        vec!["德纳", "company", "co-occurs", "both"],
        vec!["德纳", "company", "located-in", "in"],
        vec!["新能源汽车动力产业园", "park", "co-occurs", "both"],
        vec!["新能源汽车动力产业园", "park", "located-in", "in"],
        vec!["王龙堂", "official", "co-occurs", "both"],
        vec!["王龙堂", "official", "leads", "in"],
    ];
    assert_eq!(rows, want);
    // Columns line up by display width: every "type" cell starts at the same column.
    let col = |l: &str| unicode_width::UnicodeWidthStr::width(&l[..l.find(|c: char| c.is_ascii_lowercase()).unwrap()]);
    assert!(lines[1..].iter().all(|l| col(l) == col(lines[1])), "{text}");
}

#[test]
fn neighbors_filters_by_relation_depth_type_and_direction() {
    let dir = setup();
    let out = guanxi(
        &[
            "neighbors",
            "王斌",
            "-g",
            "g.json",
            "--depth",
            "2",
            "--relation",
            "invests-in",
            "--relation",
            "located-in",
            "--json",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {"entity": "苏州(安丘)科技产业园", "type": "park", "relation": "invests-in", "direction": "out", "weight": 1, "depth": 1, "via": "王斌"},
            {"entity": "安丘市", "type": "district", "relation": "located-in", "direction": "out", "weight": 1, "depth": 2, "via": "苏州(安丘)科技产业园"}
        ])
    );
    let out = guanxi(&["neighbors", "综保区", "-g", "g.json", "--type", "official", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    // Only edges leaving the zone: none are typed, so only undirected co-occurrence remains.
    let out = guanxi(&["neighbors", "综保区", "-g", "g.json", "--direction", "out", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|r| r["relation"] == "co-occurs"), "{v}");
    // Nothing passes: exit 1.
    let out = guanxi(&["neighbors", "综保区", "-g", "g.json", "--min-weight", "5"], dir.path());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn unknown_entities_exit_1_with_suggestions() {
    let dir = setup();
    let out = guanxi(&["neighbors", "综保", "-g", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown entity '综保'; did you mean 潍坊综合保税区 (综保区)"), "{}", stderr(&out));
    let out = guanxi(&["show", "王龙棠", "-g", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("did you mean 王龙堂"), "{}", stderr(&out));
    let out = guanxi(&["path", "王斌", "xyz", "-g", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let out = guanxi(&["stats", "-g", "missing.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn path_gives_each_hop_with_its_relation_and_evidence() {
    let dir = setup();
    let out = guanxi(&["path", "王龙堂", "德纳", "-g", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "王龙堂 → 德纳: 1 shortest path of 2 hops
path 1:
  王龙堂 -[leads]-> 潍坊综合保税区 (weight 1)
      潍坊综合保税区党工委书记王龙堂到保税北区调研重点项目建设情况。 [01_bonded_zone.txt]
  潍坊综合保税区 <-[located-in]- 德纳 (weight 1)
      德纳在综保区投资建设新能源汽车动力产业园，产品销往全球。 [01_bonded_zone.txt]
"
    );
    // Different documents, no shared entity: no path, exit 1.
    let out = guanxi(&["path", "王龙堂", "王斌", "-g", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no path between 王龙堂 and 王斌"));
}

#[test]
fn show_gives_an_entity_card() {
    let dir = setup();
    let out = guanxi(&["show", "郭兴平", "-g", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("郭兴平 (official)\n  parent:    潍坊市商务局\n"), "{text}");
    let leads = text.find("leads (1)\n  郭兴平 -[leads]-> 潍坊市商务局 (weight 1, 党组书记、局长)").expect(&text);
    let co = text.find("co-occurs (1)").expect(&text);
    assert!(leads < co, "typed relations come before co-occurrence");
    let out = guanxi(&["show", "市商务局", "-g", "g.json", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "潍坊市商务局");
    assert_eq!(v["edges"]["leads"][0]["entity"], "郭兴平");
    assert_eq!(v["edges"]["leads"][0]["direction"], "in");
    assert_eq!(v["evidence_documents"], serde_json::json!(["03_investment.txt"]));
}

#[test]
fn stats_counts_types_and_relations() {
    let dir = setup();
    let out = guanxi(&["stats", "-g", "g.json", "--json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Counted by hand from the example sentences.
    assert_eq!(
        v["types"],
        serde_json::json!({"company": 9, "district": 8, "official": 5, "organization": 1, "park": 3})
    );
    assert_eq!(v["entities"], 26);
    assert_eq!(v["documents"], 3);
    assert_eq!(v["relations"]["leads"], 3);
    assert_eq!(v["top"][0][0], "潍坊综合保税区");
}

#[test]
fn subgraph_exports_the_ego_network() {
    let dir = setup();
    let out =
        guanxi(&["subgraph", "德纳", "--depth", "1", "-g", "g.json", "-o", "ego.json", "-o", "ego.dot"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&dir.path().join("ego.json"));
    let nodes: Vec<&str> = v["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(nodes, ["德纳", "新能源汽车动力产业园", "潍坊综合保税区"]);
    // Among those three: invests-in, two located-in, three co-occurs.
    assert_eq!(v["edges"].as_array().unwrap().len(), 6);
    if have("dot", &["-V"]) {
        let r = run("dot", &["-Tsvg", "ego.dot", "-o", "ego.svg"], dir.path());
        assert!(r.status.success());
    }
}

#[test]
fn query_output_is_deterministic() {
    let dir = setup();
    for args in [&["stats", "-g", "g.json"][..], &["neighbors", "潍坊市", "-g", "g.json", "--depth", "3"][..]] {
        let a = guanxi(args, dir.path());
        let b = guanxi(args, dir.path());
        assert_eq!(a.stdout, b.stdout);
    }
}

#[test]
fn queries_answer_the_same_from_the_index_and_from_the_json() {
    let dir = setup();
    assert!(dir.path().join("g.json.idx").exists(), "build writes the query index beside the JSON");
    let commands: [&[&str]; 6] = [
        &["neighbors", "综保区", "-g", "g.json", "--depth", "2"],
        &["path", "王龙堂", "德纳", "-g", "g.json"],
        &["show", "郭兴平", "-g", "g.json"],
        &["show", "潍坊综合保税区", "-g", "g.json", "--json"],
        &["stats", "-g", "g.json"],
        &["subgraph", "德纳", "-g", "g.json", "-o", "ego.json"],
    ];
    let run_all = || -> Vec<(Vec<u8>, Vec<u8>)> {
        let _ = std::fs::remove_file(dir.path().join("ego.json"));
        commands
            .iter()
            .map(|args| {
                let out = guanxi(args, dir.path());
                assert!(out.status.success(), "{args:?}: {}", stderr(&out));
                let written = if args[0] == "subgraph" {
                    std::fs::read(dir.path().join("ego.json")).unwrap()
                } else {
                    Vec::new()
                };
                (out.stdout, written)
            })
            .collect()
    };
    let with_index = run_all();
    std::fs::remove_file(dir.path().join("g.json.idx")).unwrap();
    let without = run_all();
    for (args, (a, b)) in commands.iter().zip(with_index.iter().zip(&without)) {
        assert!(a == b, "{args:?} answers differently with the index");
    }
    // A stale index (the JSON replaced after it was written) is ignored, not trusted.
    build_examples(dir.path(), &["g.json"]);
    let json = std::fs::read(dir.path().join("g.json")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(dir.path().join("g.json"), json.clone()).unwrap();
    let out = guanxi(&["stats", "-g", "g.json"], dir.path());
    assert_eq!(out.stdout, without[4].0);
}

#[test]
fn every_query_command_works_on_the_seed_graph() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let seeds = shared.join("corpus/seeds");
    let out = guanxi(&["build", seeds.to_str().unwrap(), "-o", "g.json", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    // Facts the gold annotations of the seed articles state.
    let out = guanxi(&["neighbors", "王龙堂", "-g", "g.json", "--relation", "leads", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["entity"], "潍坊综合保税区");
    let out = guanxi(&["show", "郭兴平", "-g", "g.json", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let led: Vec<&str> =
        v["edges"]["leads"].as_array().unwrap().iter().map(|e| e["entity"].as_str().unwrap()).collect();
    assert_eq!(led, ["潍坊市商务局", "潍坊市投资合作促进局"]);
    let out = guanxi(
        &["path", "刘水源", "临朐", "-g", "g.json", "--relation", "invests-in", "--relation", "located-in"],
        dir.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("刘水源 -[invests-in]-> 浙商(临朐)智能智造产业园"), "{text}");
    assert!(text.contains("浙商(临朐)智能智造产业园 -[located-in]-> 临朐县"), "{text}");
    let out = guanxi(&["stats", "-g", "g.json", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 5);
    let out = guanxi(&["subgraph", "综保区", "-g", "g.json", "--depth", "1", "-o", "ego.dot"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
}

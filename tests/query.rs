//! The query commands on the example graph. Expected rows were worked out by reading the example sentences.

mod common;

use common::*;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    build_rule_examples(dir.path(), &["g.json"]);
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
      潍坊综合保税区党工委书记王龙堂到保税北区调研重点项目建设情况。 [01_bonded_zone.txt · 2024-04-08]
  潍坊综合保税区 <-[located-in]- 德纳 (weight 1)
      德纳在综保区投资建设新能源汽车动力产业园，产品销往全球。 [01_bonded_zone.txt · 2024-04-08]
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
    let leads =
        text.find("leads (1)\n  郭兴平 -[leads]-> 潍坊市商务局 (weight 1, 党组书记、局长, 2024-06-03)").expect(&text);
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
    assert_eq!(v["top"][0]["entity"], "潍坊综合保税区");
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
    build_rule_examples(dir.path(), &["g.json"]);
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

#[test]
fn unknown_filter_values_are_errors_with_the_valid_values_and_a_suggestion() {
    let dir = setup();
    for (args, want) in [
        (
            &["neighbors", "王龙堂", "-g", "g.json", "--relation", "lead"][..],
            "unknown relation 'lead'; did you mean 'leads'? (valid: co-occurs, invests-in, leads, located-in)",
        ),
        (&["path", "王龙堂", "德纳", "-g", "g.json", "--relation", "locatedin"], "did you mean 'located-in'?"),
        (&["subgraph", "王龙堂", "-g", "g.json", "--relation", "invest", "-o", "s.dot"], "did you mean 'invests-in'?"),
        (
            &["neighbors", "王龙堂", "-g", "g.json", "--type", "compnay"],
            "unknown type 'compnay'; did you mean 'company'? (valid: company, district, official, organization, park)",
        ),
        (&["neighbors", "王龙堂", "-g", "g.json", "--depth", "0"], "0 is not in 1..=10"),
        (&["build", "x.txt", "-o", "b.json", "--relations", "leads,lead"], "unknown relation 'lead'"),
        (&["man", "biuld"], "unknown command 'biuld'; did you mean 'build'?"),
    ] {
        let out = guanxi(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(want), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

#[test]
fn a_query_given_another_format_says_queries_read_the_json_graph() {
    let dir = tempfile::tempdir().unwrap();
    build_rule_examples(dir.path(), &["g.graphml", "g.json"]);
    std::fs::write(dir.path().join("notes.txt"), "不是图").unwrap();
    for (graph, want) in [
        ("g.graphml", "g.graphml: is a .graphml graph; the query commands read the .json graph"),
        ("notes.txt", "the query commands read the .json graph that `guanxi build -o graph.json` writes"),
    ] {
        let out = guanxi(&["stats", "-g", graph], dir.path());
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(want), "{graph}: {}", stderr(&out));
    }
}

#[test]
fn stats_json_gives_objects_with_field_names() {
    let dir = setup();
    let out = guanxi(&["stats", "-g", "g.json", "--json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = &stats["top"][0];
    // 潍坊综合保税区 has the most neighbours in the example graph (see the neighbours test above: six entities).
    assert_eq!(top["entity"], "潍坊综合保税区", "{stats}");
    assert_eq!(top["type"], "district");
    assert_eq!(top["neighbours"], 6);
    assert!(top["typed_edges"].is_u64() && top["mentions"].is_u64(), "{top}");
}

#[test]
fn small_answers_read_right() {
    let dir = setup();
    // One entity by two of its names: a path of no hop.
    let out = guanxi(&["path", "潍坊综合保税区", "综保区", "-g", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "潍坊综合保税区 and 综保区 are one entity, 潍坊综合保税区: a path of 0 hops\n");
    let out = guanxi(&["path", "综保区", "综保区", "-g", "g.json", "--json"], dir.path());
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(), serde_json::json!([[]]));
    // One document, one edge: singular.
    std::fs::write(dir.path().join("one.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let out = guanxi(&["build", "one.txt", "-o", "one.json", "--relations", "located-in"], dir.path());
    assert!(stderr(&out).contains("guanxi: the -o outputs, filtered: 2 entities, 1 edge\n"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("guanxi: 1 document (0 skipped), 2 mentions, 2 entities, 2 edges"),
        "{}",
        stderr(&out)
    );
    let out = guanxi(&["stats", "-g", "one.json"], dir.path());
    assert!(stdout(&out).starts_with("1 document, 2 entities, 1 edge\n"), "{}", stdout(&out));
    // The threads option says what its default means, once.
    let out = guanxi(&["build", "--help"], dir.path());
    let help = stdout(&out);
    let line = help.lines().find(|l| l.contains("--threads")).unwrap();
    assert!(line.contains("0, the default, means one per core") && !line.contains("[default: 0]"), "{line}");
}

#[test]
fn build_filters_what_the_outputs_show_and_update_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let examples = examples();
    let examples = examples.to_str().unwrap();
    let out = guanxi(&["build", examples, "-o", "all.json", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let all = json(&dir.path().join("all.json"));
    let typed = ["leads", "located-in", "invests-in"];
    let out = guanxi(
        &[
            "build",
            examples,
            "-o",
            "typed.json",
            "-o",
            "typed.gexf",
            "--relations",
            "leads,located-in",
            "--relations",
            "invests-in",
            "--drop-isolated",
            "-q",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("typed.json"));
    let edges = g["edges"].as_array().unwrap();
    let want =
        all["edges"].as_array().unwrap().iter().filter(|e| typed.contains(&e["relation"].as_str().unwrap())).count();
    assert_eq!(edges.len(), want);
    // Every entity left has an edge; the ones left out had only co-occurrence.
    let ends: std::collections::BTreeSet<&str> =
        edges.iter().flat_map(|e| [e["source"].as_str().unwrap(), e["target"].as_str().unwrap()]).collect();
    let nodes: std::collections::BTreeSet<&str> =
        g["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(nodes, ends);
    assert!(nodes.len() < all["nodes"].as_array().unwrap().len());
    assert!(std::fs::read_to_string(dir.path().join("typed.gexf")).unwrap().matches("<edge ").count() == want);
    // --min-weight keeps edges of at least that many sentences: every example edge rests on one sentence, and a
    // document that says twice what 02_companies.txt says once makes its two edges (located-in, co-occurs) weigh 3.
    std::fs::write(
        dir.path().join("twice.txt"),
        "歌尔股份有限公司总部位于潍坊高新区。歌尔股份有限公司总部位于潍坊高新区。",
    )
    .unwrap();
    let out = guanxi(&["build", examples, "twice.txt", "-o", "heavy.json", "--min-weight", "2", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let heavy = json(&dir.path().join("heavy.json"));
    let kept: Vec<(&str, u64)> = heavy["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["relation"].as_str().unwrap(), e["weight"].as_u64().unwrap()))
        .collect();
    assert_eq!(kept, [("co-occurs", 3), ("located-in", 3)], "{heavy}");
    assert_eq!(heavy["nodes"].as_array().unwrap().len(), all["nodes"].as_array().unwrap().len(), "every entity stays");
    // --update writes the whole graph back; only the -o outputs are filtered.
    std::fs::copy(dir.path().join("all.json"), dir.path().join("u.json")).unwrap();
    std::fs::write(dir.path().join("more.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let out = guanxi(
        &["build", "--update", "u.json", "more.txt", "-o", "u-typed.json", "--relations", "leads", "-q"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let u = json(&dir.path().join("u.json"));
    assert!(u["edges"].as_array().unwrap().iter().any(|e| e["relation"] == "co-occurs"));
    let ut = json(&dir.path().join("u-typed.json"));
    assert!(ut["edges"].as_array().unwrap().iter().all(|e| e["relation"] == "leads"));
}

#[test]
fn man_writes_a_page_for_every_subcommand_with_options_exit_codes_and_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("man")).unwrap();
    let out = guanxi(&["man", "--dir", "man"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    for sub in
        ["build", "extract", "merge", "neighbors", "path", "show", "stats", "subgraph", "suggest", "eval", "explain"]
    {
        let page = std::fs::read_to_string(dir.path().join(format!("man/guanxi-{sub}.1"))).unwrap();
        assert!(page.contains(&format!(".TH guanxi-{sub}")), "{sub}");
        assert!(
            page.contains(".SH OPTIONS") && page.contains(".SH \"EXIT STATUS\"") && page.contains(".SH FILES"),
            "{sub}"
        );
    }
    let build = std::fs::read_to_string(dir.path().join("man/guanxi-build.1")).unwrap();
    for option in ["\\-\\-relations", "\\-\\-drop\\-isolated", "\\-\\-max\\-file\\-size", "\\-\\-update"] {
        assert!(build.contains(option), "{option} missing from the build page");
    }
    assert!(std::fs::read_to_string(dir.path().join("man/guanxi.1")).unwrap().contains("typed knowledge graph"));
    let out = guanxi(&["man", "path"], dir.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH guanxi-path"));
}

#[test]
fn documents_get_their_dates_and_timeline_lists_evidence_in_date_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("people.csv"),
        "name,type,aliases\n星河电子有限公司,company,\n张明,official,\n李华,official,\n",
    )
    .unwrap();
    // Three documents, written in an order that is not their dates' order: a dateline in the first line, a page
    // whose <meta> states the date, and a 月日 dateline whose year the text gives further on.
    std::fs::write(d.join("a.txt"), "2021年3月1日 本报讯\n星河电子有限公司董事长李华出席签约仪式。").unwrap();
    std::fs::write(
        d.join("b.html"),
        "<html><head><meta name=\"pubdate\" content=\"2019-06-30 08:00\"><title>旧闻</title></head>\
         <body><p>星河电子有限公司董事长张明出席活动。</p></body></html>",
    )
    .unwrap();
    std::fs::write(d.join("c.txt"), "5月8日讯 星河电子有限公司董事长张明到园区调研。2020年以来企业稳步发展。").unwrap();
    let out = guanxi(&["build", "a.txt", "b.html", "c.txt", "--dict", "people.csv", "-o", "g.json", "-q"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&d.join("g.json"));
    let dates: Vec<(&str, &str)> = g["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|doc| (doc["id"].as_str().unwrap(), doc["date"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(dates, [("a.txt", "2021-03-01"), ("b.html", "2019-06-30"), ("c.txt", "2020-05-08")]);
    let out = guanxi(&["timeline", "星河电子有限公司", "-g", "g.json"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["date", "edge", "document", "sentence"]);
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split_whitespace().take(5).collect()).collect();
    assert_eq!(
        rows,
        [
            vec!["2019-06-30", "<-[leads", "(董事长)]-", "张明", "b.html"],
            vec!["2020-05-08", "<-[leads", "(董事长)]-", "张明", "c.txt"],
            vec!["2021-03-01", "<-[leads", "(董事长)]-", "李华", "a.txt"],
        ],
        "{text}"
    );
    let out = guanxi(&["timeline", "张明", "-g", "g.json", "--json"], d);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["date"], "2019-06-30");
    assert_eq!(rows[0]["doc"], "b.html");
    assert_eq!(rows[0]["direction"], "out");
    assert_eq!(rows[1]["sentence"], "5月8日讯 星河电子有限公司董事长张明到园区调研。");
    // A period: the timeline's rows in it, and a graph of the documents dated in it.
    let out = guanxi(&["timeline", "星河电子有限公司", "-g", "g.json", "--since", "2020", "--until", "2020-12"], d);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().nth(1).unwrap().starts_with("2020-05-08"), "{text}");
    let out =
        guanxi(&["build", "a.txt", "b.html", "c.txt", "--dict", "people.csv", "-o", "p.json", "--since", "2020"], d);
    assert!(stderr(&out).contains("2 documents (0 skipped), 1 outside --since/--until or undated"), "{}", stderr(&out));
    let p = json(&d.join("p.json"));
    let ids: Vec<&str> = p["documents"].as_array().unwrap().iter().map(|doc| doc["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a.txt", "c.txt"]);
    let out = guanxi(&["build", "a.txt", "--dict", "people.csv", "-o", "q.json", "--since", "2030"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no document is dated within --since/--until (1 outside it or undated)"));
    assert!(!d.join("q.json").exists());
    let out = guanxi(&["timeline", "张明", "-g", "g.json", "--since", "2024-13"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'2024-13' is not a date"), "{}", stderr(&out));
}

/// An edge said in many dated documents keeps its first and last dates, its sentences per year, and the evidence
/// of its first- and last-dated sentences beside its first three; the query commands take `--since`/`--until`.
#[test]
fn edges_keep_their_first_and_last_dated_evidence_and_counts_per_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("people.csv"), "name,type,aliases\n星河电子有限公司,company,\n星海新区,district,\n").unwrap();
    // Nine documents in an order unlike their dates'; two share the first date and two the last; one is undated.
    let dates = [
        "2022-05-01",
        "2019-03-02",
        "2024-11-30",
        "2020-01-15",
        "2019-03-02",
        "2023-07-07",
        "2024-11-30",
        "2021-06-06",
        "",
    ];
    let mut files = Vec::new();
    for (i, date) in dates.iter().enumerate() {
        let name = format!("d{i}.txt");
        std::fs::write(d.join(&name), format!("{date}\n第{i}期：星河电子有限公司落户星海新区。")).unwrap();
        files.push(name);
    }
    let mut args: Vec<&str> = vec!["build"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--dict", "people.csv", "-o", "g.json", "-q"]);
    let out = guanxi(&args, d);
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&d.join("g.json"));
    let edge = g["edges"].as_array().unwrap().iter().find(|e| e["relation"] == "located-in").expect("located-in");
    assert_eq!(edge["weight"], 9);
    assert_eq!(
        edge["time"],
        serde_json::json!({"first": "2019-03-02", "last": "2024-11-30",
                           "years": {"2019": 2, "2020": 1, "2021": 1, "2022": 1, "2023": 1, "2024": 2}})
    );
    // The first three in input order (d1 is also the first-dated: the earlier of the two), then d6, the later of
    // the two last-dated.
    let docs: Vec<&str> = edge["evidence"].as_array().unwrap().iter().map(|e| e["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, ["d0.txt", "d1.txt", "d2.txt", "d6.txt"]);
    assert_eq!(edge["evidence"][3]["date"], "2024-11-30");
    // Merging the per-document results gives the same graph; so does adding the last documents to a graph.
    let mut extract: Vec<&str> = vec!["extract"];
    extract.extend(files.iter().map(String::as_str));
    extract.extend(["--dict", "people.csv"]);
    let out = guanxi(&extract, d);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(d.join("r.jsonl"), &out.stdout).unwrap();
    let out = guanxi(&["merge", "r.jsonl", "-o", "m.json", "-q"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&d.join("m.json"))["edges"], g["edges"]);
    let mut first: Vec<&str> = vec!["build"];
    first.extend(files[..4].iter().map(String::as_str));
    first.extend(["--dict", "people.csv", "-o", "u.json", "-q"]);
    assert!(guanxi(&first, d).status.success());
    let mut rest: Vec<&str> = vec!["build", "--update", "u.json"];
    rest.extend(files[4..].iter().map(String::as_str));
    rest.extend(["--dict", "people.csv", "-q"]);
    let out = guanxi(&rest, d);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&d.join("u.json"))["edges"], g["edges"]);

    // Queries over a period: the edge is there when the period meets its dates and a year with evidence.
    let table: &[(&[&str], bool)] = &[
        (&["--since", "2024"], true),
        (&["--since", "2025"], false),
        (&["--until", "2019-03-01"], false),
        (&["--until", "2019-03-02"], true),
        (&["--since", "2018", "--until", "2018-12"], false),
    ];
    for (range, found) in table {
        let mut a = vec!["neighbors", "星河电子有限公司", "-g", "g.json", "--relation", "located-in"];
        a.extend_from_slice(range);
        let out = guanxi(&a, d);
        assert_eq!(out.status.code(), Some(if *found { 0 } else { 1 }), "{range:?}: {}", stdout(&out));
        assert_eq!(stdout(&out).contains("星海新区"), *found, "{range:?}");
        let mut a = vec!["path", "星河电子有限公司", "星海新区", "-g", "g.json"];
        a.extend_from_slice(range);
        assert_eq!(guanxi(&a, d).status.code(), Some(if *found { 0 } else { 1 }), "path {range:?}");
        let mut a = vec!["show", "星河电子有限公司", "-g", "g.json", "--json"];
        a.extend_from_slice(range);
        let card: serde_json::Value = serde_json::from_slice(&guanxi(&a, d).stdout).unwrap();
        assert_eq!(card["edges"].get("located-in").is_some(), *found, "show {range:?}: {card}");
        let mut a = vec!["stats", "-g", "g.json", "--json"];
        a.extend_from_slice(range);
        let stats: serde_json::Value = serde_json::from_slice(&guanxi(&a, d).stdout).unwrap();
        assert_eq!(stats["edges"], if *found { 2 } else { 0 }, "stats {range:?}: {stats}");
    }
    let out = guanxi(&["show", "星河电子有限公司", "-g", "g.json"], d);
    assert!(stdout(&out).contains("(weight 9, 2019-03-02 – 2024-11-30)"), "{}", stdout(&out));
    let out = guanxi(&["subgraph", "星河电子有限公司", "-g", "g.json", "--since", "2025", "-o", "s.json"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&d.join("s.json"))["edges"].as_array().unwrap().len(), 0);
    let out = guanxi(&["neighbors", "星河电子有限公司", "-g", "g.json", "--since", "2024-02-30"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'2024-02-30' is not a date"), "{}", stderr(&out));
}

/// A place's short name (乌海 for 乌海市), which dictionaries keep as a weak alias and the graph does not list,
/// resolves when it names one place; a short name two places share (东城 for 东城县 and 东城区) does not.
#[test]
fn a_places_short_name_resolves_to_the_one_place_it_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.csv"),
        "name,type,aliases,weak_aliases\n乌海市,district,,乌海\n星河电子有限公司,company,,\n东城县,district,,\n东城区,district,,\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.txt"), "星河电子有限公司落户乌海市。东城县和东城区的代表出席。").unwrap();
    let out = guanxi(&["build", "a.txt", "--no-model", "--dict", "d.csv", "-o", "g.json", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let out = guanxi(&["neighbors", "乌海", "-g", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("星河电子有限公司"), "{}", stdout(&out));
    let out = guanxi(&["show", "东城", "-g", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(guanxi(&["show", "东城区", "-g", "g.json"], dir.path()).status.success());
}

/// --within PLACE keeps what lies under a place, through located-in chains (here with --hierarchy's parents):
/// 星河电子 settles in 东至县 (池州市), 蓝海新材料 in 寿光市 (潍坊市), and the two signed together.
#[test]
fn within_keeps_what_lies_under_a_place() {
    let dir = tempfile::tempdir().unwrap();
    let text = "星河电子有限公司和蓝海新材料有限公司签约。星河电子有限公司落户东至县。蓝海新材料有限公司落户寿光市。";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let out = guanxi(&["build", "a.txt", "--hierarchy", "-o", "g.json", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let out = guanxi(&["neighbors", "星河电子有限公司", "--depth", "2", "-g", "g.json", "--json"], dir.path());
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(all.iter().any(|r| r["entity"] == "蓝海新材料有限公司"), "{all:?}");
    let args = ["neighbors", "星河电子有限公司", "--depth", "2", "-g", "g.json", "--json", "--within", "池州市"];
    let out = guanxi(&args, dir.path());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut names: Vec<&str> = rows.iter().map(|r| r["entity"].as_str().unwrap()).collect();
    names.dedup();
    assert_eq!(names, ["东至县", "池州市"], "{rows:?}");
    let out = guanxi(&["stats", "-g", "g.json", "--json", "--within", "池州市"], dir.path());
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["entities"], 3, "{stats}");
    let out = guanxi(&["neighbors", "星河电子有限公司", "-g", "g.json", "--within", "无处"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--within 无处: unknown entity"), "{}", stderr(&out));
}

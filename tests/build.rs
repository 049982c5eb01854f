//! `guanxi build` end to end on the example corpus and the seed articles.

mod common;

use common::*;

/// The typed edges the example sentences state, worked out by reading each sentence in examples/corpus.
const EXAMPLE_EDGES: &[(&str, &str, &str)] = &[
    ("王龙堂", "leads", "潍坊综合保税区"),
    ("山东圣和薄膜新材料有限公司", "located-in", "潍坊综合保税区"),
    ("德纳", "invests-in", "新能源汽车动力产业园"),
    ("德纳", "located-in", "潍坊综合保税区"),
    ("新能源汽车动力产业园", "located-in", "潍坊综合保税区"),
    ("歌尔股份有限公司", "located-in", "潍坊高新技术产业开发区"),
    // The zone lies in the city its name starts with (the guidelines' optional "district in its city"; the model
    // finds it, the rules do not).
    ("潍坊高新技术产业开发区", "located-in", "潍坊市"),
    ("潍柴控股集团有限公司", "invests-in", "潍柴雷沃智慧农业科技股份有限公司"),
    ("山东晨鸣纸业集团股份有限公司", "located-in", "寿光市"),
    ("孚日集团股份有限公司", "located-in", "高密市"),
    ("郭兴平", "leads", "潍坊市商务局"),
    ("江南", "leads", "广东圣丰集团有限公司"),
    ("刘水源", "invests-in", "浙商(临朐)智能智造产业园"),
    ("浙商(临朐)智能智造产业园", "located-in", "临朐县"),
    ("王斌", "invests-in", "苏州(安丘)科技产业园"),
    ("苏州(安丘)科技产业园", "located-in", "安丘市"),
];

#[test]
fn builds_the_example_corpus_with_the_expected_edges() {
    let dir = tempfile::tempdir().unwrap();
    let out = build_examples(dir.path(), &["g.json", "g.graphml", "g.dot"]);
    let err = stderr(&out);
    assert!(err.contains("3 documents (0 skipped)"), "{err}");
    let g = json(&dir.path().join("g.json"));
    let mut want: Vec<_> =
        EXAMPLE_EDGES.iter().map(|(h, r, t)| (h.to_string(), r.to_string(), t.to_string())).collect();
    want.sort();
    assert_eq!(typed_edges(&g), want);
    // 中国外运华中有限公司 only visits for talks: it co-occurs with the zone, nothing more.
    let edges = g["edges"].as_array().unwrap();
    let sinotrans: Vec<_> = edges.iter().filter(|e| e["source"] == "中国外运华中有限公司").collect();
    assert_eq!(sinotrans.len(), 1);
    assert_eq!(sinotrans[0]["relation"], "co-occurs");
    assert_eq!(sinotrans[0]["directed"], false);
    // 高密度 is not 高密: 高密市 is mentioned once, in 位于高密市.
    let nodes = g["nodes"].as_array().unwrap();
    let gaomi = nodes.iter().find(|n| n["id"] == "高密市").unwrap();
    assert_eq!(gaomi["mentions"], 1);
}

#[test]
fn evidence_points_into_the_original_text() {
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.json"]);
    let g = json(&dir.path().join("g.json"));
    for e in g["edges"].as_array().unwrap() {
        for ev in e["evidence"].as_array().unwrap() {
            let text = std::fs::read_to_string(examples().join(ev["doc"].as_str().unwrap())).unwrap();
            let chars: Vec<char> = text.chars().collect();
            let slice = |span: &serde_json::Value| -> String {
                let (s, e) = (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
                chars[s..e].iter().filter(|c| **c != '\n').collect()
            };
            let (head, tail) = (slice(&ev["head"]), slice(&ev["tail"]));
            assert!(ev["sentence"].as_str().unwrap().contains(&head[..head.len().min(3)]));
            let node = |name: &serde_json::Value| {
                g["nodes"].as_array().unwrap().iter().find(|n| n["id"] == *name).unwrap().clone()
            };
            for (surface, name) in [(head, &e["source"]), (tail, &e["target"])] {
                let n = node(name);
                let mut forms: Vec<String> = vec![n["id"].as_str().unwrap().to_string()];
                forms.extend(n["aliases"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()));
                let normal = surface.replace('（', "(").replace('）', ")");
                assert!(forms.contains(&normal), "span text {surface:?} is not a name of {name}");
            }
        }
    }
}

#[test]
fn the_hard_wrapped_name_is_found_with_its_span_across_the_line_break() {
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.json"]);
    let g = json(&dir.path().join("g.json"));
    let edge = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["relation"] == "invests-in" && e["source"] == "刘水源")
        .unwrap()
        .clone();
    let ev = &edge["evidence"][0];
    let text = std::fs::read_to_string(examples().join("03_investment.txt")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = (ev["tail"]["start"].as_u64().unwrap() as usize, ev["tail"]["end"].as_u64().unwrap() as usize);
    let span: String = chars[s..e].iter().collect();
    assert_eq!(span, "浙商（临朐）智能\n智造产业园");
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["a.json", "a.graphml", "a.dot"]);
    build_examples(dir.path(), &["b.json", "b.graphml", "b.dot"]);
    for ext in ["json", "graphml", "dot"] {
        let a = std::fs::read(dir.path().join(format!("a.{ext}"))).unwrap();
        let b = std::fs::read(dir.path().join(format!("b.{ext}"))).unwrap();
        assert!(a == b, "{ext} differs between two runs");
    }
}

#[test]
fn reads_standard_input_and_gbk() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(examples().join("03_investment.txt")).unwrap();
    let out = guanxi_stdin(&["build", "-", "-o", "stdin.json"], dir.path(), Some(text.as_bytes()));
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("stdin.json"));
    assert_eq!(g["documents"][0]["id"], "stdin");
    assert!(typed_edges(&g).contains(&("王斌".into(), "invests-in".into(), "苏州(安丘)科技产业园".into())));

    // The same text in GBK gives a byte-identical graph.
    std::fs::create_dir(dir.path().join("utf8")).unwrap();
    std::fs::create_dir(dir.path().join("gbk")).unwrap();
    std::fs::write(dir.path().join("utf8/x.txt"), &text).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(dir.path().join("gbk/x.txt"), gbk).unwrap();
    for enc in ["utf8", "gbk"] {
        let out = guanxi(&["build", enc, "-o", &format!("{enc}.json")], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(
        std::fs::read(dir.path().join("utf8.json")).unwrap(),
        std::fs::read(dir.path().join("gbk.json")).unwrap()
    );
}

#[test]
fn every_gold_entity_is_found_in_its_document() {
    let Some(shared) = shared() else { return };
    let mut warn = |_: String| {};
    // The built-in dictionaries with the seeds' own (the redone gold names every project and company).
    let options = guanxi::Options { dicts: vec![shared.join("gold/seeds.dictionary.csv")], ..Default::default() };
    let pipeline = guanxi::Pipeline::new(&options, &mut warn).unwrap();
    let extractor = pipeline.extractor();
    let gold = std::fs::read_to_string(shared.join("gold/seeds.jsonl")).unwrap();
    let (mut checked, mut missed) = (0, Vec::new());
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = doc["doc"].as_str().unwrap();
        let text = std::fs::read_to_string(shared.join("corpus/seeds").join(id)).unwrap();
        let found = extractor.extract(&guanxi::model::Document::new(id, text));
        for e in doc["entities"].as_array().unwrap() {
            let name = e["name"].as_str().unwrap();
            let entity = pipeline.dict.lookup(name).unwrap_or_else(|| panic!("{name} is in no dictionary"));
            if !found.mentions.iter().any(|m| m.entity == entity) {
                missed.push(format!("{name} in {id}"));
            }
            checked += 1;
        }
    }
    // The redone gold names 125 entities; a few occur only inside a longer name (潍坊 in 潍坊综合保税区), where the
    // longest match wins by design. 119 were found when the gold changed (checked by hand: the misses are such).
    assert!(checked >= 120, "only {checked} gold entities checked");
    assert!(missed.len() <= 6, "{} not found: {missed:?}", missed.len());
}

#[test]
fn builds_the_seed_articles_into_valid_files() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let seeds = shared.join("corpus/seeds");
    let out = guanxi(&["build", seeds.to_str().unwrap(), "-o", "g.graphml", "-o", "g.dot", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("5 documents (0 skipped)"), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    assert_eq!(g["documents"].as_array().unwrap().len(), 5);
    if have("xmllint", &["--version"]) {
        let xsd = shared.join("schemas/graphml/graphml.xsd");
        let v = run("xmllint", &["--nonet", "--noout", "--schema", xsd.to_str().unwrap(), "g.graphml"], dir.path());
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
    if have("dot", &["-V"]) {
        let v = run("dot", &["-Tsvg", "g.dot", "-o", "g.svg"], dir.path());
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
}

/// --hierarchy turns the dictionaries' parents into located-in edges up to the province (marked as the
/// dictionary's), so that everything under a city can be asked for; with --update it is refused.
#[test]
fn hierarchy_rolls_places_up_to_the_province() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "星河电子有限公司落户东至县。").unwrap();
    let out = guanxi(&["build", "a.txt", "--hierarchy", "-o", "g.json", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    let edges = typed_edges(&g);
    // 东至县 lies in 池州市, which lies in 安徽省 (builtin china.csv's parent column).
    for (h, t) in [("东至县", "池州市"), ("池州市", "安徽省")] {
        assert!(edges.contains(&(h.into(), "located-in".into(), t.into())), "{edges:?}");
    }
    let rule =
        g["edges"].as_array().unwrap().iter().find(|e| e["source"] == "池州市").unwrap()["evidence"][0]["rule"].clone();
    assert_eq!(rule, "dictionary-parent");
    let out = guanxi(
        &["neighbors", "安徽省", "-g", "g.json", "--depth", "3", "--relation", "located-in", "--json"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("星河电子有限公司"));
    let out = guanxi(&["build", "a.txt", "-o", "h.json", "-q"], dir.path());
    assert!(out.status.success());
    assert!(!typed_edges(&json(&dir.path().join("h.json"))).iter().any(|(_, _, t)| t == "安徽省"));
    let out = guanxi(&["build", "a.txt", "--hierarchy", "--update", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

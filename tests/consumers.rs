//! Real consumers accept every output: xmllint against the GraphML XSD, networkx, and Graphviz rendering
//! Chinese labels.

mod common;

use common::*;

#[test]
fn graphml_validates_against_the_xsd() {
    let Some(shared) = shared() else { return };
    if !have("xmllint", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.graphml"]);
    let xsd = shared.join("schemas/graphml/graphml.xsd");
    let out = run("xmllint", &["--nonet", "--noout", "--schema", xsd.to_str().unwrap(), "g.graphml"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn networkx_reads_the_graphml() {
    if !have("python3", &["-c", "import networkx"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.graphml", "g.json"]);
    let script = r#"
import json, networkx as nx
g = nx.read_graphml("g.graphml")
j = json.load(open("g.json"))
assert g.number_of_nodes() == len(j["nodes"]), (g.number_of_nodes(), len(j["nodes"]))
assert g.number_of_edges() == len(j["edges"]), (g.number_of_edges(), len(j["edges"]))
labels = {d["label"]: d for _, d in g.nodes(data=True)}
assert labels["潍坊综合保税区"]["type"] == "district"
assert "综保区" in labels["潍坊综合保税区"]["aliases"].split("|")
assert isinstance(labels["潍坊综合保税区"]["mentions"], int)
ids = {d["label"]: n for n, d in g.nodes(data=True)}
edges = g.get_edge_data(ids["王龙堂"], ids["潍坊综合保税区"])
rels = {d["relation"]: d for d in edges.values()}
assert rels["leads"]["title"] == "党工委书记", rels
assert rels["leads"]["weight"] == 1.0
assert rels["leads"]["directed"] is True
# Undirected co-occurrence is stored head-first by name: 潍 (U+6F4D) sorts before 王 (U+738B).
back = {d["relation"]: d for d in g.get_edge_data(ids["潍坊综合保税区"], ids["王龙堂"]).values()}
assert back["co-occurs"]["directed"] is False, back
assert "王龙堂" in rels["leads"]["evidence"]
print("networkx ok")
"#;
    let out = run("python3", &["-c", script], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn networkx_reads_the_gexf() {
    if !have("python3", &["-c", "import networkx"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.gexf", "g.json"]);
    let script = r#"
import json, networkx as nx
g = nx.read_gexf("g.gexf")
j = json.load(open("g.json"))
assert g.is_directed()
assert g.number_of_nodes() == len(j["nodes"]), (g.number_of_nodes(), len(j["nodes"]))
# A mutual edge is read as one edge each way: co-occurrence counts twice.
co = sum(1 for e in j["edges"] if e["relation"] == "co-occurs")
assert g.number_of_edges() == len(j["edges"]) + co, (g.number_of_edges(), len(j["edges"]), co)
ids = {d["label"]: n for n, d in g.nodes(data=True)}
rels = {d["relation"]: d for d in g.get_edge_data(ids["王龙堂"], ids["潍坊综合保税区"]).values()}
assert rels["leads"]["directed"] is True, rels
assert rels["co-occurs"]["directed"] is False, rels
back = {d["relation"]: d for d in g.get_edge_data(ids["潍坊综合保税区"], ids["王龙堂"]).values()}
assert set(back) == {"co-occurs"} and back["co-occurs"]["directed"] is False, back
print("networkx gexf ok")
"#;
    let out = run("python3", &["-c", script], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn graphviz_renders_svg_and_png_with_chinese_labels() {
    if !have("dot", &["-V"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.dot"]);
    for format in ["svg", "png"] {
        let out = run("dot", &[&format!("-T{format}"), "g.dot", "-o", &format!("g.{format}")], dir.path());
        assert!(out.status.success(), "dot -T{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(std::fs::metadata(dir.path().join(format!("g.{format}"))).unwrap().len() > 1000);
    }
    let svg = std::fs::read_to_string(dir.path().join("g.svg")).unwrap();
    assert!(svg.contains(">潍坊综合保税区<"), "Chinese label missing from the SVG");
    // The font the labels use must really have Chinese glyphs: ask fontconfig what it picks for them.
    if have("fc-match", &["--version"]) {
        let out = run("fc-match", &[":lang=zh-cn", "family"], dir.path());
        let family = String::from_utf8_lossy(&out.stdout).to_string();
        let listed = guanxi::export::dot::FONT.split(',').any(|f| family.contains(f.trim()));
        assert!(listed, "fontconfig picks {family:?} for Chinese, which the DOT font list does not name");
    }
}

#[test]
fn gexf_validates_against_the_relaxng_schema() {
    let Some(shared) = shared() else { return };
    if !have("xmllint", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.gexf"]);
    let seeds = shared.join("corpus/seeds");
    let out = guanxi(&["build", seeds.to_str().unwrap(), "-o", "seeds.gexf", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let rng = shared.join("schemas/gexf-1.3/gexf.rng");
    for file in ["g.gexf", "seeds.gexf"] {
        let v = run("xmllint", &["--nonet", "--noout", "--relaxng", rng.to_str().unwrap(), file], dir.path());
        assert!(v.status.success(), "{file}: {}", String::from_utf8_lossy(&v.stderr));
    }
    let gexf = std::fs::read_to_string(dir.path().join("g.gexf")).unwrap();
    // Typed edges between the same two entities stay apart in Gephi: each has its own kind.
    assert!(gexf.contains("kind=\"located-in\"") && gexf.contains("kind=\"co-occurs\""));
}

/// A graph whose names hold every character that needs escaping somewhere (`& < > " ' \`, a `;` and a `|`),
/// built through a user dictionary (in CSV a quote inside a quoted field is doubled).
fn awkward_graph(dir: &std::path::Path) {
    std::fs::write(
        dir.join("odd.csv"),
        "name,type,aliases\n\"A&B<公司>\\\"\"甲'\",company,甲乙公司\n\"星;河|园\",park,星河园\n\"张\\n三\",official,张三\n",
    )
    .unwrap();
    std::fs::write(dir.join("a.txt"), "甲乙公司董事长张三表示,甲乙公司落户星河园。\u{1}\u{7}").unwrap();
    let out = guanxi(
        &[
            "build",
            "a.txt",
            "--no-default-dict",
            "--dict",
            "odd.csv",
            "-o",
            "odd.graphml",
            "-o",
            "odd.gexf",
            "-o",
            "odd.dot",
            "-o",
            "odd.json",
            "-o",
            "odd.neo4j",
        ],
        dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn awkward_names_are_escaped_for_every_consumer() {
    let dir = tempfile::tempdir().unwrap();
    awkward_graph(dir.path());
    let g = json(&dir.path().join("odd.json"));
    let names: Vec<&str> = g["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(names, ["A&B<公司>\\\"甲'", "张\\n三", "星;河|园"]);
    if let Some(shared) = shared() {
        if have("xmllint", &["--version"]) {
            let xsd = shared.join("schemas/graphml/graphml.xsd");
            let rng = shared.join("schemas/gexf-1.3/gexf.rng");
            let v =
                run("xmllint", &["--nonet", "--noout", "--schema", xsd.to_str().unwrap(), "odd.graphml"], dir.path());
            assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
            let v = run("xmllint", &["--nonet", "--noout", "--relaxng", rng.to_str().unwrap(), "odd.gexf"], dir.path());
            assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        }
    }
    if have("dot", &["-V"]) {
        let v = run("dot", &["-Tsvg", "odd.dot", "-o", "odd.svg"], dir.path());
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        let svg = std::fs::read_to_string(dir.path().join("odd.svg")).unwrap();
        assert!(svg.contains("A&amp;B&lt;公司&gt;\\&quot;甲&#39;"), "{svg}");
    }
    if have("python3", &["-c", "import networkx"]) {
        let v = run(
            "python3",
            &[
                "-c",
                "import networkx as nx; g = nx.read_graphml('odd.graphml'); \
            labels = sorted(d['label'] for _, d in g.nodes(data=True)); \
            assert labels == ['A&B<公司>\\\\\"甲\\'', '张\\\\n三', '星;河|园'], labels",
            ],
            dir.path(),
        );
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
}

#[test]
fn igraph_reads_the_graphml() {
    if !have("python3", &["-c", "import igraph"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.graphml", "g.json"]);
    let script = r#"
import json, igraph
g = igraph.Graph.Read_GraphML("g.graphml")
j = json.load(open("g.json"))
assert g.vcount() == len(j["nodes"]) and g.ecount() == len(j["edges"]), (g.vcount(), g.ecount())
v = g.vs.find(label="潍坊综合保税区")
assert v["type"] == "district" and v["r"] == 51 and v["g"] == 160 and v["b"] == 44, v.attributes()
leads = [e for e in g.es if e["relation"] == "leads"]
assert len(leads) == 3 and all(e["directed"] for e in leads)
print("igraph ok")
"#;
    let out = run("python3", &["-c", script], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Checks a Neo4j import CSV header against the `neo4j-admin database import` syntax: each field is `name`,
/// `name:type`, `name:type[]`, or a key field (`:ID`, `name:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`).
fn check_neo4j_header(header: &[String], required: &[&str]) {
    const TYPES: &[&str] = &[
        "int",
        "long",
        "float",
        "double",
        "boolean",
        "byte",
        "short",
        "char",
        "string",
        "point",
        "date",
        "localtime",
        "time",
        "localdatetime",
        "datetime",
        "duration",
    ];
    const KEYS: &[&str] = &["ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"];
    for field in header {
        match field.split_once(':') {
            None => assert!(!field.is_empty() && !field.contains(' '), "bad property name {field:?}"),
            Some((name, ty)) => {
                let base = ty.strip_suffix("[]").unwrap_or(ty);
                let ok = KEYS.contains(&ty) || TYPES.contains(&base.to_ascii_lowercase().as_str());
                assert!(ok, "field {field:?} has an unknown type {ty:?}");
                assert!(!(KEYS.contains(&ty) && ty != "ID" && !name.is_empty()), "{field:?}: only :ID may be named");
            }
        }
    }
    for r in required {
        assert!(header.iter().any(|f| f.ends_with(r)), "header lacks {r}: {header:?}");
    }
}

#[test]
fn neo4j_csv_follows_the_import_syntax() {
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.neo4j", "g.json"]);
    awkward_graph(dir.path());
    for graph in ["g.neo4j", "odd.neo4j"] {
        let read = |name: &str| {
            let mut r = csv::Reader::from_path(dir.path().join(graph).join(name)).unwrap();
            let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
            let rows: Vec<Vec<String>> =
                r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect();
            (header, rows)
        };
        let (nh, nodes) = read("nodes.csv");
        let (rh, rels) = read("relationships.csv");
        check_neo4j_header(&nh, &[":ID", ":LABEL"]);
        check_neo4j_header(&rh, &[":START_ID", ":END_ID", ":TYPE"]);
        let ids: std::collections::HashSet<&str> = nodes.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids.len(), nodes.len(), "node ids are unique");
        for r in &rels {
            assert!(ids.contains(r[0].as_str()) && ids.contains(r[1].as_str()), "dangling relationship {r:?}");
            assert!(r[2].chars().all(|c| c.is_ascii_uppercase() || c == '_'), "type {}", r[2]);
        }
        for r in &nodes {
            assert!(r[2].starts_with("Entity;"), "labels {}", r[2]);
            assert!(r[7].parse::<i64>().is_ok() && r[8].parse::<i64>().is_ok());
        }
        if graph == "g.neo4j" {
            let g = json(&dir.path().join("g.json"));
            assert_eq!(nodes.len(), g["nodes"].as_array().unwrap().len());
            assert_eq!(rels.len(), g["edges"].as_array().unwrap().len());
        } else {
            // 星;河|园: the array delimiter is replaced inside values.
            assert!(nodes.iter().any(|r| r[1] == "星；河|园"), "{nodes:?}");
        }
    }
}

#[test]
fn dot_keeps_the_most_connected_entities_and_draws_a_legend() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = examples();
    let out = guanxi(&["build", corpus.to_str().unwrap(), "-o", "top.dot", "--top", "3"], dir.path());
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("top.dot: the DOT output keeps the 3 most connected of 26 entities"),
        "{}",
        stderr(&out)
    );
    let dot = std::fs::read_to_string(dir.path().join("top.dot")).unwrap();
    // 潍坊综合保税区 has 6 neighbours; then 德纳 and 新能源汽车动力产业园 (2 each, with 2 typed edges and most mentions
    // first, then by name) — see `guanxi stats` on the example graph.
    let nodes: Vec<&str> =
        dot.lines().filter(|l| l.trim_start().starts_with('n') && l.contains("[label=") && !l.contains("->")).collect();
    assert_eq!(nodes.len(), 3, "{dot}");
    assert!(dot.contains("label=\"潍坊综合保税区\"") && dot.contains("label=\"德纳\""));
    assert!(dot.contains("  legend [shape=plaintext"));
    if have("dot", &["-V"]) {
        let v = run("dot", &["-Tpng", "top.dot", "-o", "top.png"], dir.path());
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
}

/// Above 60 entities the layout is sfdp, which moved the old legend's boxes and stub edges among the real nodes:
/// the legend is now one table node that holds no edge, and Graphviz lays it out and renders it.
#[test]
fn a_large_dot_graph_has_a_legend_that_cannot_pass_for_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut dict = String::from("name,type,aliases\n");
    for i in 0..80 {
        dict.push_str(&format!("戊{i}号新材料有限公司,company,\n"));
        text.push_str(&format!("戊{i}号新材料有限公司总部位于潍坊高新区。"));
    }
    std::fs::write(dir.path().join("big.txt"), text).unwrap();
    std::fs::write(dir.path().join("big.csv"), dict).unwrap();
    let out = guanxi(&["build", "big.txt", "--dict", "big.csv", "-o", "big.dot", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let dot = std::fs::read_to_string(dir.path().join("big.dot")).unwrap();
    assert!(dot.contains("layout=sfdp"));
    let legend: Vec<&str> = dot.lines().filter(|l| l.contains("legend")).collect();
    assert_eq!(legend.len(), 1, "{legend:?}");
    assert!(legend[0].starts_with("  legend [shape=plaintext") && legend[0].contains("<TABLE"), "{}", legend[0]);
    assert!(!dot.contains("cluster"), "no cluster of stand-in nodes and edges");
    if have("dot", &["-V"]) {
        let v = run("dot", &["-Tsvg", "big.dot", "-o", "big.svg"], dir.path());
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        let svg = std::fs::read_to_string(dir.path().join("big.svg")).unwrap();
        assert!(svg.contains(">legend<") && svg.contains("located&#45;in"), "the legend is drawn");
    }
}

/// Dated documents make the GEXF dynamic: each edge has a spell for each year with evidence (the year, cut at the
/// edge's first and last dates) and its sentences in each. The file validates against the GEXF 1.3 schema and networkx
/// reads the spells.
#[test]
fn gexf_of_dated_documents_is_dynamic_with_each_edges_dates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "2021年3月1日\n歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    std::fs::write(dir.path().join("b.txt"), "2023-05-08\n歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    std::fs::write(dir.path().join("e.txt"), "2023-11-20\n歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    std::fs::write(dir.path().join("c.txt"), "青啤数字化工厂落户奎文区。").unwrap();
    let out = guanxi(&["build", "a.txt", "b.txt", "c.txt", "e.txt", "-o", "d.gexf", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let gexf = std::fs::read_to_string(dir.path().join("d.gexf")).unwrap();
    assert!(gexf.contains("<graph mode=\"dynamic\" timeformat=\"date\""), "{gexf}");
    let edges: Vec<&str> = gexf.split("<edge ").skip(1).filter(|e| e.contains("kind=\"located-in\"")).collect();
    assert_eq!(edges.len(), 2, "{gexf}");
    // 歌尔 in 高新区: said in 2021 once and in 2023 twice. 青啤数字化工厂 in 奎文区: said in an undated document, so
    // it has no spell and is there at all times.
    let goer = edges.iter().find(|e| e.contains("<spells>")).expect("an edge with spells");
    assert!(
        goer.contains(
            "<spells>\n          <spell start=\"2021-03-01\" end=\"2021-12-31\"/>\n          \
             <spell start=\"2023-01-01\" end=\"2023-11-20\"/>\n        </spells>"
        ),
        "{goer}"
    );
    assert!(
        goer.contains("<attvalue for=\"sentences\" value=\"2\" start=\"2023-01-01\" end=\"2023-11-20\"/>"),
        "{goer}"
    );
    assert!(edges.iter().any(|e| !e.contains("spell")), "{edges:?}");
    if let Some(shared) = shared() {
        if have("xmllint", &["--version"]) {
            let rng = shared.join("schemas/gexf-1.3/gexf.rng");
            let v = run("xmllint", &["--nonet", "--noout", "--relaxng", rng.to_str().unwrap(), "d.gexf"], dir.path());
            assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        }
    }
    if have("python3", &["-c", "import networkx"]) {
        let script = "import networkx as nx\ng = nx.read_gexf('d.gexf')\n\
                      spells = sorted(str(d.get('spells')) for _, _, d in g.edges(data=True) if d['relation'] == 'located-in')\n\
                      assert spells == ['None', \"[('2021-03-01', '2021-12-31'), ('2023-01-01', '2023-11-20')]\"], spells\n";
        let v = run("python3", &["-c", script], dir.path());
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
}

/// Confidences reach every consumer with the values guanxi gave them (see `SCORED_RESULTS`: located-in 甲公司 → 乙区
/// 0.85, leads 王五 → 甲公司 0.95, located-in 丙镇 → 乙区 0.45, co-occurrences without; the discovered 甲公司 0.9):
/// GraphML against the XSD and in networkx, GEXF against the RelaxNG schema and in networkx, the Neo4j CSV in pandas
/// (and the import header syntax), DOT in Graphviz.
#[test]
fn every_consumer_reads_the_confidences() {
    let dir = tempfile::tempdir().unwrap();
    scored_graph(dir.path(), &["s.graphml", "s.gexf", "s.dot", "s.neo4j"]);
    if let Some(shared) = shared() {
        if have("xmllint", &["--version"]) {
            let xsd = shared.join("schemas/graphml/graphml.xsd");
            let rng = shared.join("schemas/gexf-1.3/gexf.rng");
            for (how, schema, file) in [("--schema", xsd, "s.graphml"), ("--relaxng", rng, "s.gexf")] {
                let v = run("xmllint", &["--nonet", "--noout", how, schema.to_str().unwrap(), file], dir.path());
                assert!(v.status.success(), "{file}: {}", String::from_utf8_lossy(&v.stderr));
            }
        }
    }
    if have("python3", &["-c", "import networkx"]) {
        let script = r#"
import networkx as nx
for g in [nx.read_graphml("s.graphml"), nx.read_gexf("s.gexf")]:
    ids = {d["label"]: n for n, d in g.nodes(data=True)}
    conf = {(g.nodes[a]["label"], d["relation"], g.nodes[b]["label"]): d.get("confidence") for a, b, d in g.edges(data=True)}
    assert conf[("甲公司", "located-in", "乙区")] == 0.85, conf
    assert conf[("王五", "leads", "甲公司")] == 0.95, conf
    assert conf[("丙镇", "located-in", "乙区")] == 0.45, conf
    assert conf[("乙区", "co-occurs", "甲公司")] is None, conf
    assert all(isinstance(c, float) for c in conf.values() if c is not None), conf
    assert g.nodes[ids["甲公司"]]["confidence"] == 0.9 and "confidence" not in g.nodes[ids["乙区"]]
print("networkx ok")
"#;
        let out = run("python3", &["-c", script], dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    if have("python3", &["-c", "import pandas"]) {
        let script = r#"
import pandas as pd
nodes = pd.read_csv("s.neo4j/nodes.csv")
rels = pd.read_csv("s.neo4j/relationships.csv")
assert list(rels.columns)[-1] == "confidence:float" and list(nodes.columns)[-1] == "confidence:float"
assert rels["confidence:float"].dtype == "float64" and nodes["confidence:float"].dtype == "float64"
got = {(r[":TYPE"], r["weight:double"]): r["confidence:float"] for _, r in rels.iterrows()}
assert got[("LOCATED_IN", 5)] == 0.85 and got[("LEADS", 1)] == 0.95 and got[("LOCATED_IN", 1)] == 0.45, got
assert rels["confidence:float"].isna().sum() == 2
assert nodes.set_index("name")["confidence:float"].dropna().to_dict() == {"甲公司": 0.9}
print("pandas ok")
"#;
        let out = run("python3", &["-c", script], dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let mut r = csv::Reader::from_path(dir.path().join("s.neo4j/relationships.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    check_neo4j_header(&header, &[":START_ID", ":END_ID", ":TYPE", "confidence:float"]);
    if have("dot", &["-V"]) {
        let v = run("dot", &["-Tsvg", "s.dot", "-o", "s.svg"], dir.path());
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        let svg = std::fs::read_to_string(dir.path().join("s.svg")).unwrap();
        assert!(svg.contains(">located&#45;in (0.850)<") && svg.contains(">leads (0.950)<"), "{svg}");
    }
}

/// The edge table (`-o edges.csv`) as pandas reads it: a byte-order mark, one row per edge keyed by canonical names,
/// confidences as floats (see `SCORED_RESULTS`: located-in 甲公司 → 乙区 0.85 over five sentences, leads 王五 → 甲公司
/// 0.95, located-in 丙镇 → 乙区 0.45, co-occurrences without).
#[test]
fn pandas_reads_the_edge_table() {
    let dir = tempfile::tempdir().unwrap();
    scored_graph(dir.path(), &["s.csv", "s.json"]);
    let bytes = std::fs::read(dir.path().join("s.csv")).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "no byte-order mark");
    let g = json(&dir.path().join("s.json"));
    let rows = String::from_utf8(bytes[3..].to_vec()).unwrap().lines().count() - 1;
    assert_eq!(rows, g["edges"].as_array().unwrap().len());
    if have("python3", &["-c", "import pandas"]) {
        let script = r#"
import pandas as pd
t = pd.read_csv("s.csv", encoding="utf-8-sig")
assert list(t.columns[:8]) == ["source", "source_type", "relation", "target", "target_type", "directed", "weight", "confidence"], list(t.columns)
assert t["confidence"].dtype == "float64"
got = {(r.source, r.relation, r.target): (r.weight, r.confidence) for r in t.itertuples()}
assert got[("甲公司", "located-in", "乙区")] == (5, 0.85), got
assert got[("王五", "leads", "甲公司")] == (1, 0.95), got
assert got[("丙镇", "located-in", "乙区")] == (1, 0.45), got
co = t[t.relation == "co-occurs"]
assert len(co) > 0 and co["confidence"].isna().all() and not co["directed"].any()
assert t[t.relation != "co-occurs"]["directed"].all()
print("pandas ok")
"#;
        let out = run("python3", &["-c", script], dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// networkx keys a GraphML or GEXF graph by the entities' canonical names, even where a name holds characters an
/// XML id may not (浙商(临朐)智能智造产业园).
#[test]
fn networkx_keys_graphml_and_gexf_by_name() {
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.graphml", "g.gexf"]);
    if have("python3", &["-c", "import networkx"]) {
        let script = r#"
import networkx as nx
g = nx.read_graphml("g.graphml")
assert g.has_edge("王龙堂", "潍坊综合保税区"), list(g.nodes)
assert "浙商_x0028_临朐_x0029_智能智造产业园" in g and g.nodes["浙商_x0028_临朐_x0029_智能智造产业园"]["label"] == "浙商(临朐)智能智造产业园"
h = nx.read_gexf("g.gexf")
assert h.has_edge("王龙堂", "潍坊综合保税区") and "浙商(临朐)智能智造产业园" in h, list(h.nodes)
print("networkx ok")
"#;
        let out = run("python3", &["-c", script], dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

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

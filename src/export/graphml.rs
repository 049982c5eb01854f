//! GraphML for networkx, igraph, Gephi, yEd and Cytoscape; valid against the GraphML 1.0 XSD.
//!
//! Node data: `label`, `type`, `aliases` (`|`-joined), `parent`, `title`, `mentions`, `documents`, `source`
//! (`dictionary` or `discovered`), and the
//! colour by type as `r`, `g`, `b`, which Gephi reads as the node colour.
//! Edge data: `relation`, `weight`, `evidence` (one example sentence), `doc`, `rule`, `title` (for `leads`); with dated evidence,
//! `first` and `last` (ISO dates) and `years` (sentences per year: `2023:2 2024:1`).
//! `directed` (boolean) is false for co-occurrence edges. The GraphML `directed="false"` edge attribute is not
//! used: networkx refuses it inside a directed graph.
//! `confidence` (double, `0.873`) on the nodes and edges that have one (see [`crate::model::Confidence`]). Its keys
//! are declared in every file, with confidences or without, so that a script reading it finds the same attributes
//! whatever the build, and a spooled graph is written in one pass over its edges.

use std::io::{self, Write};

use super::{xml_text, Exporter};
use crate::graph::Graph;

/// The GraphML exporter.
pub struct GraphMl;

/// (key id, for, attr.name, attr.type)
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("n_label", "node", "label", "string"),
    ("n_type", "node", "type", "string"),
    ("n_aliases", "node", "aliases", "string"),
    ("n_parent", "node", "parent", "string"),
    ("n_title", "node", "title", "string"),
    ("n_mentions", "node", "mentions", "int"),
    ("n_documents", "node", "documents", "int"),
    ("n_source", "node", "source", "string"),
    ("n_confidence", "node", "confidence", "double"),
    ("n_r", "node", "r", "int"),
    ("n_g", "node", "g", "int"),
    ("n_b", "node", "b", "int"),
    ("e_relation", "edge", "relation", "string"),
    ("e_weight", "edge", "weight", "double"),
    ("e_confidence", "edge", "confidence", "double"),
    ("e_directed", "edge", "directed", "boolean"),
    ("e_evidence", "edge", "evidence", "string"),
    ("e_doc", "edge", "doc", "string"),
    ("e_rule", "edge", "rule", "string"),
    ("e_title", "edge", "title", "string"),
    ("e_first", "edge", "first", "string"),
    ("e_last", "edge", "last", "string"),
    ("e_years", "edge", "years", "string"),
];

fn data(out: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(out, "      <data key=\"{key}\">{}</data>", xml_text(value))
}

/// A node's id: its canonical name, so that `networkx.read_graphml` keys the graph by name. GraphML ids are
/// `xs:NMTOKEN`s: a character outside ASCII letters and digits, `-`, `.` and the CJK ideographs U+4E00–U+9FA5
/// (what XML 1.0's `NameChar` holds everywhere) is written `_xHHHH_`, and `_` itself `_x005F_`, so that two names
/// never share an id (the empty name is `_`).
pub fn node_id(name: &str) -> String {
    use std::fmt::Write as _;
    let mut id = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') || ('\u{4E00}'..='\u{9FA5}').contains(&c) {
            id.push(c);
        } else {
            let _ = write!(id, "_x{:04X}_", u32::from(c));
        }
    }
    // An empty name (a lone `_` is no other name's id: every other id has a character or an escape).
    if id.is_empty() {
        id.push('_');
    }
    id
}

impl Exporter for GraphMl {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
             http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">"
        )?;
        for (id, domain, name, ty) in KEYS {
            writeln!(out, "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>")?;
        }
        writeln!(out, "  <graph id=\"guanxi\" edgedefault=\"directed\">")?;
        for (_, node) in graph.sorted_nodes() {
            writeln!(out, "    <node id=\"{}\">", node_id(&node.name))?;
            data(out, "n_label", &node.name)?;
            data(out, "n_type", &node.kind)?;
            data(out, "n_aliases", &node.aliases.join("|"))?;
            if let Some(p) = &node.parent {
                data(out, "n_parent", p)?;
            }
            if let Some(t) = &node.title {
                data(out, "n_title", t)?;
            }
            data(out, "n_mentions", &node.mentions.to_string())?;
            data(out, "n_documents", &node.documents.to_string())?;
            data(out, "n_source", node.source())?;
            if let Some(c) = node.confidence {
                data(out, "n_confidence", &c.to_string())?;
            }
            let c = super::style::type_style(&node.kind).dark;
            data(out, "n_r", &c.0.to_string())?;
            data(out, "n_g", &c.1.to_string())?;
            data(out, "n_b", &c.2.to_string())?;
            writeln!(out, "    </node>")?;
        }
        for (e, sorted) in graph.sorted_edges()?.enumerate() {
            let sorted = sorted?;
            let edge = &sorted.edge;
            let (source, target) = (node_id(&sorted.head.name), node_id(&sorted.tail.name));
            writeln!(out, "    <edge id=\"e{e}\" source=\"{source}\" target=\"{target}\">")?;
            data(out, "e_relation", &edge.relation)?;
            data(out, "e_weight", &edge.weight.to_string())?;
            if let Some(c) = edge.confidence {
                data(out, "e_confidence", &c.to_string())?;
            }
            data(out, "e_directed", if edge.directed() { "true" } else { "false" })?;
            if let Some(ev) = edge.evidence.first() {
                data(out, "e_evidence", &ev.sentence)?;
                data(out, "e_doc", &ev.doc)?;
                data(out, "e_rule", &ev.rule)?;
            }
            if let Some(t) = edge.title() {
                data(out, "e_title", t)?;
            }
            if let Some(t) = &edge.time {
                data(out, "e_first", &t.first.to_string())?;
                data(out, "e_last", &t.last.to_string())?;
                data(out, "e_years", &t.years_text())?;
            }
            writeln!(out, "    </edge>")?;
        }
        writeln!(out, "  </graph>")?;
        writeln!(out, "</graphml>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids_are_names_with_what_an_nmtoken_may_not_hold_escaped() {
        let table = [
            ("潍坊市", "潍坊市"),
            ("浙商(临朐)产业园", "浙商_x0028_临朐_x0029_产业园"),
            ("a_b", "a_x005F_b"),
            ("a b", "a_x0020_b"),
            ("TPU-1.5", "TPU-1.5"),
            ("", "_"),
            ("\u{0}", "_x0000_"),
        ];
        for (name, want) in table {
            assert_eq!(node_id(name), want, "{name}");
        }
    }

    #[test]
    fn writes_the_fixture_graph() {
        let mut out = Vec::new();
        GraphMl.export(&super::super::fixture::graph(), &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        // Nodes are sorted by name (code point order): A&B…, 安丘市, 王斌, 苏州(安丘)科技产业园.
        // Node ids are the names, with what an NMTOKEN may not hold written _xHHHH_ (worked out by hand from the
        // fixture's name A&B <"公司">\u{1}\\x).
        let odd = "A_x0026_B_x0020__x003C__x0022_公司_x0022__x003E__x0001__x005C_x";
        assert!(
            s.contains(&format!(
                "<node id=\"{odd}\">\n      <data key=\"n_label\">A&amp;B &lt;&quot;公司&quot;&gt;\\x</data>"
            )),
            "{s}"
        );
        assert!(s.contains("<data key=\"n_aliases\">a&apos;b|c|d</data>"));
        assert!(s.contains("<node id=\"安丘市\">\n      <data key=\"n_label\">安丘市</data>"));
        assert!(s.contains("<data key=\"n_parent\">潍坊市</data>"));
        // 王斌 co-occurs with 安丘市: undirected, weight 2.
        assert!(s.contains("source=\"王斌\" target=\"安丘市\">\n      <data key=\"e_relation\">co-occurs</data>\n      <data key=\"e_weight\">2</data>\n      <data key=\"e_directed\">false</data>"));
        assert!(s.contains(&format!("source=\"{odd}\" target=\"王斌\">\n      <data key=\"e_relation\">leads</data>")));
        assert!(s.contains("<data key=\"e_title\">董事长</data>"));
        // Confidences where the fixture has them (the park, invests-in, located-in), with keys declared always.
        assert!(s.contains("<key id=\"e_confidence\" for=\"edge\" attr.name=\"confidence\" attr.type=\"double\"/>"));
        assert!(s.contains("<key id=\"n_confidence\" for=\"node\" attr.name=\"confidence\" attr.type=\"double\"/>"));
        assert!(s.contains("<data key=\"n_source\">discovered</data>\n      <data key=\"n_confidence\">0.912</data>"));
        assert!(s.contains("<data key=\"e_relation\">invests-in</data>\n      <data key=\"e_weight\">1</data>\n      <data key=\"e_confidence\">0.873</data>"));
        assert!(s.contains("<data key=\"e_confidence\">0.500</data>"));
        assert_eq!(s.matches("<data key=\"e_confidence\">").count(), 2);
        assert_eq!(s.matches("<data key=\"n_confidence\">").count(), 1);
        assert!(!s.contains('\u{1}'));
    }
}

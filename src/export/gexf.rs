//! GEXF 1.3, Gephi's native format; valid against the GEXF 1.3 RelaxNG schema.
//!
//! Nodes carry `viz:color` by type and `viz:size` by mentions; edges carry `kind` = the relation, so that typed
//! edges between the same two entities are not merged by Gephi, `weight`, a per-edge `type` and `viz:color` by
//! relation. Attributes are those of the GraphML export, `confidence` (double) among them: declared in every file,
//! given on the nodes and edges that have one.
//!
//! With dated documents the graph is `dynamic` (`timeformat="date"`): an edge with dated evidence carries one
//! `<spell>` per year it has evidence in (the whole year, cut at the edge's first and last dates), and the dynamic
//! attribute `sentences`, its number of sentences in each such year; Gephi's timeline plays it. Edges without dated
//! evidence have no spell: they are there at all times.
//!
//! The graph is directed, and co-occurrence, which has no direction, is a `mutual` edge (GEXF's edge that goes both
//! ways), with the attribute `directed` false: a GEXF graph that mixes `directed` and `undirected` edges is valid,
//! but networkx refuses it ("Undirected edge found in directed graph").

use std::io::{self, Write};

use super::style::{node_size, relation_style, type_style};
use super::{xml_text, Exporter};
use crate::graph::{Graph, SortedEdge};
use crate::read::dates::Date;

/// The GEXF exporter.
pub struct Gexf;

/// (id, class, title, type)
const ATTRIBUTES: &[(&str, &str, &str, &str)] = &[
    ("type", "node", "type", "string"),
    ("aliases", "node", "aliases", "string"),
    ("parent", "node", "parent", "string"),
    ("title", "node", "title", "string"),
    ("mentions", "node", "mentions", "integer"),
    ("documents", "node", "documents", "integer"),
    ("source", "node", "source", "string"),
    ("confidence", "node", "confidence", "double"),
    ("relation", "edge", "relation", "string"),
    ("directed", "edge", "directed", "boolean"),
    ("evidence", "edge", "evidence", "string"),
    ("doc", "edge", "doc", "string"),
    ("rule", "edge", "rule", "string"),
    ("title", "edge", "title", "string"),
    ("confidence", "edge", "confidence", "double"),
];

fn attvalue(out: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(out, "          <attvalue for=\"{key}\" value=\"{}\"/>", xml_text(value))
}

impl Exporter for Gexf {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        // With dated documents the graph is dynamic, so that Gephi's timeline plays it.
        let dynamic = graph.has_dated_documents();
        write_head(graph, dynamic, out)?;
        write_nodes(graph, out)?;
        writeln!(out, "    <edges count=\"{}\">", graph.edge_count())?;
        for (e, sorted) in graph.sorted_edges()?.enumerate() {
            write_edge(e, &sorted?, dynamic, out)?;
        }
        writeln!(out, "    </edges>")?;
        writeln!(out, "  </graph>")?;
        writeln!(out, "</gexf>")
    }
}

/// The XML declaration, the meta data, the graph's opening tag (`dynamic` or `static`) and its attributes, with the
/// dynamic `sentences` of a dynamic graph's edges.
fn write_head(graph: &Graph, dynamic: bool, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">")?;
    writeln!(out, "  <meta>")?;
    writeln!(out, "    <creator>guanxi {}</creator>", env!("CARGO_PKG_VERSION"))?;
    writeln!(
        out,
        "    <description>Entities and relations found in {} documents</description>",
        graph.documents().len()
    )?;
    writeln!(out, "  </meta>")?;
    if !dynamic {
        writeln!(out, "  <graph mode=\"static\" defaultedgetype=\"directed\">")?;
    } else {
        writeln!(out, "  <graph mode=\"dynamic\" timeformat=\"date\" defaultedgetype=\"directed\">")?;
    }
    for class in ["node", "edge"] {
        writeln!(out, "    <attributes class=\"{class}\">")?;
        for (id, _, title, ty) in ATTRIBUTES.iter().filter(|a| a.1 == class) {
            writeln!(out, "      <attribute id=\"{id}\" title=\"{title}\" type=\"{ty}\"/>")?;
        }
        writeln!(out, "    </attributes>")?;
    }
    if dynamic {
        writeln!(out, "    <attributes class=\"edge\" mode=\"dynamic\">")?;
        writeln!(out, "      <attribute id=\"sentences\" title=\"sentences\" type=\"integer\"/>")?;
        writeln!(out, "    </attributes>")?;
    }
    Ok(())
}

/// The nodes in name order, each with its name as id, its attributes, a colour by type and a size by mentions.
fn write_nodes(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    let nodes = graph.sorted_nodes();
    writeln!(out, "    <nodes count=\"{}\">", nodes.len())?;
    for (_, node) in &nodes {
        // The id is the canonical name (GEXF ids are strings), so that networkx keys the graph by name.
        writeln!(out, "      <node id=\"{0}\" label=\"{0}\">", xml_text(&node.name))?;
        writeln!(out, "        <attvalues>")?;
        attvalue(out, "type", &node.kind)?;
        attvalue(out, "aliases", &node.aliases.join("|"))?;
        if let Some(p) = &node.parent {
            attvalue(out, "parent", p)?;
        }
        if let Some(t) = &node.title {
            attvalue(out, "title", t)?;
        }
        attvalue(out, "mentions", &node.mentions.to_string())?;
        attvalue(out, "documents", &node.documents.to_string())?;
        attvalue(out, "source", node.source())?;
        if let Some(c) = node.confidence {
            attvalue(out, "confidence", &c.to_string())?;
        }
        writeln!(out, "        </attvalues>")?;
        let c = type_style(&node.kind).dark;
        writeln!(out, "        <viz:color r=\"{}\" g=\"{}\" b=\"{}\"/>", c.0, c.1, c.2)?;
        writeln!(out, "        <viz:size value=\"{}\"/>", node_size(node.mentions))?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")
}

/// Edge number `e`: its ends, relation and weight, its attributes, with one spell per year it has evidence in
/// where the graph is `dynamic`, and a colour by relation.
fn write_edge(e: usize, sorted: &SortedEdge, dynamic: bool, out: &mut dyn Write) -> io::Result<()> {
    let edge = &sorted.edge;
    let relation = xml_text(&edge.relation);
    // One spell per year with evidence, within the first and last dates.
    let spells: Vec<(u64, Date, Date)> = edge.time.as_ref().filter(|_| dynamic).map_or(Vec::new(), |t| {
        t.years.iter().map(|&(y, n)| (n, Date::new_year(y).max(t.first), Date::year_end(y).min(t.last))).collect()
    });
    writeln!(
        out,
        "      <edge id=\"e{e}\" source=\"{}\" target=\"{}\" type=\"{}\" kind=\"{relation}\" label=\"{relation}\" weight=\"{}\">",
        xml_text(&sorted.head.name),
        xml_text(&sorted.tail.name),
        if edge.directed() { "directed" } else { "mutual" },
        edge.weight
    )?;
    writeln!(out, "        <attvalues>")?;
    attvalue(out, "relation", &edge.relation)?;
    attvalue(out, "directed", if edge.directed() { "true" } else { "false" })?;
    if let Some(ev) = edge.evidence.first() {
        attvalue(out, "evidence", &ev.sentence)?;
        attvalue(out, "doc", &ev.doc)?;
        attvalue(out, "rule", &ev.rule)?;
    }
    if let Some(t) = edge.title() {
        attvalue(out, "title", t)?;
    }
    if let Some(c) = edge.confidence {
        attvalue(out, "confidence", &c.to_string())?;
    }
    for (n, start, end) in &spells {
        writeln!(out, "          <attvalue for=\"sentences\" value=\"{n}\" start=\"{start}\" end=\"{end}\"/>")?;
    }
    writeln!(out, "        </attvalues>")?;
    if !spells.is_empty() {
        writeln!(out, "        <spells>")?;
        for (_, start, end) in &spells {
            writeln!(out, "          <spell start=\"{start}\" end=\"{end}\"/>")?;
        }
        writeln!(out, "        </spells>")?;
    }
    let c = relation_style(&edge.relation).colour;
    writeln!(out, "        <viz:color r=\"{}\" g=\"{}\" b=\"{}\"/>", c.0, c.1, c.2)?;
    writeln!(out, "      </edge>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_fixture_graph() {
        let mut out = Vec::new();
        Gexf.export(&super::super::fixture::graph(), &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains(
                "<node id=\"A&amp;B &lt;&quot;公司&quot;&gt;\\x\" label=\"A&amp;B &lt;&quot;公司&quot;&gt;\\x\">"
            ),
            "{s}"
        );
        // 安丘市 is a district: dark green, size 4 + 4·√2 ≈ 9.66.
        assert!(s.contains("<node id=\"安丘市\" label=\"安丘市\">"));
        assert!(s.contains("<viz:color r=\"51\" g=\"160\" b=\"44\"/>\n        <viz:size value=\"9.66\"/>"));
        assert!(s.contains(
            "source=\"王斌\" target=\"安丘市\" type=\"mutual\" kind=\"co-occurs\" label=\"co-occurs\" weight=\"2\">"
        ));
        assert!(s.contains("kind=\"leads\""));
        assert!(s.contains("<attvalue for=\"title\" value=\"董事长\"/>"));
        // Declared for nodes and edges; given where the fixture has one (the park, invests-in, located-in).
        assert_eq!(s.matches("<attribute id=\"confidence\" title=\"confidence\" type=\"double\"/>").count(), 2);
        assert!(s.contains(
            "<attvalue for=\"source\" value=\"discovered\"/>\n          <attvalue for=\"confidence\" value=\"0.912\"/>"
        ));
        assert!(s.contains("<attvalue for=\"rule\" value=\"invests-in/invests-builds\"/>\n          <attvalue for=\"confidence\" value=\"0.873\"/>"));
        assert!(s.contains("<attvalue for=\"confidence\" value=\"0.500\"/>"));
        assert_eq!(s.matches("<attvalue for=\"confidence\"").count(), 3);
        assert!(!s.contains('\u{1}'));
    }
}

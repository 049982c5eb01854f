//! Graphviz DOT: shape and colour by entity type, the relation as edge label and colour, co-occurrence drawn light
//! and undirected, a legend of the types and relations present, and a CJK font on graph, nodes and edges so that
//! Chinese labels render.
//!
//! An edge with a confidence shows it in its label (`leads (0.873)`), where a PNG or PDF drawing shows it too (a
//! tooltip only shows in SVG); a node with one has it in its tooltip. Without confidences the file is as before.

use std::collections::BTreeSet;
use std::io::{self, Write};

use petgraph::graph::NodeIndex;

use super::style::{legend_order, relation_style, type_style, STYLED_RELATIONS, STYLED_TYPES};
use super::Exporter;
use crate::graph::{Graph, Node};

/// The DOT exporter.
pub struct Dot;

/// Font families tried in order (fontconfig picks the first installed).
pub const FONT: &str = "WenQuanYi Zen Hei,Noto Sans CJK SC,Source Han Sans SC,Microsoft YaHei,PingFang SC,sans-serif";

/// How many entities a DOT export keeps by default: beyond this a drawing is unreadable.
pub const DEFAULT_TOP: usize = 200;

/// A DOT double-quoted string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Exporter for Dot {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        let font = quote(FONT);
        let nodes = graph.sorted_nodes();
        // Small graphs read best left to right; larger ones need a force-directed layout.
        let layout = if nodes.len() <= 60 {
            "rankdir=LR, nodesep=0.3, ranksep=0.6"
        } else {
            "layout=sfdp, overlap=prism, overlap_scaling=2, outputorder=edgesfirst"
        };
        writeln!(out, "digraph guanxi {{")?;
        writeln!(out, "  graph [charset=\"UTF-8\", fontname={font}, {layout}, splines=true, bgcolor=\"white\"];")?;
        writeln!(out, "  node [fontname={font}, fontsize=12, style=\"filled\", color=\"#555555\"];")?;
        writeln!(out, "  edge [fontname={font}, fontsize=9, arrowsize=0.7];")?;
        write_nodes(&nodes, out)?;
        let relations = write_edges(graph, out)?;
        let types: BTreeSet<&str> = nodes.iter().map(|(_, n)| n.kind.as_str()).collect();
        let relations: BTreeSet<&str> = relations.iter().map(String::as_str).collect();
        if !types.is_empty() {
            write_legend(&types, &relations, out)?;
        }
        writeln!(out, "}}")
    }
}

/// The nodes, numbered `n0` on in name order: shape and colour by type, a tooltip with their counts.
fn write_nodes(nodes: &[(NodeIndex, &Node)], out: &mut dyn Write) -> io::Result<()> {
    for (n, (_, node)) in nodes.iter().enumerate() {
        let style = type_style(&node.kind);
        writeln!(
            out,
            "  n{n} [label={}, shape={}, fillcolor=\"{}\", tooltip={}{}];",
            quote(&node.name),
            style.shape,
            style.light.hex(),
            quote(&format!(
                "{} ({}, {}), {} mentions{}",
                node.name,
                node.kind,
                node.source(),
                node.mentions,
                node.confidence.map(|c| format!(", confidence {c}")).unwrap_or_default()
            )),
            // A discovered name: a dashed outline, so that it stands apart from the dictionary's.
            if node.discovered { ", style=\"filled,dashed\"" } else { "" }
        )?;
    }
    Ok(())
}

/// The edges in export order, labelled and styled by relation (co-occurrence without direction and without a
/// pull on the layout); returns the relations present, for the legend.
fn write_edges(graph: &Graph, out: &mut dyn Write) -> io::Result<BTreeSet<String>> {
    let mut relations: BTreeSet<String> = BTreeSet::new();
    for sorted in graph.sorted_edges()? {
        let sorted = sorted?;
        let edge = &sorted.edge;
        if !relations.contains(&*edge.relation) {
            relations.insert(edge.relation.to_string());
        }
        let s = relation_style(&edge.relation);
        let colour = s.colour.hex();
        let label = match edge.confidence {
            Some(c) => format!("{} ({c})", edge.relation),
            None => edge.relation.to_string(),
        };
        let extra = if edge.directed() {
            String::new()
        } else {
            format!(", dir=none, fontcolor=\"{colour}\", weight=0, constraint=false")
        };
        writeln!(
            out,
            "  n{} -> n{} [label={}, color=\"{colour}\", style={}, penwidth={}{extra}];",
            sorted.head_rank,
            sorted.tail_rank,
            quote(&label),
            s.style,
            s.width,
        )?;
    }
    Ok(relations)
}

/// The legend: the types and relations present, styled as in the graph, in one HTML-table node. It holds no edge,
/// so that no layout can make a piece of it look like data.
fn write_legend(types: &BTreeSet<&str>, relations: &BTreeSet<&str>, out: &mut dyn Write) -> io::Result<()> {
    let mut rows = String::new();
    for kind in legend_order(STYLED_TYPES, types.iter().copied()) {
        let style = type_style(&kind);
        rows.push_str(&format!(
            "<TR><TD BGCOLOR=\"{}\">{}</TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
            style.light.hex(),
            super::xml_text(&kind),
            style.shape
        ));
    }
    for relation in legend_order(STYLED_RELATIONS, relations.iter().copied()) {
        let s = relation_style(&relation);
        let arrow = if relation == crate::model::CO_OCCURS { "──" } else { "──▶" };
        rows.push_str(&format!(
            "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT COLOR=\"{}\">{arrow} {}</FONT></TD></TR>",
            s.colour.hex(),
            super::xml_text(&relation)
        ));
    }
    writeln!(
        out,
        "  legend [shape=plaintext, style=\"\", fontsize=10, label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" \
         CELLSPACING=\"0\" CELLPADDING=\"3\" COLOR=\"#aaaaaa\"><TR><TD COLSPAN=\"2\"><B>legend</B></TD></TR>{rows}</TABLE>>];"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_dot_strings() {
        let table = [("潍坊", "\"潍坊\""), ("a\"b", "\"a\\\"b\""), ("a\\b", "\"a\\\\b\""), ("a\nb\u{1}", "\"a\\nb\"")];
        for (input, want) in table {
            assert_eq!(quote(input), want, "input {input:?}");
        }
    }

    #[test]
    fn writes_the_fixture_graph() {
        let mut out = Vec::new();
        Dot.export(&super::super::fixture::graph(), &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("n0 [label=\"A&B <\\\"公司\\\">\\\\x\", shape=box"), "{s}");
        assert!(s.contains("n1 [label=\"安丘市\", shape=house, fillcolor=\"#b2df8a\""));
        assert!(s.contains("n2 -> n1 [label=\"co-occurs\", color=\"#c8c8c8\", style=solid, penwidth=0.6, dir=none"));
        assert!(s.contains("n3 -> n1 [label=\"located-in (0.500)\""));
        assert!(s.contains("n2 -> n3 [label=\"invests-in (0.873)\""));
        assert!(s.contains("n0 -> n2 [label=\"leads\","));
        assert!(s.contains("tooltip=\"苏州(安丘)科技产业园 (park, discovered), 1 mentions, confidence 0.912\""), "{s}");
        assert!(s.contains("tooltip=\"安丘市 (district, dictionary), 2 mentions\""), "{s}");
        assert!(s.contains("fontname=\"WenQuanYi Zen Hei,"));
        // The legend is one table node with the four types and four relations present, in legend order, and no
        // edge: nothing of it can pass for data.
        let legend = s.lines().find(|l| l.starts_with("  legend [")).expect("a legend node");
        assert!(legend.contains("<TD BGCOLOR=\"#a6cee3\">company</TD><TD ALIGN=\"LEFT\">box</TD>"), "{legend}");
        let order = [
            "company",
            "official",
            "district",
            "park",
            "──▶ leads",
            "──▶ located-in",
            "──▶ invests-in",
            "── co-occurs",
        ];
        let at: Vec<usize> =
            order.iter().map(|t| legend.find(t).unwrap_or_else(|| panic!("{t} in {legend}"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{legend}");
        assert!(!legend.contains("organization"));
        assert!(!s.lines().any(|l| l.contains("->") && l.contains("legend")), "{s}");
    }
}

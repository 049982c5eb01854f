//! Graphviz DOT: colour and shape by entity type, the relation as edge label, co-occurrence drawn light and
//! undirected, and a CJK font on graph, nodes and edges so Chinese labels render.

use std::io::{self, Write};

use super::Exporter;
use crate::graph::Graph;

/// The DOT exporter.
pub struct Dot;

/// Font families tried in order (fontconfig picks the first installed).
pub const FONT: &str = "WenQuanYi Zen Hei,Noto Sans CJK SC,Source Han Sans SC,Microsoft YaHei,PingFang SC,sans-serif";

/// (shape, fill colour) per entity type.
fn node_style(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "company" => ("box", "#a6cee3"),
        "official" => ("ellipse", "#fdbf6f"),
        "district" => ("house", "#b2df8a"),
        "park" => ("component", "#cab2d6"),
        "organization" => ("octagon", "#fb9a99"),
        _ => ("ellipse", "#dddddd"),
    }
}

/// (colour, style, pen width) per relation.
fn edge_style(relation: &str) -> (&'static str, &'static str, &'static str) {
    match relation {
        "leads" => ("#e31a1c", "solid", "1.6"),
        "located-in" => ("#33a02c", "solid", "1.6"),
        "invests-in" => ("#1f78b4", "bold", "2.0"),
        "co-occurs" => ("#c8c8c8", "solid", "0.6"),
        _ => ("#6a3d9a", "dashed", "1.2"),
    }
}

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
        writeln!(out, "digraph guanxi {{")?;
        writeln!(
            out,
            "  graph [charset=\"UTF-8\", fontname={font}, rankdir=LR, overlap=false, splines=true, \
             nodesep=0.3, ranksep=0.6, bgcolor=\"white\"];"
        )?;
        writeln!(out, "  node [fontname={font}, fontsize=12, style=\"filled\", color=\"#555555\"];")?;
        writeln!(out, "  edge [fontname={font}, fontsize=9, arrowsize=0.7];")?;
        let mut ids = std::collections::HashMap::new();
        for (n, (_, node)) in graph.sorted_nodes().iter().enumerate() {
            ids.insert(node.name.as_str(), n);
            let (shape, fill) = node_style(&node.kind);
            writeln!(
                out,
                "  n{n} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];",
                quote(&node.name),
                quote(&format!("{} ({}), {} mentions", node.name, node.kind, node.mentions))
            )?;
        }
        for (head, tail, edge) in graph.sorted_edges() {
            let (colour, style, width) = edge_style(&edge.relation);
            let extra = if edge.directed() {
                String::new()
            } else {
                format!(", dir=none, fontcolor=\"{colour}\", weight=0, constraint=false")
            };
            writeln!(
                out,
                "  n{} -> n{} [label={}, color=\"{colour}\", style={style}, penwidth={width}{extra}];",
                ids[head.name.as_str()],
                ids[tail.name.as_str()],
                quote(&edge.relation),
            )?;
        }
        writeln!(out, "}}")
    }
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
        assert!(s.contains("n1 [label=\"安丘市\", shape=house"));
        assert!(s.contains("n2 -> n1 [label=\"co-occurs\", color=\"#c8c8c8\", style=solid, penwidth=0.6, dir=none"));
        assert!(s.contains("n3 -> n1 [label=\"located-in\""));
        assert!(s.contains("fontname=\"WenQuanYi Zen Hei,"));
    }
}

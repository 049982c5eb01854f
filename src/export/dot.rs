//! Graphviz DOT: shape and colour by entity type, the relation as edge label and colour, co-occurrence drawn light
//! and undirected, a legend of the types and relations present, and a CJK font on graph, nodes and edges so that
//! Chinese labels render.

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::style::{relation_style, type_style, STYLED_RELATIONS, STYLED_TYPES};
use super::Exporter;
use crate::graph::Graph;

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
        let mut relations: BTreeSet<String> = BTreeSet::new();
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
        for (n, (_, node)) in nodes.iter().enumerate() {
            let style = type_style(&node.kind);
            writeln!(
                out,
                "  n{n} [label={}, shape={}, fillcolor=\"{}\", tooltip={}{}];",
                quote(&node.name),
                style.shape,
                style.light.hex(),
                quote(&format!("{} ({}, {}), {} mentions", node.name, node.kind, node.source(), node.mentions)),
                // A discovered name: a dashed outline, so that it stands apart from the dictionary's.
                if node.discovered { ", style=\"filled,dashed\"" } else { "" }
            )?;
        }
        for sorted in graph.sorted_edges()? {
            let sorted = sorted?;
            let edge = &sorted.edge;
            if !relations.contains(&*edge.relation) {
                relations.insert(edge.relation.to_string());
            }
            let s = relation_style(&edge.relation);
            let colour = s.colour.hex();
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
                quote(&edge.relation),
                s.style,
                s.width,
            )?;
        }
        // The legend: the types and relations present, styled as in the graph.
        let types: BTreeSet<&str> = nodes.iter().map(|(_, n)| n.kind.as_str()).collect();
        let relations: BTreeSet<&str> = relations.iter().map(String::as_str).collect();
        let ordered = |styled: &[&'static str], present: &BTreeSet<&str>| -> Vec<String> {
            let mut v: Vec<String> = styled.iter().filter(|t| present.contains(*t)).map(|t| t.to_string()).collect();
            v.extend(present.iter().filter(|t| !styled.contains(t)).map(|t| t.to_string()));
            v
        };
        if !types.is_empty() {
            writeln!(out, "  subgraph cluster_legend {{")?;
            writeln!(out, "    label=\"legend\"; fontsize=10; color=\"#aaaaaa\"; style=\"rounded\";")?;
            let kinds = ordered(STYLED_TYPES, &types);
            for (i, kind) in kinds.iter().enumerate() {
                let style = type_style(kind);
                writeln!(
                    out,
                    "    legend_t{i} [label={}, shape={}, fillcolor=\"{}\", fontsize=10];",
                    quote(kind),
                    style.shape,
                    style.light.hex()
                )?;
            }
            // Invisible edges chain the types into one row.
            for i in 1..kinds.len() {
                writeln!(out, "    legend_t{} -> legend_t{i} [style=invis];", i - 1)?;
            }
            for (i, relation) in ordered(STYLED_RELATIONS, &relations).iter().enumerate() {
                let s = relation_style(relation);
                writeln!(out, "    legend_r{i}a [label=\"\", shape=point, width=0.05, color=\"#aaaaaa\"];")?;
                writeln!(out, "    legend_r{i}b [label=\"\", shape=point, width=0.05, color=\"#aaaaaa\"];")?;
                let dir = if relation == crate::model::CO_OCCURS { ", dir=none" } else { "" };
                writeln!(
                    out,
                    "    legend_r{i}a -> legend_r{i}b [label={}, color=\"{}\", style={}, penwidth={}{dir}];",
                    quote(relation),
                    s.colour.hex(),
                    s.style,
                    s.width
                )?;
            }
            writeln!(out, "  }}")?;
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
        assert!(s.contains("n1 [label=\"安丘市\", shape=house, fillcolor=\"#b2df8a\""));
        assert!(s.contains("n2 -> n1 [label=\"co-occurs\", color=\"#c8c8c8\", style=solid, penwidth=0.6, dir=none"));
        assert!(s.contains("n3 -> n1 [label=\"located-in\""));
        assert!(s.contains("fontname=\"WenQuanYi Zen Hei,"));
        // The legend lists the four types and four relations present, in legend order.
        assert!(s.contains("legend_t0 [label=\"company\", shape=box"));
        assert!(s.contains("legend_t3 [label=\"park\", shape=component"));
        assert!(s.contains("legend_r0a -> legend_r0b [label=\"leads\""));
        assert!(s.contains("legend_r3a -> legend_r3b [label=\"co-occurs\""));
        assert!(!s.contains("legend_t4"));
    }
}

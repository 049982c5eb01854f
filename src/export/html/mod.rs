//! A self-contained HTML page that shows the graph in any browser, offline: Cytoscape.js (vendored under
//! `vendor/cytoscape`, MIT) and the graph's data are embedded in the file. Nodes are coloured and shaped by type and
//! sized by mentions, edges coloured by relation (co-occurrence hidden until its box is ticked); a search box finds
//! names and aliases; filters select relations, types, dictionary or discovered entities and a minimum weight; a click
//! on an entity shows its card, a click on an edge its evidence with both names marked and the document's id, title,
//! date and link. A date range (two sliders over the first and last dates of the edges' evidence) shows only the edges
//! with evidence dated in it (to the year inside an edge's span, as `--since`/`--until`), and an edge's card says when
//! it was seen. Where edges have confidences, a minimum-confidence slider hides the edges below it (edges without one
//! always show), and the edge and entity cards show them; a graph without confidences holds the same data as before,
//! and its page hides the slider. The layout is computed here (a force-directed layout with a fixed start, so the page
//! is the same on every run); a graph of more than [`MAX_NODES`] entities keeps the most connected, and says so.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::style::{legend_order, relation_style, type_style, STYLED_RELATIONS, STYLED_TYPES};
use super::Exporter;
use crate::graph::Graph;

/// The page, with `/*CYTOSCAPE*/` and `/*DATA*/` where the library and the graph go.
const PAGE: &str = include_str!("page.html");
/// Cytoscape.js, minified.
const CYTOSCAPE: &str = include_str!("../../../vendor/cytoscape/cytoscape.min.js");

/// How far, in ideal edge lengths, one node pushes another in the layout.
const REACH: f64 = 4.0;
/// How strongly the layout pulls every node towards the centre.
const GRAVITY: f64 = 0.15;

/// The most entities a page shows: beyond this a drawing is unreadable and the browser slow.
pub const MAX_NODES: usize = 2_000;

/// The most edges a page shows: its data stays a few megabytes, and the browser quick.
pub const MAX_EDGES: usize = 20_000;

/// The HTML exporter.
pub struct Html;

/// The Cytoscape.js shape of an entity type (the DOT shapes, where Cytoscape has them).
fn shape(kind: &str) -> &'static str {
    match kind {
        "company" => "round-rectangle",
        "official" => "ellipse",
        "district" => "diamond",
        "park" => "barrel",
        "organization" => "octagon",
        _ => "ellipse",
    }
}

impl Exporter for Html {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        page(graph, out, MAX_NODES, MAX_EDGES)
    }
}

/// The least weight a typed and a co-occurrence edge need to be shown, so that at most `max` are: typed edges
/// first, then the heaviest co-occurrences (edges of a weight that would overshoot are all left out).
fn thresholds(mut typed: Vec<u64>, mut co: Vec<u64>, max: usize) -> (u64, u64) {
    let least = |weights: &mut Vec<u64>, room: usize| -> u64 {
        if weights.len() <= room {
            return 0;
        }
        weights.sort_unstable_by(|a, b| b.cmp(a));
        // One more than the weight of the first edge left out.
        weights[room].saturating_add(1)
    };
    let typed_least = least(&mut typed, max);
    let shown = typed.iter().filter(|&&w| w >= typed_least).count();
    (typed_least, least(&mut co, max - shown))
}

/// Writes the page of `graph`, showing at most `max_nodes` entities (the most connected) and `max_edges` edges
/// among them (typed edges first, then the heaviest co-occurrences).
fn page(graph: &Graph, out: &mut dyn Write, max_nodes: usize, max_edges: usize) -> io::Result<()> {
    let too_many = graph.node_count() > max_nodes;
    let nodes = graph.sorted_nodes();
    let keep: std::collections::BTreeSet<_> = if too_many {
        graph.ranked_by_connections()?.into_iter().take(max_nodes).map(|r| r.0).collect()
    } else {
        nodes.iter().map(|(n, _)| *n).collect()
    };
    // The weights of the edges among the entities kept, to find how heavy an edge must be to be shown.
    let kept_rank: Vec<bool> = nodes.iter().map(|(n, _)| keep.contains(n)).collect();
    let (mut typed, mut co, mut among) = (Vec::new(), Vec::new(), 0usize);
    for e in graph.sorted_edges()? {
        let e = e?;
        if kept_rank[e.head_rank] && kept_rank[e.tail_rank] {
            among += 1;
            if e.edge.directed() { &mut typed } else { &mut co }.push(e.edge.weight);
        }
    }
    let (typed_least, co_least) = thresholds(typed, co, max_edges);
    let mut notes = Vec::new();
    if too_many {
        notes.push(format!("the {max_nodes} most connected of {} entities", graph.node_count()));
    }
    let shown = if among > max_edges || too_many {
        let shown = graph.induced(&keep, &|e| e.weight >= if e.directed() { typed_least } else { co_least })?;
        if shown.edge_count() < among {
            notes.push(format!("the {} heaviest of their {among} edges (typed relations first)", shown.edge_count()));
        }
        std::borrow::Cow::Owned(shown)
    } else {
        std::borrow::Cow::Borrowed(graph)
    };
    let note = if notes.is_empty() {
        String::new()
    } else {
        format!("This page shows {}; the JSON, GEXF and GraphML outputs hold them all.", notes.join(" and "))
    };
    let data = data(&shown, note)?;
    // Inside a <script> element, "</" could end it: JSON allows "<\/" for it.
    let data = serde_json::to_string(&data)?.replace("</", "<\\/").replace("<!--", "<\\!--");
    let (head, rest) = PAGE.split_once("/*CYTOSCAPE*/").ok_or_else(|| io::Error::other("page template"))?;
    let (middle, tail) = rest.split_once("/*DATA*/").ok_or_else(|| io::Error::other("page template"))?;
    out.write_all(head.as_bytes())?;
    out.write_all(CYTOSCAPE.as_bytes())?;
    out.write_all(middle.as_bytes())?;
    out.write_all(data.as_bytes())?;
    out.write_all(tail.as_bytes())
}

/// The graph as the page's script reads it.
fn data(graph: &Graph, note: String) -> io::Result<Value> {
    let nodes = graph.sorted_nodes();
    let mut edges = Vec::new();
    let mut links = Vec::new();
    for (i, sorted) in graph.sorted_edges()?.enumerate() {
        let e = sorted?;
        // Typed edges pull harder than co-occurrence, so that what the rules found shapes the drawing.
        links.push((e.head_rank, e.tail_rank, if e.edge.directed() { 1.0 } else { 0.3 }));
        edges.push(edge_data(i, &e));
    }
    let positions = layout(nodes.len(), &links);
    let nodes: Vec<Value> = nodes
        .iter()
        .zip(positions)
        .enumerate()
        .map(|(i, ((_, n), (x, y)))| {
            let mut node = json!({
                "id": format!("n{i}"),
                "name": n.name,
                "type": n.kind,
                "aliases": n.aliases,
                "parent": n.parent,
                "title": n.title,
                "mentions": n.mentions,
                "documents": n.documents,
                "source": n.source(),
                "color": type_style(&n.kind).light.hex(),
                "shape": shape(&n.kind),
                "size": (14.0 + 6.0 * (n.mentions as f64).sqrt()).min(60.0),
                "x": (x * 10.0).round() / 10.0,
                "y": (y * 10.0).round() / 10.0,
            });
            with_confidence(&mut node, n.confidence);
            node
        })
        .collect();
    let kinds: std::collections::BTreeSet<&str> = graph.petgraph().node_weights().map(|n| n.kind.as_str()).collect();
    let types = legend_order(STYLED_TYPES, kinds);
    let relation_names: Vec<String> = graph.relation_counts().into_iter().map(|(r, _)| r).collect();
    let relations = legend_order(STYLED_RELATIONS, relation_names.iter().map(String::as_str));
    let colours = |names: &[String], colour: &dyn Fn(&str) -> String| -> serde_json::Map<String, Value> {
        names.iter().map(|n| (n.clone(), json!(colour(n)))).collect()
    };
    let relation_colours = colours(&relations, &|r| relation_style(r).colour.hex());
    let type_colours = colours(&types, &|t| type_style(t).light.hex());
    let documents: serde_json::Map<String, Value> =
        graph.documents().iter().map(|d| (d.id.clone(), json!(d.meta))).collect();
    Ok(json!({
        "title": "guanxi graph",
        "note": note,
        "nodes": nodes,
        "edges": edges,
        "relations": relations,
        "types": types,
        "relationColors": relation_colours,
        "typeColors": type_colours,
        "documents": documents,
    }))
}

/// Edge number `i` as the page's script reads it.
fn edge_data(i: usize, e: &crate::graph::SortedEdge) -> Value {
    let style = relation_style(&e.edge.relation);
    let evidence: Vec<Value> = e
        .edge
        .evidence
        .iter()
        .map(|ev| json!({"doc": &*ev.doc, "sentence": &*ev.sentence, "rule": &*ev.rule}))
        .collect();
    let mut edge = json!({
        "id": format!("e{i}"),
        "source": format!("n{}", e.head_rank),
        "target": format!("n{}", e.tail_rank),
        "relation": &*e.edge.relation,
        "weight": e.edge.weight,
        "directed": e.edge.directed(),
        "title": e.edge.title(),
        "color": style.colour.hex(),
        "width": style.width * 1.5,
        "evidence": evidence,
        // When its evidence is dated: first and last dates and sentences per year, for the date range.
        "time": e.edge.time.as_deref(),
    });
    with_confidence(&mut edge, e.edge.confidence);
    edge
}

/// Adds `"confidence"` to a node's or an edge's data where it has one: without, the data is as it was before
/// confidences existed.
fn with_confidence(item: &mut Value, confidence: Option<crate::model::Confidence>) {
    if let (Some(c), Some(fields)) = (confidence, item.as_object_mut()) {
        fields.insert("confidence".into(), json!(c));
    }
}

/// A force-directed layout (Fruchterman–Reingold) from a fixed start (a sunflower spiral), so that the same graph
/// is drawn the same way on every run. `links` are (node, node, strength). The cost is that of the pairs of nodes
/// times the rounds, which shrink as the graph grows: about a second at [`MAX_NODES`].
pub fn layout(n: usize, links: &[(usize, usize, f64)]) -> Vec<(f64, f64)> {
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let r = 30.0 * (i as f64 + 0.5).sqrt();
            let a = i as f64 * 2.399_963;
            (r * a.cos(), r * a.sin())
        })
        .collect();
    if n < 2 {
        return pos;
    }
    let k = 60.0;
    let rounds = match n {
        0..=300 => 300,
        301..=1000 => 120,
        _ => 50,
    };
    let mut temperature = 30.0 * (n as f64).sqrt();
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for _ in 0..rounds {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d2 = (dx * dx + dy * dy).max(0.01);
                // Far nodes do not push (the grid variant of the layout): separate components stay near.
                if d2 > REACH * REACH * k * k {
                    continue;
                }
                let f = k * k / d2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(a, b, strength) in links {
            if a == b || a >= n || b >= n {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = d / k * strength;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            // A little gravity keeps separate components in view.
            let (dx, dy) = (d.0 - p.0 * GRAVITY, d.1 - p.1 * GRAVITY);
            let len = (dx * dx + dy * dy).sqrt().max(0.01);
            let step = len.min(temperature);
            p.0 += dx / len * step;
            p.1 += dy / len * step;
        }
        temperature = (temperature * 0.97).max(1.0);
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The data a page holds.
    fn data_of(page: &str) -> serde_json::Value {
        let data = page.split("<script type=\"application/json\" id=\"data\">").nth(1).unwrap();
        serde_json::from_str(data.split("</script>").next().unwrap()).unwrap()
    }

    #[test]
    fn writes_one_page_with_the_library_and_the_data_and_nothing_from_the_network() {
        let mut out = Vec::new();
        Html.export(&super::super::fixture::graph(), &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("cytoscape"));
        assert!(!page.contains("/*DATA*/") && !page.contains("/*CYTOSCAPE*/"));
        // No resource is fetched: no src= or href= to another file or host (the one link is built from a
        // document's URL when clicked).
        assert!(!page.contains(" src=\"http") && !page.contains("<link"), "a remote resource");
        // The fixture's awkward name cannot end the data's script element.
        let value = data_of(&page);
        assert_eq!(value["nodes"].as_array().unwrap().len(), 4);
        assert_eq!(value["edges"].as_array().unwrap().len(), 4);
        assert!(value["nodes"].as_array().unwrap().iter().any(|n| n["name"] == "A&B <\"公司\">\u{1}\\x"));
    }

    /// Confidences are in the data where the graph has them, and nowhere else.
    #[test]
    fn the_data_holds_the_confidences_there_are() {
        let mut out = Vec::new();
        Html.export(&super::super::fixture::graph(), &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains("id=\"confidenceBox\"") && page.contains("id=\"confidence\" type=\"range\""));
        let value = data_of(&page);
        let of = |items: &str, key: &str| -> Vec<(String, serde_json::Value)> {
            value[items].as_array().unwrap().iter().map(|x| (x[key].to_string(), x["confidence"].clone())).collect()
        };
        let null = serde_json::Value::Null;
        assert_eq!(
            of("edges", "relation"),
            [
                ("\"leads\"".into(), null.clone()),
                ("\"co-occurs\"".into(), null.clone()),
                ("\"invests-in\"".into(), serde_json::json!(0.873)),
                ("\"located-in\"".into(), serde_json::json!(0.5)),
            ]
        );
        let nodes = of("nodes", "name");
        assert_eq!(nodes.iter().filter(|n| n.1 != null).collect::<Vec<_>>(), [&nodes[3]]);
        assert_eq!(nodes[3], ("\"苏州(安丘)科技产业园\"".into(), serde_json::json!(0.912)));
        assert!(!value["edges"][0].as_object().unwrap().contains_key("confidence"));
    }

    #[test]
    fn a_graph_too_large_to_draw_keeps_its_most_connected_entities_and_says_so() {
        let mut out = Vec::new();
        page(&super::super::fixture::graph(), &mut out, 3, MAX_EDGES).unwrap();
        let page = String::from_utf8(out).unwrap();
        let value = data_of(&page);
        assert_eq!(value["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(
            value["note"],
            "This page shows the 3 most connected of 4 entities; the JSON, GEXF and GraphML outputs hold them all."
        );
    }

    /// Typed edges first, then the heaviest co-occurrences; a weight that would overshoot is left out whole.
    #[test]
    fn a_page_keeps_the_heaviest_edges_typed_first() {
        type Case<'a> = (&'a [u64], &'a [u64], usize, (u64, u64));
        let table: &[Case] = &[
            (&[1, 1], &[5, 1], 10, (0, 0)),
            // Room for one co-occurrence: the one of weight 5.
            (&[1, 1], &[5, 3, 3, 1], 3, (0, 4)),
            // Room for two: the two of weight 3 do not both fit, so neither is shown.
            (&[1, 1], &[5, 3, 3, 1], 4, (0, 4)),
            (&[1, 1], &[5, 3, 3, 1], 5, (0, 2)),
            // Typed edges that do not all fit: the heaviest; the room left goes to co-occurrence.
            (&[4, 2, 2], &[9], 2, (3, 0)),
            (&[4, 2, 2], &[9], 3, (0, 10)),
        ];
        for &(typed, co, max, want) in table {
            assert_eq!(thresholds(typed.to_vec(), co.to_vec(), max), want, "{typed:?} {co:?} {max}");
        }
        // The fixture graph has three typed edges and a co-occurrence: a page of three edges shows the typed ones,
        // and says so.
        let mut out = Vec::new();
        page(&super::super::fixture::graph(), &mut out, MAX_NODES, 3).unwrap();
        let page = String::from_utf8(out).unwrap();
        let value = data_of(&page);
        let relations: Vec<&str> =
            value["edges"].as_array().unwrap().iter().map(|e| e["relation"].as_str().unwrap()).collect();
        assert_eq!(relations.len(), 3, "{relations:?}");
        assert!(!relations.contains(&"co-occurs"), "{relations:?}");
        assert_eq!(
            value["note"],
            "This page shows the 3 heaviest of their 4 edges (typed relations first); the JSON, GEXF and GraphML \
             outputs hold them all."
        );
    }

    #[test]
    fn the_layout_is_the_same_on_every_run_and_keeps_nodes_apart() {
        let links: Vec<(usize, usize, f64)> = (1..50).map(|i| (0, i, 1.0)).collect();
        let a = layout(50, &links);
        assert_eq!(a, layout(50, &links));
        for i in 0..50 {
            for j in i + 1..50 {
                let d = ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
                assert!(d > 5.0, "{i} and {j} overlap: {d}");
            }
        }
    }
}

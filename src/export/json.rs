//! guanxi's native JSON format, written by `build` and read back by the query commands.
//!
//! ```json
//! {
//!   "format": "guanxi-graph",
//!   "version": 1,
//!   "documents": [{"id": "000_0c465170c85722f8.txt"}, {"id": "42", "title": "...", "date": "2024-02-28"}],
//!   "nodes": [{"id": "潍坊市", "type": "district", "aliases": ["潍坊"], "parent": null, "title": null,
//!              "mentions": 12, "documents": 3}],
//!   "edges": [{"source": "奎文区", "target": "潍坊市", "relation": "located-in", "directed": true,
//!              "weight": 1, "title": null, "evidence": [{"doc": "...", "sentence": "...", "head": {"start": 0, "end": 3},
//!              "tail": {"start": 4, "end": 7}, "rule": "located-in/settles-in", "trigger": "位于"}]}]
//! }
//! ```
//! A node's `id` is its canonical name; edges refer to nodes by it.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::Exporter;
use crate::error::{Error, Result};
use crate::graph::{Graph, Node};
use crate::model::{DocInfo, Evidence};

/// The value of the `format` field.
pub const FORMAT: &str = "guanxi-graph";
/// The current format version.
pub const VERSION: u32 = 1;

/// The JSON exporter.
pub struct Json;

#[derive(Serialize, Deserialize)]
struct JsonGraph {
    format: String,
    version: u32,
    documents: Vec<DocInfo>,
    nodes: Vec<JsonNode>,
    edges: Vec<JsonEdge>,
}

#[derive(Serialize, Deserialize)]
struct JsonNode {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    aliases: Vec<String>,
    parent: Option<String>,
    title: Option<String>,
    mentions: u64,
    documents: u64,
}

#[derive(Serialize, Deserialize)]
struct JsonEdge {
    source: String,
    target: String,
    relation: String,
    directed: bool,
    weight: u64,
    title: Option<String>,
    evidence: Vec<Evidence>,
}

impl Exporter for Json {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        let doc = JsonGraph {
            format: FORMAT.into(),
            version: VERSION,
            documents: graph.documents().to_vec(),
            nodes: graph
                .sorted_nodes()
                .into_iter()
                .map(|(_, n)| JsonNode {
                    id: n.name.clone(),
                    kind: n.kind.clone(),
                    aliases: n.aliases.clone(),
                    parent: n.parent.clone(),
                    title: n.title.clone(),
                    mentions: n.mentions,
                    documents: n.documents,
                })
                .collect(),
            edges: graph
                .sorted_edges()
                .into_iter()
                .map(|(h, t, e)| JsonEdge {
                    source: h.name.clone(),
                    target: t.name.clone(),
                    relation: e.relation.clone(),
                    directed: e.directed(),
                    weight: e.weight,
                    title: e.title().map(str::to_string),
                    evidence: e.evidence.clone(),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

/// Reads a graph written by the JSON exporter; `name` names the source in errors.
pub fn read(reader: impl io::Read, name: &str) -> Result<Graph> {
    let err = |message: String| Error::GraphFormat { path: name.to_string(), message };
    let doc: JsonGraph = serde_json::from_reader(io::BufReader::new(reader)).map_err(|e| err(e.to_string()))?;
    if doc.format != FORMAT {
        return Err(err(format!("format is '{}', expected '{FORMAT}'", doc.format)));
    }
    if doc.version > VERSION {
        return Err(err(format!("version {} is newer than this guanxi reads ({VERSION})", doc.version)));
    }
    let mut g = Graph::new();
    for d in doc.documents {
        g.add_document_info(d);
    }
    for n in doc.nodes {
        g.add_node(Node {
            name: n.id,
            kind: n.kind,
            aliases: n.aliases,
            parent: n.parent,
            title: n.title,
            mentions: n.mentions,
            documents: n.documents,
        });
    }
    for e in doc.edges {
        let find = |id: &str| g.node_index(id).ok_or_else(|| err(format!("edge refers to unknown node '{id}'")));
        let (head, tail) = (find(&e.source)?, find(&e.target)?);
        g.add_evidence(head, &e.relation, tail, e.weight, &e.evidence);
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_string(g: &Graph) -> String {
        let mut out = Vec::new();
        Json.export(g, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn round_trips() {
        let g = super::super::fixture::graph();
        let first = to_string(&g);
        let back = read(first.as_bytes(), "x.json").unwrap();
        assert_eq!(back.node_count(), 4);
        assert_eq!(back.edge_count(), 4);
        assert_eq!(to_string(&back), first);
    }

    #[test]
    fn writes_names_as_ids_and_keeps_evidence() {
        let v: serde_json::Value = serde_json::from_str(&to_string(&super::super::fixture::graph())).unwrap();
        assert_eq!(v["format"], "guanxi-graph");
        assert_eq!(v["nodes"][1]["id"], "安丘市");
        assert_eq!(v["nodes"][1]["aliases"][0], "安丘");
        let invests = v["edges"].as_array().unwrap().iter().find(|e| e["relation"] == "invests-in").unwrap();
        assert_eq!(invests["source"], "王斌");
        assert_eq!(invests["target"], "苏州(安丘)科技产业园");
        assert_eq!(invests["evidence"][0]["tail"]["start"], 9);
        assert_eq!(invests["evidence"][0]["tail"]["end"], 20);
        assert_eq!(invests["evidence"][0]["trigger"], "建设");
    }

    #[test]
    fn rejects_other_json() {
        let table = [
            ("{}", "missing field"),
            ("{\"format\":\"x\",\"version\":1,\"documents\":[],\"nodes\":[],\"edges\":[]}", "format is 'x'"),
            ("{\"format\":\"guanxi-graph\",\"version\":1,\"documents\":[\"a\"],\"nodes\":[],\"edges\":[]}", "invalid type"),
            (
                "{\"format\":\"guanxi-graph\",\"version\":1,\"documents\":[],\"nodes\":[],\"edges\":[{\"source\":\"a\",\"target\":\"b\",\"relation\":\"r\",\"directed\":true,\"weight\":1,\"title\":null,\"evidence\":[]}]}",
                "unknown node 'a'",
            ),
        ];
        for (text, want) in table {
            let e = read(text.as_bytes(), "g.json").unwrap_err().to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
    }
}

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
//!              "tail": {"start": 4, "end": 7}, "rule": "located-in/settles-in", "trigger": "位于",
//!              "date": "2024-02-28"}],
//!              "time": {"first": "2024-02-28", "last": "2024-02-28", "years": {"2024": 1}}}]
//! }
//! ```
//! Evidence from a dated document carries its `date`, and an edge with dated evidence its `time`: the first and
//! last dates and the sentences per year (see [`crate::graph::timing`]). Its `evidence` then also holds the first-dated
//! and the last-dated piece, after the first pieces in input order.
//! Where extraction scored them, a piece of evidence and an edge (after its `weight`) carry a `confidence`, and so
//! does a discovered node (last): a number from 0 to 1 (see [`Confidence`]). Without one the field is left out, so
//! a graph without confidences is written as before; the version stays 1, since a reader that knows no confidence
//! ignores the field.
//! A node's `id` is its canonical name; edges refer to nodes by it. The file holds one document, node or edge a
//! line (shown spread out above).

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::Exporter;
use crate::error::{Error, Result};
use crate::graph::timing::Timing;
use crate::graph::{Graph, Node, SortedEdge};
use crate::model::{Confidence, DocInfo, Evidence};
use petgraph::graph::NodeIndex;

/// The value of the `format` field.
pub const FORMAT: &str = "guanxi-graph";
/// The current format version.
pub const VERSION: u32 = 1;

/// The JSON exporter.
pub struct Json;

#[derive(Deserialize)]
struct JsonGraph {
    format: String,
    version: u32,
    documents: Vec<DocInfo>,
    nodes: Vec<JsonNode>,
    edges: Vec<JsonEdge>,
}

#[derive(Deserialize)]
struct JsonNode {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    aliases: Vec<String>,
    parent: Option<String>,
    title: Option<String>,
    mentions: u64,
    documents: u64,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    confidence: Option<Confidence>,
}

#[derive(Deserialize)]
struct JsonEdge {
    source: String,
    target: String,
    relation: String,
    weight: u64,
    #[serde(default)]
    confidence: Option<Confidence>,
    evidence: Vec<Evidence>,
    #[serde(default)]
    time: Option<Timing>,
}

#[derive(Serialize)]
struct NodeView<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    aliases: &'a [String],
    parent: Option<&'a str>,
    title: Option<&'a str>,
    mentions: u64,
    documents: u64,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<Confidence>,
}

#[derive(Serialize)]
struct EdgeView<'a> {
    source: &'a str,
    target: &'a str,
    relation: &'a str,
    directed: bool,
    weight: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<Confidence>,
    title: Option<&'a str>,
    evidence: &'a [Evidence],
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<&'a Timing>,
}

/// Where the parts of a written JSON graph are, in bytes: what the query index needs to read evidence without
/// parsing the whole file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The lines of the `documents` array.
    pub documents: (u64, u64),
}

/// A writer that counts the bytes written through it.
struct Counting<'w> {
    inner: &'w mut dyn Write,
    count: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `items` as the JSON array `key`, one item per line, telling `on_line` where each line starts. Returns
/// the byte range of the lines. Items are serialised in parallel, in chunks, and written in order: while this
/// thread writes one chunk, the pool serialises the next.
fn array<S: Send + Sync>(
    out: &mut Counting,
    key: &str,
    items: impl Iterator<Item = io::Result<S>>,
    last: bool,
    serialise: &(dyn Fn(&S) -> serde_json::Result<Vec<u8>> + Sync),

    on_line: &mut dyn FnMut(&S, u64) -> io::Result<()>,
) -> io::Result<(u64, u64)> {
    use rayon::prelude::*;
    type Serialised<S> = (Vec<S>, io::Result<Vec<Vec<u8>>>);
    write!(out, "\"{key}\":[")?;
    let begin = out.count;
    let mut first = true;
    let mut items = items.peekable();
    // With one thread, one step after the other; with more, this thread writes a chunk while the pool serialises
    // the next and frees the one before.
    let overlap = rayon::current_num_threads() > 1;
    let serialise_all =
        |chunk: &[S]| chunk.par_iter().map(serialise).collect::<Result<_, _>>().map_err(io::Error::from);
    rayon::in_place_scope(|scope| -> io::Result<()> {
        let mut write = |(chunk, lines): Serialised<S>| -> io::Result<()> {
            let lines = lines?;
            for (item, line) in chunk.iter().zip(&lines) {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                first = false;
                on_line(item, out.count)?;
                out.write_all(line)?;
            }
            if overlap {
                // Freeing millions of small strings is work too.
                scope.spawn(move |_| {
                    rayon::join(|| chunk.into_par_iter().for_each(drop), || lines.into_par_iter().for_each(drop));
                });
            }
            Ok(())
        };
        if !overlap {
            while items.peek().is_some() {
                let chunk = items.by_ref().take(CHUNK).collect::<io::Result<Vec<S>>>()?;
                let lines = serialise_all(&chunk);
                write((chunk, lines))?;
            }
            return Ok(());
        }
        let mut pending: Option<std::sync::mpsc::Receiver<Serialised<S>>> = None;
        while items.peek().is_some() {
            let chunk = items.by_ref().take(CHUNK).collect::<io::Result<Vec<S>>>()?;
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move |_| {
                let lines = serialise_all(&chunk);
                let _ = tx.send((chunk, lines));
            });
            if let Some(done) = pending.replace(rx) {
                write(wait_for(&done)?)?;
            }
        }
        if let Some(done) = pending {
            write(wait_for(&done)?)?;
        }
        Ok(())
    })?;
    let end = out.count;
    writeln!(out, "\n]{}", if last { "}" } else { "," })?;
    Ok((begin, end))
}

/// What a task of this thread pool sends on `rx`. While it is not there, this thread does the pool's work (with
/// one thread, all of it), so it never blocks a worker the task may need.
fn wait_for<T>(rx: &std::sync::mpsc::Receiver<T>) -> io::Result<T> {
    use std::sync::mpsc::TryRecvError;
    loop {
        match rx.try_recv() {
            Ok(v) => return Ok(v),
            Err(TryRecvError::Disconnected) => return Err(io::Error::other("a serialising task failed")),
            Err(TryRecvError::Empty) => {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
        }
    }
}

/// Items serialised in parallel at a time: enough to keep every core busy, few enough to bound memory.
const CHUNK: usize = 16_384;

/// Writes the graph as JSON, telling `on_edge` where each edge's line starts, and says where its parts are.
pub fn write_with_layout(
    graph: &Graph,
    out: &mut dyn Write,
    on_edge: &mut dyn FnMut(&SortedEdge, u64) -> io::Result<()>,
) -> io::Result<Layout> {
    let mut out = Counting { inner: out, count: 0 };
    let mut layout = Layout::default();
    let mut ignore = |_: &_, _| Ok(());
    // One document, node or edge a line: compact, and still diffs cleanly.
    writeln!(out, "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},")?;
    layout.documents = array(
        &mut out,
        "documents",
        graph.documents().iter().map(Ok),
        false,
        &|d: &&DocInfo| serde_json::to_vec(d),
        &mut ignore,
    )?;
    let node = |&(_, n): &(NodeIndex, &Node)| {
        serde_json::to_vec(&NodeView {
            id: &n.name,
            kind: &n.kind,
            aliases: &n.aliases,
            parent: n.parent.as_deref(),
            title: n.title.as_deref(),
            mentions: n.mentions,
            documents: n.documents,
            source: n.source(),
            confidence: n.confidence,
        })
    };
    array(&mut out, "nodes", graph.sorted_nodes().into_iter().map(Ok), false, &node, &mut |_, _| Ok(()))?;
    let edge = |e: &SortedEdge| {
        let mut line = Vec::with_capacity(512);
        serde_json::to_writer(
            &mut line,
            &EdgeView {
                source: &e.head.name,
                target: &e.tail.name,
                relation: &e.edge.relation,
                directed: e.edge.directed(),
                weight: e.edge.weight,
                confidence: e.edge.confidence,
                title: e.edge.title(),
                evidence: &e.edge.evidence,
                time: e.edge.time.as_deref(),
            },
        )
        .map(|()| line)
    };
    array(&mut out, "edges", graph.sorted_edges()?, true, &edge, on_edge)?;
    Ok(layout)
}

impl Exporter for Json {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        write_with_layout(graph, out, &mut |_, _| Ok(())).map(|_| ())
    }
}

/// The evidence of the edge whose line starts at byte `offset` of a JSON graph file.
pub fn read_edge_evidence(file: &mut std::fs::File, offset: u64) -> io::Result<Vec<Evidence>> {
    use std::io::{BufRead, Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset))?;
    let mut line = String::new();
    io::BufReader::new(&mut *file).read_line(&mut line)?;
    let edge: JsonEdge = serde_json::from_str(line.trim_end().trim_end_matches(','))?;
    Ok(edge.evidence)
}

/// The documents of a JSON graph file whose `documents` lines are the byte range `range`.
pub fn read_documents(file: &mut std::fs::File, range: (u64, u64)) -> io::Result<Vec<DocInfo>> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(range.0))?;
    let mut text = String::new();
    file.take(range.1.saturating_sub(range.0)).read_to_string(&mut text)?;
    text.lines()
        .map(|l| l.trim().trim_end_matches(','))
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).map_err(io::Error::from))
        .collect()
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
            discovered: n.source.as_deref() == Some(crate::model::DISCOVERED),
            confidence: n.confidence,
        });
    }
    for e in doc.edges {
        let find = |id: &str| g.node_index(id).ok_or_else(|| err(format!("edge refers to unknown node '{id}'")));
        let (head, tail) = (find(&e.source)?, find(&e.target)?);
        let edge = crate::graph::Edge {
            relation: e.relation.into(),
            weight: e.weight,
            evidence: e.evidence,
            time: e.time.map(Box::new),
            confidence: e.confidence,
        };
        g.add_edge(head, tail, &edge);
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
    fn writes_one_item_a_line() {
        let text = to_string(&super::super::fixture::graph());
        let lines: Vec<&str> = text.lines().collect();
        // Header, documents (1), nodes (4), edges (4), each array with an opening and a closing line.
        assert_eq!(lines.len(), 1 + (2 + 1) + (2 + 4) + (2 + 4), "{text}");
        assert_eq!(lines[0], "{\"format\":\"guanxi-graph\",\"version\":1,");
        assert_eq!(lines[2], "{\"id\":\"a.txt\",\"title\":\"标题\"}");
        assert!(lines.last().unwrap().ends_with("]}"));
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

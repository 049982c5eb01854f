//! The query index: a small binary file written beside every JSON graph (`graph.json` → `graph.json.idx`) so that
//! the query commands start in a fraction of a second on graphs of millions of edges. It holds the nodes, the edges
//! without their evidence but with their confidence (so that `--min-confidence` reads no evidence), and where each
//! edge's line is in the JSON, from which evidence is read when shown.
//!
//! The index records the JSON file's size, modification time and inode; if any differs (the JSON was replaced or
//! edited), the index is ignored and the JSON is read instead. It is derived data: deleting it only makes queries
//! slower.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use petgraph::graph::EdgeIndex;

use super::commit::Outputs;
use super::json::{self, Layout};
use crate::error::{Error, Result};
use crate::graph::timing::Timing;
use crate::graph::{Graph, Node};
use crate::model::Confidence;

/// Version 5 added confidences: an index of an earlier version is not read (the JSON is, and a new index written).
const MAGIC: &[u8; 16] = b"guanxi-index-v5\n";

/// The index file of a JSON graph.
pub fn path_for(json: &Path) -> PathBuf {
    let mut p = json.as_os_str().to_owned();
    p.push(".idx");
    PathBuf::from(p)
}

/// The JSON file's identity: size, modification time and (on Unix) inode number. A rename keeps all three, so the
/// index written beside a JSON file names that very file, not whatever later comes to sit under its path.
fn stamp(meta: &std::fs::Metadata) -> io::Result<[u64; 4]> {
    let modified = meta.modified()?.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    Ok([meta.len(), modified.as_secs(), modified.subsec_nanos() as u64, inode])
}

fn put_str(w: &mut dyn Write, s: &str) -> io::Result<()> {
    w.write_all(&(s.len() as u32).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn put_opt(w: &mut dyn Write, s: Option<&str>) -> io::Result<()> {
    match s {
        None => w.write_all(&[0]),
        Some(s) => {
            w.write_all(&[1])?;
            put_str(w, s)
        }
    }
}

/// Stages the index of `graph`, just staged for `json` (the staged file's metadata is `meta`) with `layout`;
/// `edges` holds its edge records and `count` says how many.
#[allow(clippy::too_many_arguments)]
fn stage(
    graph: &Graph,
    relations: &[String],
    json: &Path,
    meta: &std::fs::Metadata,
    layout: &Layout,
    edges: &mut File,
    count: u64,
    outputs: &mut Outputs,
) -> Result<()> {
    let [len, secs, nanos, inode] = stamp(meta).map_err(|e| Error::io(json, e))?;
    outputs.stage_file(&path_for(json), &mut |w| {
        w.write_all(MAGIC)?;
        for v in [len, secs, nanos, inode, layout.documents.0, layout.documents.1] {
            w.write_all(&v.to_le_bytes())?;
        }
        w.write_all(&(relations.len() as u32).to_le_bytes())?;
        for r in relations {
            put_str(w, r)?;
        }
        let nodes = graph.sorted_nodes();
        w.write_all(&(nodes.len() as u32).to_le_bytes())?;
        for (_, n) in nodes {
            put_str(w, &n.name)?;
            put_str(w, &n.kind)?;
            w.write_all(&(n.aliases.len() as u32).to_le_bytes())?;
            for a in &n.aliases {
                put_str(w, a)?;
            }
            put_opt(w, n.parent.as_deref())?;
            put_opt(w, n.title.as_deref())?;
            w.write_all(&n.mentions.to_le_bytes())?;
            w.write_all(&n.documents.to_le_bytes())?;
            w.write_all(&[u8::from(n.discovered)])?;
            w.write_all(&Confidence::pack(n.confidence).to_le_bytes())?;
        }
        w.write_all(&(count as u32).to_le_bytes())?;
        edges.seek(io::SeekFrom::Start(0))?;
        io::copy(edges, w)?;
        Ok(())
    })?;
    Ok(())
}

/// A graph loaded from its index: nodes and edges, documents, and evidence on request.
pub struct Indexed {
    /// The graph; edges have no evidence until [`Indexed::fill_evidence`].
    pub graph: Graph,
    json: PathBuf,
    /// Where each edge's line is in the JSON, by edge index.
    offsets: Vec<u64>,
}

struct Reader<R: Read> {
    inner: R,
}

impl<R: Read> Reader<R> {
    fn u8(&mut self) -> io::Result<u8> {
        let mut b = [0; 1];
        self.inner.read_exact(&mut b)?;
        Ok(b[0])
    }
    fn u16(&mut self) -> io::Result<u16> {
        let mut b = [0; 2];
        self.inner.read_exact(&mut b)?;
        Ok(u16::from_le_bytes(b))
    }
    fn confidence(&mut self) -> io::Result<Option<Confidence>> {
        let bits = self.u16()?;
        Confidence::unpack(bits).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad confidence"))
    }
    fn u32(&mut self) -> io::Result<u32> {
        let mut b = [0; 4];
        self.inner.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0; 8];
        self.inner.read_exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn string(&mut self) -> io::Result<String> {
        let n = self.u32()? as usize;
        let mut b = vec![0; n];
        self.inner.read_exact(&mut b)?;
        String::from_utf8(b).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
    fn opt(&mut self) -> io::Result<Option<String>> {
        let mut flag = [0];
        self.inner.read_exact(&mut flag)?;
        if flag[0] == 0 {
            Ok(None)
        } else {
            self.string().map(Some)
        }
    }
}

impl Reader<&[u8]> {
    fn timing(&mut self) -> io::Result<Option<Timing>> {
        let (time, len) =
            Timing::decode(self.inner).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad timing"))?;
        self.inner = &self.inner[len..];
        Ok(time)
    }
}

/// Loads the graph from the index beside `json`, if there is one and it matches the JSON file. `None` means: read
/// the JSON.
pub fn load(json: &Path) -> Option<Indexed> {
    load_checked(json).ok().flatten()
}

fn load_checked(json: &Path) -> io::Result<Option<Indexed>> {
    // Read whole: one read of a few tens of megabytes beats millions of small ones.
    let bytes = match std::fs::read(path_for(json)) {
        Ok(b) => b,
        Err(_) => return Ok(None),
    };
    let mut r = Reader { inner: bytes.as_slice() };
    let mut magic = [0; 16];
    r.inner.read_exact(&mut magic)?;
    let stamp = stamp(&std::fs::metadata(json)?)?;
    if &magic != MAGIC {
        return Ok(None);
    }
    for v in stamp {
        if r.u64()? != v {
            return Ok(None);
        }
    }
    let documents = (r.u64()?, r.u64()?);
    let relations: Vec<String> = (0..r.u32()?).map(|_| r.string()).collect::<io::Result<_>>()?;
    let mut graph = Graph::new();
    let mut nodes = Vec::new();
    for _ in 0..r.u32()? {
        let name = r.string()?;
        let kind = r.string()?;
        let aliases = (0..r.u32()?).map(|_| r.string()).collect::<io::Result<Vec<_>>>()?;
        let (parent, title) = (r.opt()?, r.opt()?);
        let (mentions, documents) = (r.u64()?, r.u64()?);
        let (discovered, confidence) = (r.u8()? != 0, r.confidence()?);
        let node = Node { name, kind, aliases, parent, title, mentions, documents, discovered, confidence };
        nodes.push(graph.add_node(node));
    }
    let count = r.u32()? as usize;
    // Growing by doubling would copy millions of edges and hold two copies at once. An edge record takes 32
    // bytes at least, which bounds what a damaged count can reserve.
    let room = count.min(bytes.len() / 32);
    graph.reserve(0, room);
    let mut offsets = Vec::with_capacity(room);
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "index refers to a missing node or relation");
    for _ in 0..count {
        let (h, t, rel) = (r.u32()? as usize, r.u32()? as usize, r.u32()? as usize);
        let (weight, confidence, offset) = (r.u64()?, r.confidence()?, r.u64()?);
        let time = r.timing()?;
        let (&head, &tail) = (nodes.get(h).ok_or_else(bad)?, nodes.get(t).ok_or_else(bad)?);
        graph.push_edge(head, relations.get(rel).ok_or_else(bad)?, tail, weight, time, confidence);
        offsets.push(offset);
    }
    let mut file = File::open(json)?;
    for doc in json::read_documents(&mut file, documents)? {
        graph.add_document_info(doc);
    }
    Ok(Some(Indexed { graph, json: json.to_path_buf(), offsets }))
}

impl Indexed {
    /// Reads the evidence of these edges from the JSON file.
    pub fn fill_evidence(&mut self, edges: impl IntoIterator<Item = EdgeIndex>) -> Result<()> {
        let mut file = File::open(&self.json).map_err(|e| Error::io(&self.json, e))?;
        for e in edges {
            let Some(&offset) = self.offsets.get(e.index()) else { continue };
            let evidence = json::read_edge_evidence(&mut file, offset).map_err(|err| Error::GraphFormat {
                path: self.json.display().to_string(),
                message: format!("index points to no edge at byte {offset}: {err}"),
            })?;
            self.graph.set_evidence(e, evidence);
        }
        Ok(())
    }
}

/// Writes a JSON graph and its index.
pub fn write_json_and_index(graph: &Graph, json: &Path) -> Result<()> {
    let mut outputs = Outputs::new();
    stage_json_and_index(graph, json, &mut outputs)?;
    outputs.commit()
}

/// Stages a JSON graph and then its index. Between their renames, the new JSON sits beside the old index, whose
/// stamp names the old file: queries then read the JSON itself.
pub fn stage_json_and_index(graph: &Graph, json: &Path, outputs: &mut Outputs) -> Result<()> {
    let relations: Vec<String> = graph.relation_counts().into_iter().map(|(r, _)| r).collect();
    // The edge records are known as the JSON is written, and go to the index after its header, which needs the
    // JSON file's final size and time: they wait in a temporary file, so memory stays flat.
    let temporary = |e| Error::io(std::env::temp_dir(), e);
    let mut edges = io::BufWriter::with_capacity(1 << 20, tempfile::tempfile().map_err(temporary)?);
    let mut count = 0u64;
    let mut timing = Vec::new();
    let mut layout = Layout::default();
    let meta = outputs.stage_file(json, &mut |out| {
        layout = json::write_with_layout(graph, out, &mut |e, offset| {
            let relation = relations.binary_search_by(|r| r.as_str().cmp(&e.edge.relation)).unwrap_or(0) as u32;
            for v in [e.head_rank as u32, e.tail_rank as u32, relation] {
                edges.write_all(&v.to_le_bytes())?;
            }
            edges.write_all(&e.edge.weight.to_le_bytes())?;
            edges.write_all(&Confidence::pack(e.edge.confidence).to_le_bytes())?;
            edges.write_all(&offset.to_le_bytes())?;
            timing.clear();
            Timing::encode(e.edge.time.as_deref(), &mut timing);
            edges.write_all(&timing)?;
            count += 1;
            Ok(())
        })?;
        Ok(())
    })?;
    let mut edges = edges.into_inner().map_err(|e| temporary(e.into_error()))?;
    stage(graph, &relations, json, &meta, &layout, &mut edges, count, outputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Exporter;

    #[test]
    fn loads_what_the_json_holds_and_reads_evidence_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.json");
        let g = super::super::fixture::graph();
        write_json_and_index(&g, &path).unwrap();
        let mut indexed = load(&path).expect("a fresh index loads");
        assert_eq!(indexed.graph.node_count(), g.node_count());
        assert_eq!(indexed.graph.edge_count(), g.edge_count());
        assert_eq!(indexed.graph.documents(), g.documents());
        assert!(indexed.graph.petgraph().edge_weights().all(|e| e.evidence.is_empty()));
        let all: Vec<EdgeIndex> = indexed.graph.petgraph().edge_indices().collect();
        indexed.fill_evidence(all).unwrap();
        // With its evidence read back, the graph writes the same JSON.
        let mut a = Vec::new();
        let mut b = Vec::new();
        json::Json.export(&g, &mut a).unwrap();
        json::Json.export(&indexed.graph, &mut b).unwrap();
        assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
    }

    #[test]
    fn a_stale_or_broken_index_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.json");
        write_json_and_index(&super::super::fixture::graph(), &path).unwrap();
        assert!(load(&path).is_some());
        // The same bytes written again later: a new modification time, so the index is not trusted.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, std::fs::read(&path).unwrap()).unwrap();
        assert!(load(&path).is_none());
        write_json_and_index(&super::super::fixture::graph(), &path).unwrap();
        // An index of version 4 (before confidences) beside the JSON it was written for: not read.
        let mut old = std::fs::read(path_for(&path)).unwrap();
        old[..16].copy_from_slice(b"guanxi-index-v4\n");
        std::fs::write(path_for(&path), &old).unwrap();
        assert!(load(&path).is_none());
        old[..16].copy_from_slice(MAGIC);
        std::fs::write(path_for(&path), &old).unwrap();
        assert!(load(&path).is_some(), "only the version made it stale");
        write_json_and_index(&super::super::fixture::graph(), &path).unwrap();
        std::fs::write(&path, b"{}").unwrap();
        assert!(load(&path).is_none());
        std::fs::write(path_for(&path), b"garbage").unwrap();
        assert!(load(&path).is_none());
    }
}

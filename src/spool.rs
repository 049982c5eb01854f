//! Edges in bounded memory: how `build`, `merge` and `build --update` fold millions of relations into edges.
//!
//! Relation occurrences are appended to a buffer in input order. When the buffer outgrows its budget, it is sorted
//! in export order (head name, tail name, relation name; equal keys keep their input order), folded into edges
//! (weights summed, the first pieces of evidence kept) and written to a temporary file: a sorted run. When the
//! graph is written, the runs and the buffer are merged into one sorted file, which every exporter reads from
//! start to end; a graph that never outgrew the buffer is folded in memory instead. Memory is the buffer and the
//! nodes, however large the corpus; the temporary files (about the size of the JSON output) are deleted on exit.
//!
//! The temporary files go to the system's temporary directory (`TMPDIR` on Unix).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::sync::{Arc, Mutex};

use crate::model::{Evidence, Span};

/// An edge's identity: head node, tail node and relation, as the graph numbers them.
pub(crate) type Key = (u32, u32, u32);

/// The default buffer budget: 64 MiB.
pub const DEFAULT_BUDGET: usize = 64 << 20;

/// How the graph orders keys (by name) and how much evidence each relation keeps.
pub(crate) struct Order {
    /// Rank of each node (by graph index) in name order.
    pub node: Vec<u32>,
    /// Rank of each relation (by id) in name order.
    pub relation: Vec<u32>,
    /// Pieces of evidence kept, by relation id.
    pub keep: Vec<usize>,
}

impl Order {
    fn rank(&self, k: Key) -> (u32, u32, u32) {
        (self.node[k.0 as usize], self.node[k.1 as usize], self.relation[k.2 as usize])
    }
}

/// One relation occurrence (or a whole edge, when a graph read back is added), waiting in the buffer.
struct Pending {
    key: Key,
    weight: u64,
    evidence: Option<Evidence>,
}

/// The next edge of each source being merged: its rank and the source's number, smallest first.
type Heads = BinaryHeap<Reverse<((u32, u32, u32), usize)>>;

/// An edge as the spool hands it out: key, weight and evidence.
pub(crate) type Folded = (Key, u64, Vec<Evidence>);

/// The folded, sorted edges of a finished spool.
pub(crate) struct Finished {
    /// Number of edges.
    pub edges: usize,
    /// Edges per relation id.
    pub per_relation: HashMap<u32, usize>,
    store: Store,
}

enum Store {
    Memory(Arc<Vec<Folded>>),
    /// A merged run and the strings its records refer to.
    File(Arc<File>, Arc<Strings>),
}

/// Relation occurrences on their way to becoming sorted edges.
pub(crate) struct Spool {
    budget: usize,
    buffer: Vec<Pending>,
    /// Estimated memory held by the buffer.
    bytes: usize,
    runs: Vec<Arc<File>>,
    strings: Arc<Strings>,
    /// The merged result, once asked for; dropped when more is added.
    finished: Mutex<Option<Arc<Finished>>>,
}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool").field("buffered", &self.buffer.len()).field("runs", &self.runs.len()).finish()
    }
}

impl Spool {
    /// A spool that keeps about `budget` bytes of relations in memory before writing a run.
    pub fn new(budget: usize) -> Self {
        Spool {
            budget,
            buffer: Vec::new(),
            bytes: 0,
            runs: Vec::new(),
            strings: Arc::default(),
            finished: Mutex::new(None),
        }
    }

    /// Adds `weight` and evidence to the edge `key`. Returns whether the buffer is over budget (the graph then
    /// calls [`Spool::spill`]).
    pub fn push(&mut self, key: Key, weight: u64, evidence: &[Evidence]) -> bool {
        *self.finished.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        if evidence.is_empty() {
            self.buffer.push(Pending { key, weight, evidence: None });
            self.bytes += std::mem::size_of::<Pending>();
        }
        for (i, ev) in evidence.iter().enumerate() {
            let weight = if i == 0 { weight } else { 0 };
            // The sentence is shared by the relations of a sentence, so this overestimates: the budget is a bound.
            self.bytes +=
                std::mem::size_of::<Pending>() + ev.sentence.len() + ev.trigger.as_ref().map_or(0, |t| t.len()) + 32;
            self.buffer.push(Pending { key, weight, evidence: Some(ev.clone()) });
        }
        self.bytes > self.budget
    }

    /// Writes the buffer, sorted and folded, to a new run.
    pub fn spill(&mut self, order: &Order) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let mut w = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        let mut run = Vec::new();
        for edge in fold(&self.buffer, order) {
            run.clear();
            encode(&edge, Arc::make_mut(&mut self.strings), &mut run);
            w.write_all(&run)?;
        }
        let file = w.into_inner().map_err(|e| e.into_error())?;
        self.runs.push(Arc::new(file));
        self.buffer = Vec::new();
        self.bytes = 0;
        Ok(())
    }

    /// The folded, sorted edges (merged once, then kept until more is added).
    pub fn finished(&self, order: &Order) -> io::Result<Arc<Finished>> {
        let mut cache = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(done) = &*cache {
            return Ok(done.clone());
        }
        let done = Arc::new(self.merge(order)?);
        *cache = Some(done.clone());
        Ok(done)
    }

    fn merge(&self, order: &Order) -> io::Result<Finished> {
        let mut per_relation: HashMap<u32, usize> = HashMap::new();
        if self.runs.is_empty() {
            let edges: Vec<Folded> = fold(&self.buffer, order).collect();
            for e in &edges {
                *per_relation.entry(e.0 .2).or_default() += 1;
            }
            return Ok(Finished { edges: edges.len(), per_relation, store: Store::Memory(Arc::new(edges)) });
        }
        // The buffer is the last run, read from memory.
        let mut sources: Vec<Box<dyn Iterator<Item = io::Result<Folded>> + '_>> = Vec::new();
        for run in &self.runs {
            sources.push(Box::new(RunReader::new(run.clone(), self.strings.clone())));
        }
        sources.push(Box::new(fold(&self.buffer, order).map(Ok)));
        let mut heads = Heads::new();
        let mut current: Vec<Option<Folded>> = Vec::with_capacity(sources.len());
        for (i, s) in sources.iter_mut().enumerate() {
            let first = s.next().transpose()?;
            if let Some(e) = &first {
                heads.push(Reverse((order.rank(e.0), i)));
            }
            current.push(first);
        }
        let mut out = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        let mut bytes = Vec::new();
        let mut strings = Strings::default();
        let mut edges = 0;
        while let Some(Reverse((rank, i))) = heads.pop() {
            let Some(mut edge) = current[i].take() else { continue };
            self.advance(&mut sources[i], &mut current[i], &mut heads, i, order)?;
            // The same edge in later runs: its weight adds up, its evidence comes after (runs are in input order).
            while let Some(Reverse((next, j))) = heads.peek().copied() {
                if next != rank {
                    break;
                }
                heads.pop();
                if let Some((_, weight, evidence)) = current[j].take() {
                    edge.1 += weight;
                    let room = order.keep[edge.0 .2 as usize].saturating_sub(edge.2.len());
                    edge.2.extend(evidence.into_iter().take(room));
                }
                self.advance(&mut sources[j], &mut current[j], &mut heads, j, order)?;
            }
            edges += 1;
            *per_relation.entry(edge.0 .2).or_default() += 1;
            bytes.clear();
            encode(&edge, &mut strings, &mut bytes);
            out.write_all(&bytes)?;
        }
        let file = out.into_inner().map_err(|e| e.into_error())?;
        Ok(Finished { edges, per_relation, store: Store::File(Arc::new(file), Arc::new(strings)) })
    }

    fn advance(
        &self,
        source: &mut Box<dyn Iterator<Item = io::Result<Folded>> + '_>,
        slot: &mut Option<Folded>,
        heads: &mut Heads,
        i: usize,
        order: &Order,
    ) -> io::Result<()> {
        *slot = source.next().transpose()?;
        if let Some(e) = slot {
            heads.push(Reverse((order.rank(e.0), i)));
        }
        Ok(())
    }
}

impl Finished {
    /// The edges in export order.
    pub fn iter(self: &Arc<Self>) -> Box<dyn Iterator<Item = io::Result<Folded>>> {
        match &self.store {
            Store::Memory(edges) => {
                let edges = edges.clone();
                Box::new((0..edges.len()).map(move |i| Ok(edges[i].clone())))
            }
            Store::File(file, strings) => Box::new(RunReader::new(file.clone(), strings.clone())),
        }
    }
}

/// The buffer's relations sorted in export order and folded into edges.
fn fold<'a>(buffer: &'a [Pending], order: &'a Order) -> impl Iterator<Item = Folded> + 'a {
    let mut sorted: Vec<((u32, u32, u32), u32)> =
        buffer.iter().enumerate().map(|(i, p)| (order.rank(p.key), i as u32)).collect();
    // Unstable is fine: the position breaks ties, so equal keys keep their input order.
    sorted.sort_unstable();
    let mut at = 0;
    std::iter::from_fn(move || {
        let &(rank, first) = sorted.get(at)?;
        let key = buffer[first as usize].key;
        let keep = order.keep[key.2 as usize];
        let (mut weight, mut evidence) = (0, Vec::new());
        while let Some(&(r, i)) = sorted.get(at) {
            if r != rank {
                break;
            }
            let p = &buffer[i as usize];
            weight += p.weight;
            if let Some(ev) = &p.evidence {
                if evidence.len() < keep {
                    evidence.push(ev.clone());
                }
            }
            at += 1;
        }
        Some((key, weight, evidence))
    })
}

/// Document ids, rule names and triggers by number, so that runs hold each once.
#[derive(Clone, Default)]
pub(crate) struct Strings {
    ids: HashMap<Arc<str>, u32>,
    all: Vec<Arc<str>>,
}

impl Strings {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.all.len() as u32;
        let s: Arc<str> = s.into();
        self.ids.insert(s.clone(), i);
        self.all.push(s);
        i
    }

    fn get(&self, i: u32) -> io::Result<Arc<str>> {
        self.all.get(i as usize).cloned().ok_or_else(|| corrupt("unknown string"))
    }
}

fn corrupt(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("temporary edge file is damaged: {what}"))
}

/// An edge as bytes: key, weight, number of pieces of evidence, then each piece (document, rule and trigger by
/// number, the spans, and the sentence).
fn encode((key, weight, evidence): &Folded, strings: &mut Strings, out: &mut Vec<u8>) {
    for v in [key.0, key.1, key.2] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&weight.to_le_bytes());
    out.push(evidence.len().min(255) as u8);
    for ev in evidence.iter().take(255) {
        let trigger = ev.trigger.as_deref().map_or(0, |t| strings.id(t) + 1);
        for v in [strings.id(&ev.doc), strings.id(&ev.rule), trigger] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [ev.head.start, ev.head.end, ev.tail.start, ev.tail.end] {
            out.extend_from_slice(&(v as u64).to_le_bytes());
        }
        out.extend_from_slice(&(ev.sentence.len() as u32).to_le_bytes());
        out.extend_from_slice(ev.sentence.as_bytes());
    }
}

/// Reads a run from its start, with its own position (several readers may share the file).
struct RunReader {
    reader: BufReader<At>,
    strings: Arc<Strings>,
}

impl RunReader {
    fn new(file: Arc<File>, strings: Arc<Strings>) -> Self {
        RunReader { reader: BufReader::with_capacity(1 << 20, At { file, pos: 0 }), strings }
    }

    fn u32(&mut self) -> io::Result<u32> {
        let mut b = [0; 4];
        self.reader.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0; 8];
        self.reader.read_exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn edge(&mut self) -> io::Result<Option<Folded>> {
        let mut first = [0; 4];
        match self.reader.read(&mut first[..1])? {
            0 => return Ok(None),
            _ => self.reader.read_exact(&mut first[1..])?,
        }
        let key = (u32::from_le_bytes(first), self.u32()?, self.u32()?);
        let weight = self.u64()?;
        let mut n = [0];
        self.reader.read_exact(&mut n)?;
        let mut evidence = Vec::with_capacity(n[0] as usize);
        for _ in 0..n[0] {
            let (doc, rule, trigger) = (self.u32()?, self.u32()?, self.u32()?);
            let (hs, he, ts, te) = (self.u64()?, self.u64()?, self.u64()?, self.u64()?);
            let len = self.u32()? as usize;
            let mut sentence = vec![0; len];
            self.reader.read_exact(&mut sentence)?;
            let sentence = String::from_utf8(sentence).map_err(|_| corrupt("not UTF-8"))?;
            evidence.push(Evidence {
                doc: self.strings.get(doc)?,
                sentence: sentence.into(),
                head: Span { start: hs as usize, end: he as usize },
                tail: Span { start: ts as usize, end: te as usize },
                rule: self.strings.get(rule)?,
                trigger: match trigger {
                    0 => None,
                    t => Some(self.strings.get(t - 1)?.to_string()),
                },
            });
        }
        Ok(Some((key, weight, evidence)))
    }
}

impl Iterator for RunReader {
    type Item = io::Result<Folded>;
    fn next(&mut self) -> Option<Self::Item> {
        self.edge().transpose()
    }
}

/// A file read from a position of its own.
struct At {
    file: Arc<File>,
    pos: u64,
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(&*self.file, buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(&*self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

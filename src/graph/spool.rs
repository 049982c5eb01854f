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

use crate::graph::timing::{keep_evidence, Added, Timing};
use crate::model::{Evidence, Span};
use crate::read::dates::Date;

/// An edge's identity: head node, tail node and relation, as the graph numbers them.
pub(crate) type Key = (u32, u32, u32);

/// The fewest relations in a run (see `Spool::min_run`).
const MIN_RUN: usize = 1024;

/// The default buffer budget: 32 MiB (what `--edge-memory` defaults to).
pub const DEFAULT_BUDGET: usize = 32 << 20;

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

/// One relation occurrence (or a piece of a whole edge, when a graph read back is added), waiting in the buffer.
struct Pending {
    key: Key,
    weight: u64,
    evidence: Option<Evidence>,
    /// A whole edge's timing (on its first piece); for an occurrence, `None`: its evidence dates it.
    time: Option<Box<Timing>>,
    /// Whether this is one occurrence, dated by its evidence (not a piece of a whole edge).
    occurrence: bool,
}

impl Pending {
    fn added(&self) -> Added<'_> {
        if self.occurrence {
            Added::Occurrence
        } else {
            Added::Whole(self.time.as_deref())
        }
    }
}

/// The next edge of each source being merged: its rank and the source's number, smallest first.
type Heads = BinaryHeap<Reverse<((u32, u32, u32), usize)>>;

/// An edge as the spool hands it out: key, weight, evidence and timing.
pub(crate) type Folded = (Key, u64, Vec<Evidence>, Option<Box<Timing>>);

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
    /// The fewest relations a run holds, whatever the budget: a budget of nothing would otherwise write a file per
    /// relation, and cost minutes on a few megabytes.
    min_run: usize,
    /// Sorted runs in input order, each with its level: how many merges made it.
    runs: Vec<(u32, Arc<File>)>,
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
        // The buffer is allocated once, at half the budget (the sentences take the rest), so that it never grows by
        // doubling, which would overshoot the budget and copy it.
        let capacity = (budget / 2 / std::mem::size_of::<Pending>()).max(1);
        Spool {
            budget,
            buffer: Vec::with_capacity(capacity),
            bytes: 0,
            runs: Vec::new(),
            min_run: MIN_RUN,
            strings: Arc::default(),
            finished: Mutex::new(None),
        }
    }

    /// Adds `weight` sentences, their evidence and their timing to the edge `key`. Returns whether the buffer is
    /// over budget (the graph then calls [`Spool::spill`]).
    pub fn push(&mut self, key: Key, weight: u64, evidence: &[Evidence], added: Added) -> bool {
        *self.finished.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        let (occurrence, time) = match added {
            Added::Occurrence => (true, None),
            Added::Whole(t) => {
                self.bytes += t.map_or(0, |t| 32 + 16 * t.years.len());
                (false, t.map(|t| Box::new(t.clone())))
            }
        };
        if evidence.is_empty() {
            self.buffer.push(Pending { key, weight, evidence: None, time, occurrence });
            return self.over_budget();
        }
        let mut time = time;
        for (i, ev) in evidence.iter().enumerate() {
            let weight = if i == 0 { weight } else { 0 };
            // The sentence is shared by the relations of a sentence, so this overestimates: the budget is a bound.
            self.bytes += ev.sentence.len() + ev.trigger.as_ref().map_or(0, |t| t.len()) + 32;
            let time = time.take();
            self.buffer.push(Pending {
                key,
                weight,
                evidence: Some(ev.clone()),
                time,
                occurrence: occurrence && i == 0,
            });
        }
        self.over_budget()
    }

    fn over_budget(&self) -> bool {
        let over = self.bytes + self.buffer.capacity() * std::mem::size_of::<Pending>() > self.budget
            || self.buffer.len() >= self.buffer.capacity();
        over && self.buffer.len() >= self.min_run
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
        self.runs.push((0, Arc::new(file)));
        self.buffer.clear();
        self.bytes = 0;
        self.compact(order)
    }

    /// Keeps the number of runs (open files) small however large the corpus: whenever the last [`FAN_IN`] runs
    /// have the same level, they are merged into one run of the next level. Each relation is rewritten once per
    /// level, so a corpus of N buffers costs log(N) passes, in [`FAN_IN`]·log(N) open files at most.
    fn compact(&mut self, order: &Order) -> io::Result<()> {
        while self.runs.len() >= FAN_IN {
            let tail = &self.runs[self.runs.len() - FAN_IN..];
            let level = tail[0].0;
            if tail.iter().any(|(l, _)| *l != level) {
                break;
            }
            let (file, _, _) = merge_sources(tail.iter().map(|(_, run)| run_source(run)).collect(), order)?;
            self.runs.truncate(self.runs.len() - FAN_IN);
            self.runs.push((level + 1, Arc::new(file)));
        }
        Ok(())
    }

    /// The folded, sorted edges (merged once, then kept until more is added).
    /// `order` is asked for only when the edges must be merged.
    pub fn finished(&self, order: impl FnOnce() -> Order) -> io::Result<Arc<Finished>> {
        let mut cache = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(done) = &*cache {
            return Ok(done.clone());
        }
        let done = Arc::new(self.merge(&order())?);
        *cache = Some(done.clone());
        Ok(done)
    }

    fn merge(&self, order: &Order) -> io::Result<Finished> {
        if self.runs.is_empty() {
            let mut per_relation: HashMap<u32, usize> = HashMap::new();
            let edges: Vec<Folded> = fold(&self.buffer, order).collect();
            for e in &edges {
                *per_relation.entry(e.0 .2).or_default() += 1;
            }
            return Ok(Finished { edges: edges.len(), per_relation, store: Store::Memory(Arc::new(edges)) });
        }
        // Runs are merged as bytes: an edge in one run only is copied as it is, one in several is combined. The
        // buffer is the last run, encoded in memory.
        let mut strings = (*self.strings).clone();
        let mut last = Vec::new();
        for edge in fold(&self.buffer, order) {
            encode(&edge, &mut strings, &mut last);
        }
        let mut sources: Vec<RawReader<Box<dyn Read + '_>>> =
            self.runs.iter().map(|(_, run)| run_source(run)).collect();
        sources.push(RawReader(Box::new(last.as_slice())));
        let (file, edges, per_relation) = merge_sources(sources, order)?;
        Ok(Finished { edges, per_relation, store: Store::File(Arc::new(file), Arc::new(strings)) })
    }
}

/// Runs merged at a time, and the most runs of one level.
const FAN_IN: usize = 16;

/// A run read from its start.
fn run_source<'a>(run: &Arc<File>) -> RawReader<Box<dyn Read + 'a>> {
    RawReader(Box::new(BufReader::with_capacity(1 << 20, At { file: run.clone(), pos: 0 })))
}

/// Merges sorted runs (in input order) into a new temporary file as bytes: an edge in one run only is copied as it
/// is, one in several is combined, its weights summed and its evidence kept in run order. Returns the file, the
/// number of edges, and of edges per relation.
fn merge_sources(
    mut sources: Vec<RawReader<Box<dyn Read + '_>>>,
    order: &Order,
) -> io::Result<(File, usize, HashMap<u32, usize>)> {
    let mut out = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
    let mut per_relation: HashMap<u32, usize> = HashMap::new();
    let mut heads = Heads::new();
    let mut current: Vec<Vec<u8>> = vec![Vec::new(); sources.len()];
    for (i, source) in sources.iter_mut().enumerate() {
        if source.next_into(&mut current[i])? {
            heads.push(Reverse((order.rank(record_key(&current[i])?), i)));
        }
    }
    let (mut combined, mut scratch) = (Vec::new(), Vec::new());
    let mut edges = 0;
    while let Some(Reverse((rank, i))) = heads.pop() {
        let relation = record_key(&current[i])?.2;
        if heads.peek().is_some_and(|Reverse((next, _))| *next == rank) {
            // The same edge in later runs: its weight adds up, its evidence comes after (runs are in input order).
            combined.clear();
            combined.extend_from_slice(&current[i]);
            advance(&mut sources[i], &mut current[i], &mut heads, i, order)?;
            while let Some(&Reverse((next, j))) = heads.peek() {
                if next != rank {
                    break;
                }
                heads.pop();
                combine(&mut combined, &current[j], order.keep[relation as usize], &mut scratch)?;
                advance(&mut sources[j], &mut current[j], &mut heads, j, order)?;
            }
            out.write_all(&combined)?;
        } else {
            out.write_all(&current[i])?;
            advance(&mut sources[i], &mut current[i], &mut heads, i, order)?;
        }
        edges += 1;
        *per_relation.entry(relation).or_default() += 1;
    }
    let file = out.into_inner().map_err(|e| e.into_error())?;
    Ok((file, edges, per_relation))
}

/// Reads the next record of `source` into `slot` and puts it among the heads.
fn advance<R: Read>(
    source: &mut RawReader<R>,
    slot: &mut Vec<u8>,
    heads: &mut Heads,
    i: usize,
    order: &Order,
) -> io::Result<()> {
    if source.next_into(slot)? {
        heads.push(Reverse((order.rank(record_key(slot)?), i)));
    }
    Ok(())
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
        let (mut weight, mut evidence, mut time) = (0u64, Vec::new(), None);
        while let Some(&(r, i)) = sorted.get(at) {
            if r != rank {
                break;
            }
            let p = &buffer[i as usize];
            weight = weight.saturating_add(p.weight);
            if let Some(ev) = &p.evidence {
                keep_evidence(&mut evidence, std::slice::from_ref(ev), keep, |e| e.date);
            }
            p.added().apply(&mut time, p.weight, p.evidence.as_ref());
            at += 1;
        }
        Some((key, weight, evidence, time))
    })
}

/// Document ids, rule names and triggers by number, so that runs hold each once.
#[derive(Clone, Default)]
pub(crate) struct Strings {
    ids: rustc_hash::FxHashMap<Arc<str>, u32>,
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

/// An edge as bytes: the length of the rest, key, weight, number of pieces of evidence, then each piece
/// (document, rule, trigger and context by number, the date, the spans, and the sentence), then the timing (the
/// number of years, and if any, the first and last dates and each year's count).
fn encode((key, weight, evidence, time): &Folded, strings: &mut Strings, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    for v in [key.0, key.1, key.2] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&weight.to_le_bytes());
    out.push(evidence.len().min(255) as u8);
    for ev in evidence.iter().take(255) {
        let trigger = ev.trigger.as_deref().map_or(0, |t| strings.id(t) + 1);
        let context = ev.context.as_deref().map_or(0, |t| strings.id(t) + 1);
        for v in [strings.id(&ev.doc), strings.id(&ev.rule), trigger, context, ev.date.map_or(0, Date::packed)] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [ev.head.start, ev.head.end, ev.tail.start, ev.tail.end] {
            out.extend_from_slice(&(v as u64).to_le_bytes());
        }
        out.extend_from_slice(&(ev.sentence.len() as u32).to_le_bytes());
        out.extend_from_slice(ev.sentence.as_bytes());
    }
    Timing::encode(time.as_deref(), out);
    let len = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}

/// The timing that starts at `at`, the end of a record's evidence.
fn decode_timing(b: &[u8], at: usize) -> io::Result<Option<Box<Timing>>> {
    let (time, _) = b.get(at..).and_then(Timing::decode).ok_or_else(|| corrupt("bad timing"))?;
    Ok(time.map(Box::new))
}

/// The byte ranges of a record's pieces of evidence, and where they end.
fn pieces(b: &[u8]) -> io::Result<(Vec<std::ops::Range<usize>>, usize)> {
    let n = *b.get(COUNT_AT).ok_or_else(|| corrupt("short record"))? as usize;
    let mut ranges = Vec::with_capacity(n);
    let mut at = EVIDENCE_AT;
    for _ in 0..n {
        let end = evidence_end(b, at)?;
        ranges.push(at..end);
        at = end;
    }
    Ok((ranges, at))
}

/// The date of the piece of evidence that is `piece`.
fn piece_date(piece: &[u8]) -> Option<Date> {
    u32_at(piece, DATE_AT).ok().and_then(Date::from_packed)
}

/// Where a record's parts start: key at 4, weight at 16, the number of pieces of evidence at 24, evidence at 25.
const WEIGHT_AT: usize = 16;
const COUNT_AT: usize = 24;
const EVIDENCE_AT: usize = 25;
/// A piece of evidence before its sentence: four numbers, the date, four spans, the sentence's length.
const EVIDENCE_HEAD: usize = 16 + 4 + 32 + 4;
/// Where a piece's date is.
const DATE_AT: usize = 16;
/// Where a piece's spans are.
const SPANS_AT: usize = 20;

fn u32_at(b: &[u8], at: usize) -> io::Result<u32> {
    let bytes = b.get(at..at + 4).ok_or_else(|| corrupt("short record"))?;
    Ok(u32::from_le_bytes(bytes.try_into().unwrap_or_default()))
}

fn u64_at(b: &[u8], at: usize) -> io::Result<u64> {
    let bytes = b.get(at..at + 8).ok_or_else(|| corrupt("short record"))?;
    Ok(u64::from_le_bytes(bytes.try_into().unwrap_or_default()))
}

fn record_key(b: &[u8]) -> io::Result<Key> {
    Ok((u32_at(b, 4)?, u32_at(b, 8)?, u32_at(b, 12)?))
}

/// The end of the piece of evidence starting at `at`.
fn evidence_end(b: &[u8], at: usize) -> io::Result<usize> {
    let end = at + EVIDENCE_HEAD + u32_at(b, at + EVIDENCE_HEAD - 4)? as usize;
    if end > b.len() {
        return Err(corrupt("short record"));
    }
    Ok(end)
}

/// Adds the record `other` (the same edge, later in the input) to the record `into`: weights add up, timings
/// merge, and the evidence kept is chosen from both as [`keep_evidence`] does; `scratch` is working space.
fn combine(into: &mut Vec<u8>, other: &[u8], keep: usize, scratch: &mut Vec<u8>) -> io::Result<()> {
    let weight = u64_at(into, WEIGHT_AT)?.saturating_add(u64_at(other, WEIGHT_AT)?);
    let (ours, our_end) = pieces(into)?;
    let (theirs, their_end) = pieces(other)?;
    let mut time = decode_timing(into, our_end)?;
    Timing::combine(&mut time, decode_timing(other, their_end)?.as_deref());
    let mut kept: Vec<&[u8]> = ours.into_iter().map(|r| &into[r]).collect();
    let more: Vec<&[u8]> = theirs.into_iter().map(|r| &other[r]).collect();
    keep_evidence(&mut kept, &more, keep.min(253), |p| piece_date(p));
    scratch.clear();
    scratch.extend_from_slice(&into[..EVIDENCE_AT]);
    scratch[WEIGHT_AT..WEIGHT_AT + 8].copy_from_slice(&weight.to_le_bytes());
    scratch[COUNT_AT] = kept.len() as u8;
    for piece in &kept {
        scratch.extend_from_slice(piece);
    }
    Timing::encode(time.as_deref(), scratch);
    let len = (scratch.len() - 4) as u32;
    scratch[..4].copy_from_slice(&len.to_le_bytes());
    std::mem::swap(into, scratch);
    Ok(())
}

/// An edge from its record.
fn decode(b: &[u8], strings: &Strings) -> io::Result<Folded> {
    let key = record_key(b)?;
    let weight = u64_at(b, WEIGHT_AT)?;
    let (ranges, end_of_evidence) = pieces(b)?;
    let mut evidence = Vec::with_capacity(ranges.len());
    for std::ops::Range { start: at, end } in ranges {
        let (doc, rule, trigger) = (u32_at(b, at)?, u32_at(b, at + 4)?, u32_at(b, at + 8)?);
        let context = u32_at(b, at + 12)?;
        let date = match u32_at(b, at + DATE_AT)? {
            0 => None,
            n => Some(Date::from_packed(n).ok_or_else(|| corrupt("bad date"))?),
        };
        let span = |k: usize| -> io::Result<Span> {
            let s = at + SPANS_AT + 16 * k;
            Ok(Span { start: u64_at(b, s)? as usize, end: u64_at(b, s + 8)? as usize })
        };
        let sentence = std::str::from_utf8(&b[at + EVIDENCE_HEAD..end]).map_err(|_| corrupt("not UTF-8"))?;
        evidence.push(Evidence {
            doc: strings.get(doc)?,
            sentence: sentence.into(),
            head: span(0)?,
            tail: span(1)?,
            rule: strings.get(rule)?,
            trigger: match trigger {
                0 => None,
                t => Some(strings.get(t - 1)?.to_string()),
            },
            context: match context {
                0 => None,
                t => Some(strings.get(t - 1)?),
            },
            date,
        });
    }
    Ok((key, weight, evidence, decode_timing(b, end_of_evidence)?))
}

/// Reads records one at a time.
struct RawReader<R: Read>(R);

impl<R: Read> RawReader<R> {
    /// Reads the next record into `buf`; false at the end.
    fn next_into(&mut self, buf: &mut Vec<u8>) -> io::Result<bool> {
        let mut len = [0; 4];
        match self.0.read(&mut len[..1])? {
            0 => return Ok(false),
            _ => self.0.read_exact(&mut len[1..])?,
        }
        let n = u32::from_le_bytes(len) as usize;
        buf.clear();
        buf.extend_from_slice(&len);
        buf.resize(4 + n, 0);
        self.0.read_exact(&mut buf[4..])?;
        Ok(true)
    }
}

/// Records decoded this many at a time, in parallel.
const CHUNK: usize = 8192;

/// Reads a run from its start, with its own position (several readers may share the file), decoding records in
/// parallel chunks.
struct RunReader {
    raw: RawReader<BufReader<At>>,
    strings: Arc<Strings>,
    decoded: std::vec::IntoIter<io::Result<Folded>>,
    done: bool,
}

impl RunReader {
    fn new(file: Arc<File>, strings: Arc<Strings>) -> Self {
        let raw = RawReader(BufReader::with_capacity(1 << 20, At { file, pos: 0 }));
        RunReader { raw, strings, decoded: Vec::new().into_iter(), done: false }
    }

    fn refill(&mut self) -> io::Result<()> {
        use rayon::prelude::*;
        let mut block = Vec::new();
        let mut ends = Vec::with_capacity(CHUNK);
        let mut record = Vec::new();
        while ends.len() < CHUNK {
            if !self.raw.next_into(&mut record)? {
                self.done = true;
                break;
            }
            block.extend_from_slice(&record);
            ends.push(block.len());
        }
        let strings = &*self.strings;
        let decoded: Vec<io::Result<Folded>> = (0..ends.len())
            .into_par_iter()
            .map(|i| decode(&block[if i == 0 { 0 } else { ends[i - 1] }..ends[i]], strings))
            .collect();
        self.decoded = decoded.into_iter();
        Ok(())
    }
}

impl Iterator for RunReader {
    type Item = io::Result<Folded>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(edge) = self.decoded.next() {
                return Some(edge);
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.refill() {
                self.done = true;
                return Some(Err(e));
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(n: usize) -> Evidence {
        Evidence {
            doc: format!("d{n}").into(),
            sentence: format!("第{n}句。").into(),
            head: Span { start: n, end: n + 2 },
            tail: Span { start: n + 3, end: n + 5 },
            rule: "co-occurrence".into(),
            trigger: n.is_multiple_of(3).then(|| "位于".to_string()),
            context: n.is_multiple_of(4).then(|| "title".into()),
            // Every other piece dated, in years 2001 to 2013, in no order.
            date: n
                .is_multiple_of(2)
                .then(|| Date::parse(&format!("{}-0{}-1{}", 2001 + n * 7 % 13, 1 + n % 9, n % 10)))
                .flatten(),
        }
    }

    fn edges(spool: &Spool, order: &Order) -> Vec<Folded> {
        spool
            .finished(|| Order { node: order.node.clone(), relation: order.relation.clone(), keep: order.keep.clone() })
            .unwrap()
            .iter()
            .collect::<io::Result<_>>()
            .unwrap()
    }

    /// A budget of nothing still writes runs of at least [`MIN_RUN`] relations: the number of runs (files written and
    /// merged) grows with the input divided by it, not with the input.
    #[test]
    fn a_zero_budget_spills_in_runs_of_a_bounded_least_size() {
        let order = Order { node: (0..40).collect(), relation: vec![0], keep: vec![3] };
        let mut spool = Spool::new(0);
        let mut spills = 0;
        for n in 0..10_000usize {
            if spool.push(((n % 40) as u32, ((n + 1) % 40) as u32, 0), 1, &[evidence(n)], Added::Occurrence) {
                spool.spill(&order).unwrap();
                spills += 1;
            }
        }
        assert_eq!(spills, 10_000 / MIN_RUN);
    }

    /// A spool that spills at every relation keeps few runs (open files) and gives what one folded in memory
    /// gives: the same edges in the same order, weights summed, the first pieces of evidence in input order.
    #[test]
    fn runs_are_merged_as_they_pile_up_and_fold_like_memory() {
        // Nodes ranked in reverse of their numbers, so that rank order is not key order.
        let order = Order { node: (0..40).rev().collect(), relation: vec![1, 0], keep: vec![3, 1] };
        let (mut spilled, mut memory) = (Spool::new(0), Spool::new(1 << 30));
        spilled.min_run = 1;
        let mut distinct = std::collections::BTreeSet::new();
        for n in 0..2_000usize {
            let mut key = ((n % 40) as u32, ((n / 40 * 3 + n) % 40) as u32, (n % 3 % 2) as u32);
            if n % 4 == 0 {
                // A few edges with many pieces each, among which the first- and last-dated are rarely the first.
                key = ((n / 4 % 5) as u32, 39, (n / 4 % 2) as u32);
            }
            distinct.insert(key);
            let ev = [evidence(n)];
            assert!(spilled.push(key, 1 + n as u64 % 5, &ev, Added::Occurrence));
            spilled.spill(&order).unwrap();
            assert!(!memory.push(key, 1 + n as u64 % 5, &ev, Added::Occurrence));
        }
        // 2,000 spills: 7 runs of level 2 and 13 of level 1 remain.
        assert!(spilled.runs.len() <= 3 * FAN_IN, "{} runs", spilled.runs.len());
        assert!(spilled.runs.iter().any(|(level, _)| *level >= 2));
        let (a, b) = (edges(&spilled, &order), edges(&memory, &order));
        assert!(distinct.len() > 200, "{}", distinct.len());
        assert_eq!(b.len(), distinct.len());
        assert_eq!(a, b);
        let total: u64 = a.iter().map(|e| e.1).sum();
        assert_eq!(total, (0..2_000u64).map(|n| 1 + n % 5).sum::<u64>());
        // Dated sentences are counted by year, and the first- and last-dated evidence are kept beside the first.
        let dated: u64 = a.iter().filter_map(|e| e.3.as_ref()).flat_map(|t| t.years.iter().map(|y| y.1)).sum();
        assert_eq!(dated, (0..2_000u64).filter(|n| n % 2 == 0).map(|n| 1 + n % 5).sum::<u64>());
        for (_, _, evidence, time) in &a {
            let Some(t) = time else { continue };
            let dates: Vec<Date> = evidence.iter().filter_map(|e| e.date).collect();
            assert_eq!(dates.iter().min(), Some(&t.first));
            assert_eq!(dates.iter().max(), Some(&t.last));
        }
        let beyond = |e: &&Folded| e.2.len() > order.keep[e.0 .2 as usize];
        assert!(a.iter().any(|e| beyond(&e)), "no edge kept a first- or last-dated piece beyond its first ones");
    }
}

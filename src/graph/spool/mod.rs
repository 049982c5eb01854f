//! Edges in bounded memory: how `build`, `merge` and `build --update` fold millions of relations into edges.
//!
//! Relation occurrences are appended to a buffer in input order. When the buffer outgrows its budget, it is sorted
//! in export order (head name, tail name, relation name; equal keys keep their input order), folded into edges
//! (weights summed, the first pieces of evidence kept, the highest confidence of all) and written to a temporary
//! file: a sorted run. When the
//! graph is written, the runs and the buffer are merged into one sorted file, which every exporter reads from
//! start to end; a graph that never outgrew the buffer is folded in memory instead. Memory is the buffer and the
//! nodes, however large the corpus; the temporary files (about the size of the JSON output) are deleted on exit.
//!
//! The temporary files go to the system's temporary directory (`TMPDIR` on Unix).
//!
//! The buffer, its runs and their merging are here; how an edge is written in a run is in `record`, and how runs
//! are read and merged in `runs`.

mod record;
mod runs;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::sync::{Arc, Mutex};

use crate::graph::timing::{keep_evidence, Added, Timing};
use crate::model::{Confidence, Evidence};
use record::{encode, Strings};
use runs::{merge_sources, run_source, RawReader, RunReader};

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
    /// The highest confidence of what was added (on its first piece): of the occurrence's evidence, or of a whole
    /// edge, whose evidence not kept counts too.
    confidence: Option<Confidence>,
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

/// An edge as the spool hands it out.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Folded {
    /// Head, tail and relation.
    pub key: Key,
    /// Sentences supporting it.
    pub weight: u64,
    /// The evidence kept.
    pub evidence: Vec<Evidence>,
    /// The dates of all its evidence.
    pub time: Option<Box<Timing>>,
    /// The highest confidence of all its evidence.
    pub confidence: Option<Confidence>,
}

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

    /// Adds `weight` sentences, their evidence, their timing and their highest `confidence` to the edge `key`.
    /// Returns whether the buffer is over budget (the graph then calls [`Spool::spill`]).
    pub fn push(
        &mut self,
        key: Key,
        weight: u64,
        evidence: &[Evidence],
        added: Added,
        confidence: Option<Confidence>,
    ) -> bool {
        *self.finished.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        let (occurrence, time) = match added {
            Added::Occurrence => (true, None),
            Added::Whole(t) => {
                self.bytes += t.map_or(0, |t| 32 + 16 * t.years.len());
                (false, t.map(|t| Box::new(t.clone())))
            }
        };
        if evidence.is_empty() {
            self.buffer.push(Pending { key, weight, evidence: None, time, occurrence, confidence });
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
                confidence: if i == 0 { confidence } else { None },
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
                *per_relation.entry(e.key.2).or_default() += 1;
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
        let (mut weight, mut evidence, mut time, mut confidence) = (0u64, Vec::new(), None, None);
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
            // `None` sorts below any confidence: the highest present, if any.
            confidence = confidence.max(p.confidence);
            at += 1;
        }
        Some(Folded { key, weight, evidence, time, confidence })
    })
}

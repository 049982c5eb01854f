//! Runs on disk: records read one at a time, sorted runs merged into one, and a merged run decoded in parallel as
//! the exporters read it.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::sync::Arc;

use super::record::{combine, decode, record_key, Strings};
use super::{Folded, Order};

/// The next edge of each source being merged: its rank and the source's number, smallest first.
type Heads = BinaryHeap<Reverse<((u32, u32, u32), usize)>>;

/// A run read from its start.
pub(super) fn run_source<'a>(run: &Arc<File>) -> RawReader<Box<dyn Read + 'a>> {
    RawReader(Box::new(BufReader::with_capacity(1 << 20, At { file: run.clone(), pos: 0 })))
}

/// Merges sorted runs (in input order) into a new temporary file as bytes: an edge in one run only is copied as it
/// is, one in several is combined, its weights summed and its evidence kept in run order. Returns the file, the
/// number of edges, and of edges per relation.
pub(super) fn merge_sources(
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

/// Reads records one at a time.
pub(super) struct RawReader<R: Read>(pub(super) R);

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
pub(super) struct RunReader {
    raw: RawReader<BufReader<At>>,
    strings: Arc<Strings>,
    decoded: std::vec::IntoIter<io::Result<Folded>>,
    done: bool,
}

impl RunReader {
    pub(super) fn new(file: Arc<File>, strings: Arc<Strings>) -> Self {
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

//! A run's records: an edge as bytes, the table of strings they refer to by number, and combining two records of
//! the same edge without decoding them.
//!
//! Confidences are stored as [`Confidence::pack`] writes them (thousandths, or `u16::MAX` for none): the edge's
//! highest in its header, so that pieces of evidence left out when two records combine still count, and each
//! piece's own beside its date.

use std::io;
use std::sync::Arc;

use super::{Folded, Key};
use crate::graph::timing::{keep_evidence, Timing};
use crate::model::{Confidence, Evidence, Span};
use crate::read::dates::Date;

/// Document ids, rule names and triggers by number, so that runs hold each once.
#[derive(Clone, Default)]
pub(super) struct Strings {
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

/// An edge as bytes: the length of the rest, key, weight, confidence, number of pieces of evidence, then each piece
/// (document, rule, trigger and context by number, the date, the confidence, the spans, and the sentence), then the
/// timing (the number of years, and if any, the first and last dates and each year's count).
pub(super) fn encode(edge: &Folded, strings: &mut Strings, out: &mut Vec<u8>) {
    let Folded { key, weight, evidence, time, confidence } = edge;
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    for v in [key.0, key.1, key.2] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&weight.to_le_bytes());
    out.extend_from_slice(&Confidence::pack(*confidence).to_le_bytes());
    out.push(evidence.len().min(255) as u8);
    for ev in evidence.iter().take(255) {
        let trigger = ev.trigger.as_deref().map_or(0, |t| strings.id(t) + 1);
        let context = ev.context.as_deref().map_or(0, |t| strings.id(t) + 1);
        for v in [strings.id(&ev.doc), strings.id(&ev.rule), trigger, context, ev.date.map_or(0, Date::packed)] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&Confidence::pack(ev.confidence).to_le_bytes());
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

/// Where a record's parts start: key at 4, weight at 16, confidence at 24, the number of pieces of evidence at 26,
/// evidence at 27.
const WEIGHT_AT: usize = 16;
const CONFIDENCE_AT: usize = 24;
const COUNT_AT: usize = 26;
const EVIDENCE_AT: usize = 27;
/// A piece of evidence before its sentence: four numbers, the date, the confidence, four spans, the sentence's
/// length.
const EVIDENCE_HEAD: usize = 16 + 4 + 2 + 32 + 4;
/// Where a piece's date is.
const DATE_AT: usize = 16;
/// Where a piece's confidence is.
const PIECE_CONFIDENCE_AT: usize = 20;
/// Where a piece's spans are.
const SPANS_AT: usize = 22;

fn u16_at(b: &[u8], at: usize) -> io::Result<u16> {
    let bytes = b.get(at..at + 2).ok_or_else(|| corrupt("short record"))?;
    Ok(u16::from_le_bytes(bytes.try_into().unwrap_or_default()))
}

/// The confidence stored at `at`.
fn confidence_at(b: &[u8], at: usize) -> io::Result<Option<Confidence>> {
    Confidence::unpack(u16_at(b, at)?).ok_or_else(|| corrupt("bad confidence"))
}

fn u32_at(b: &[u8], at: usize) -> io::Result<u32> {
    let bytes = b.get(at..at + 4).ok_or_else(|| corrupt("short record"))?;
    Ok(u32::from_le_bytes(bytes.try_into().unwrap_or_default()))
}

fn u64_at(b: &[u8], at: usize) -> io::Result<u64> {
    let bytes = b.get(at..at + 8).ok_or_else(|| corrupt("short record"))?;
    Ok(u64::from_le_bytes(bytes.try_into().unwrap_or_default()))
}

/// A record's key (head, tail, relation), read without decoding the rest.
pub(super) fn record_key(b: &[u8]) -> io::Result<Key> {
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
/// merge, the higher confidence stays, and the evidence kept is chosen from both as [`keep_evidence`] does;
/// `scratch` is working space.
pub(super) fn combine(into: &mut Vec<u8>, other: &[u8], keep: usize, scratch: &mut Vec<u8>) -> io::Result<()> {
    let weight = u64_at(into, WEIGHT_AT)?.saturating_add(u64_at(other, WEIGHT_AT)?);
    let confidence = confidence_at(into, CONFIDENCE_AT)?.max(confidence_at(other, CONFIDENCE_AT)?);
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
    scratch[CONFIDENCE_AT..CONFIDENCE_AT + 2].copy_from_slice(&Confidence::pack(confidence).to_le_bytes());
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
pub(super) fn decode(b: &[u8], strings: &Strings) -> io::Result<Folded> {
    let key = record_key(b)?;
    let weight = u64_at(b, WEIGHT_AT)?;
    let confidence = confidence_at(b, CONFIDENCE_AT)?;
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
            confidence: confidence_at(b, at + PIECE_CONFIDENCE_AT)?,
        });
    }
    Ok(Folded { key, weight, evidence, time: decode_timing(b, end_of_evidence)?, confidence })
}

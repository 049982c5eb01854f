//! When an edge was seen: the dates of the documents its evidence comes from.
//!
//! Every piece of evidence carries its document's date, if the document has one (see [`crate::read::dates`]). An edge
//! keeps a [`Timing`]: the first and last dates of all its evidence and the number of its sentences in each year.
//! Besides its first pieces of evidence in input order, it keeps the piece with the first date and the one with
//! the last ([`keep_evidence`]), so that "since when" and "until when" can always be shown with their sentence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::read::dates::{Date, Range};

/// The dates of an edge's evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timing {
    /// The first date of its evidence.
    pub first: Date,
    /// The last date of its evidence.
    pub last: Date,
    /// Sentences per year, by year, years without any left out.
    pub years: Vec<(u16, u64)>,
}

impl Timing {
    /// The timing of `count` sentences of one date.
    pub fn of(date: Date, count: u64) -> Timing {
        Timing { first: date, last: date, years: vec![(date.year(), count)] }
    }

    /// Adds another timing of the same edge.
    pub fn merge(&mut self, other: &Timing) {
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        for &(year, count) in &other.years {
            self.count(year, count);
        }
    }

    /// Adds `count` sentences to `year`, keeping the years sorted.
    fn count(&mut self, year: u16, count: u64) {
        match self.years.binary_search_by_key(&year, |y| y.0) {
            Ok(i) => self.years[i].1 = self.years[i].1.saturating_add(count),
            Err(i) => self.years.insert(i, (year, count)),
        }
    }

    /// Adds `b` to `a`, either of which may be missing.
    pub fn combine(a: &mut Option<Box<Timing>>, b: Option<&Timing>) {
        match (a.as_mut(), b) {
            (Some(a), Some(b)) => a.merge(b),
            (None, Some(b)) => *a = Some(Box::new(b.clone())),
            _ => {}
        }
    }

    /// Adds `count` sentences of one date to a timing that may be missing.
    pub fn add(slot: &mut Option<Box<Timing>>, date: Date, count: u64) {
        match slot {
            None => *slot = Some(Box::new(Timing::of(date, count))),
            Some(t) => {
                t.first = t.first.min(date);
                t.last = t.last.max(date);
                t.count(date.year(), count);
            }
        }
    }

    /// Whether any of the evidence may lie in `range`: the range meets the span from the first to the last date,
    /// and a year with evidence. Exact to the day at both ends of the span, to the year inside it.
    pub fn meets(&self, range: &Range) -> bool {
        let (since, until) = range.bounds();
        since <= self.last
            && self.first <= until
            && self.years.iter().any(|&(y, n)| n > 0 && since.year() <= y && y <= until.year())
    }

    /// Appends a timing, or its absence, as bytes: the number of years (0 for none), then the first and last dates
    /// and each year's count. The spool's runs and the query index store timings so.
    pub(crate) fn encode(time: Option<&Timing>, out: &mut Vec<u8>) {
        let Some(t) = time.filter(|t| !t.years.is_empty()) else {
            out.extend_from_slice(&0u16.to_le_bytes());
            return;
        };
        let years = &t.years[..t.years.len().min(u16::MAX as usize)];
        out.extend_from_slice(&(years.len() as u16).to_le_bytes());
        out.extend_from_slice(&t.first.packed().to_le_bytes());
        out.extend_from_slice(&t.last.packed().to_le_bytes());
        for &(year, count) in years {
            out.extend_from_slice(&year.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
        }
    }

    /// What [`Timing::encode`] wrote at the start of `b`, and how many bytes it took; `None` if `b` is too short
    /// or holds a date that is none.
    pub(crate) fn decode(b: &[u8]) -> Option<(Option<Timing>, usize)> {
        let n = u16::from_le_bytes(b.get(..2)?.try_into().ok()?) as usize;
        if n == 0 {
            return Some((None, 2));
        }
        let u32_at = |at: usize| Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?));
        let (first, last) = (Date::from_packed(u32_at(2)?)?, Date::from_packed(u32_at(6)?)?);
        let years = (0..n)
            .map(|i| {
                let y = b.get(10 + 10 * i..20 + 10 * i)?;
                Some((u16::from_le_bytes(y[..2].try_into().ok()?), u64::from_le_bytes(y[2..].try_into().ok()?)))
            })
            .collect::<Option<Vec<_>>>()?;
        Some((Some(Timing { first, last, years }), 10 + 10 * n))
    }

    /// Its years as `2023:2 2024:1`, for formats without nested values.
    pub fn years_text(&self) -> String {
        self.years.iter().map(|(y, n)| format!("{y}:{n}")).collect::<Vec<_>>().join(" ")
    }
}

/// What is being added to an edge, for its timing.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Added<'a> {
    /// One relation occurrence (`weight` sentences), dated by its evidence.
    Occurrence,
    /// A whole edge (of another graph or of a file read back) with its timing, if it has one.
    Whole(Option<&'a Timing>),
}

impl Added<'_> {
    /// Adds the timing of `weight` sentences with the evidence `ev` to `slot`.
    pub fn apply(self, slot: &mut Option<Box<Timing>>, weight: u64, ev: Option<&crate::model::Evidence>) {
        match self {
            Added::Occurrence => {
                if let Some(date) = ev.and_then(|e| e.date) {
                    Timing::add(slot, date, weight);
                }
            }
            Added::Whole(t) => Timing::combine(slot, t),
        }
    }
}

/// How a timing is written in JSON: `{"first":"2023-05-02","last":"2024-01-10","years":{"2023":2,"2024":1}}`.
#[derive(Serialize, Deserialize)]
struct TimingJson {
    first: Date,
    last: Date,
    years: BTreeMap<u16, u64>,
}

impl Serialize for Timing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        TimingJson { first: self.first, last: self.last, years: self.years.iter().copied().collect() }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Timing {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Timing, D::Error> {
        let t = TimingJson::deserialize(d)?;
        if t.first > t.last {
            return Err(serde::de::Error::custom(format!("first date {} is after last {}", t.first, t.last)));
        }
        Ok(Timing { first: t.first, last: t.last, years: t.years.into_iter().collect() })
    }
}

/// Adds the pieces of evidence `more` (later in the input) to those an edge keeps, `kept`: the first `keep`
/// pieces in input order, then the piece with the first date and the one with the last, when they are not among
/// those already. Of pieces with the same date, the earliest in the input counts as first, the latest as last.
/// `kept` and `more` are each such a list (a single piece is one).
pub(crate) fn keep_evidence<P: Clone + PartialEq>(
    kept: &mut Vec<P>,
    more: &[P],
    keep: usize,
    date: impl Fn(&P) -> Option<Date>,
) {
    if more.is_empty() {
        return;
    }
    // Both lists are in input order (first pieces, then the first- and last-dated), `kept` before `more`.
    let all = || kept.iter().chain(more);
    let first = all().filter_map(|p| Some((date(p)?, p))).min_by_key(|(d, _)| *d).map(|(_, p)| p.clone());
    let last = all().filter_map(|p| Some((date(p)?, p))).max_by_key(|(d, _)| *d).map(|(_, p)| p.clone());
    let leading = kept.len().min(keep);
    let from_more = keep.saturating_sub(leading).min(more.len());
    kept.truncate(leading);
    kept.extend(more[..from_more].iter().cloned());
    for p in [first, last].into_iter().flatten() {
        if !kept.contains(&p) {
            kept.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// Pieces are (name, date); undated ones have no date.
    type P = (&'static str, Option<&'static str>);

    fn kept_after(pieces: &[P], keep: usize) -> Vec<&'static str> {
        let mut kept: Vec<P> = Vec::new();
        for p in pieces {
            keep_evidence(&mut kept, std::slice::from_ref(p), keep, |p| p.1.map(d));
        }
        kept.iter().map(|p| p.0).collect()
    }

    #[test]
    fn keeps_the_first_pieces_and_the_first_and_last_dated() {
        let table: &[(&[P], usize, &[&str])] = &[
            (&[("a", None), ("b", None)], 3, &["a", "b"]),
            (&[("a", None), ("b", Some("2024-01-01")), ("c", Some("2023-05-01"))], 1, &["a", "c", "b"]),
            // The last-dated comes late; the first-dated is among the first pieces.
            (&[("a", Some("2020-01-01")), ("b", None), ("c", Some("2022-01-01"))], 2, &["a", "b", "c"]),
            // Equal dates: the earliest in the input is first, the latest last.
            (&[("a", None), ("b", Some("2023-01-01")), ("c", Some("2023-01-01"))], 1, &["a", "b", "c"]),
            // Later pieces replace the first- and last-dated kept so far.
            (
                &[("a", None), ("b", Some("2023-01-01")), ("c", Some("2022-01-01")), ("e", Some("2025-01-01"))],
                1,
                &["a", "c", "e"],
            ),
            (&[("a", Some("2023-01-01")), ("b", Some("2023-01-01"))], 0, &["a", "b"]),
        ];
        for (pieces, keep, want) in table {
            assert_eq!(kept_after(pieces, *keep), *want, "{pieces:?} keep {keep}");
        }
    }

    /// Folding lists kept from two halves of the input gives what one pass over it gives.
    #[test]
    fn folding_kept_lists_is_folding_the_pieces() {
        let pieces: Vec<P> = vec![
            ("a", None),
            ("b", Some("2023-04-01")),
            ("c", None),
            ("d", Some("2021-01-01")),
            ("e", Some("2026-01-01")),
            ("f", Some("2021-01-01")),
            ("g", Some("2026-01-01")),
        ];
        for keep in 0..4 {
            for cut in 0..pieces.len() {
                let whole = kept_after(&pieces, keep);
                let (a, b) = pieces.split_at(cut);
                let mut left: Vec<P> = Vec::new();
                for p in a {
                    keep_evidence(&mut left, std::slice::from_ref(p), keep, |p| p.1.map(d));
                }
                let mut right: Vec<P> = Vec::new();
                for p in b {
                    keep_evidence(&mut right, std::slice::from_ref(p), keep, |p| p.1.map(d));
                }
                keep_evidence(&mut left, &right, keep, |p| p.1.map(d));
                let folded: Vec<&str> = left.iter().map(|p| p.0).collect();
                assert_eq!(folded, whole, "keep {keep}, cut at {cut}");
            }
        }
    }

    #[test]
    fn merges_years_and_meets_ranges() {
        let mut t = Timing::of(d("2023-05-02"), 2);
        t.merge(&Timing::of(d("2021-03-01"), 1));
        t.merge(&Timing::of(d("2023-12-30"), 1));
        assert_eq!((t.first, t.last), (d("2021-03-01"), d("2023-12-30")));
        assert_eq!(t.years, vec![(2021, 1), (2023, 3)]);
        assert_eq!(t.years_text(), "2021:1 2023:3");
        let r = |a: Option<&str>, b: Option<&str>| Range::parse(a, b).unwrap();
        let table = [
            (r(None, None), true),
            (r(Some("2024"), None), false),
            (r(None, Some("2021-02-28")), false),
            (r(Some("2021-03-01"), Some("2021-03-01")), true),
            // Inside the span, but 2022 has no evidence.
            (r(Some("2022"), Some("2022")), false),
            (r(Some("2022-06"), Some("2023-01")), true),
        ];
        for (range, want) in table {
            assert_eq!(t.meets(&range), want, "{range:?}");
        }
        let mut bytes = vec![7];
        Timing::encode(Some(&t), &mut bytes);
        Timing::encode(None, &mut bytes);
        assert_eq!(Timing::decode(&bytes[1..]), Some((Some(t.clone()), 30)));
        assert_eq!(Timing::decode(&bytes[31..]), Some((None, 2)));
        assert_eq!(Timing::decode(&bytes[1..20]), None);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"first":"2021-03-01","last":"2023-12-30","years":{"2021":1,"2023":3}}"#);
        assert_eq!(serde_json::from_str::<Timing>(&json).unwrap(), t);
        assert!(serde_json::from_str::<Timing>(r#"{"first":"2024-01-01","last":"2023-01-01","years":{}}"#).is_err());
    }
}

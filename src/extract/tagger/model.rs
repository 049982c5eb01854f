//! The tagger's model: feature weights per label, label transitions, and the file format.
//!
//! Weights are kept as 16-bit integers times one quantum (the largest |weight| / 32000): a row of a feature's 21
//! label weights is 42 bytes, summed in integers, and a model of 25,000 features takes about 1 MB of rows plus a
//! 512 KB open-addressing table of keys, which stays in cache while tagging.
//!
//! # File format (version 1, little endian)
//!
//! | bytes | what |
//! |---|---|
//! | 8 | magic `GXTAGGER` |
//! | u32 | format version (1) |
//! | u32 | number of labels L (21: `O`, then `B I E S` of company, official, district, park, organization) |
//! | u32 + JSON | metadata: label names, feature templates, cue words, training settings ([`Meta`]) |
//! | L × f32 | score of starting a sentence with each label |
//! | L × L × f32 | transition scores, row = previous label |
//! | f32 | the confidence scale |
//! | f32 | the weight quantum |
//! | u32 + records | features, sorted by key: u64 key ([`super::features::key`]), u8 count, count × (u8 label, i16 weight) — only non-zero weights |
//! | u32 + records | feature names, sorted by key: u64 key, u16 length, UTF-8 name (`c0:园`) |
//!
//! The same training data and settings give a byte-identical file. Names are only for inspection
//! ([`Model::top_features`]); a model without them tags the same.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

use super::{allowed, LABELS};

const MAGIC: &[u8; 8] = b"GXTAGGER";
/// The format version this code reads and writes.
pub const VERSION: u32 = 1;
/// A row of weights, padded for wide additions.
pub const ROW: usize = 24;
/// The largest quantised weight.
const QMAX: f32 = 32000.0;

/// What a model says about itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Label names, in order.
    pub labels: Vec<String>,
    /// Feature template names, in order.
    pub templates: Vec<String>,
    /// Training settings and data summary (free-form `key=value`).
    pub training: BTreeMap<String, String>,
}

/// A trained tagger model.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// About the model.
    pub meta: Meta,
    /// Score of starting with each label.
    pub start: Vec<f32>,
    /// Transition scores, L × L.
    trans: Vec<f32>,
    /// Margins are divided by this for confidences.
    pub scale: f32,
    /// A weight is its stored integer times this.
    pub quantum: f32,
    /// Templates the model does not use (a bit per template number; from the metadata's `skip`).
    pub skip: u64,
    /// Feature keys, sorted; `rows` holds their weights in the same order.
    keys: Vec<u64>,
    rows: Vec<i16>,
    /// Open addressing: key (0 = empty) and row per slot.
    slots: Vec<(u64, u32)>,
    /// Feature names by key.
    pub names: BTreeMap<u64, String>,
    succs: Vec<Vec<u8>>,
}

/// A key is never 0 in the table (0 marks an empty slot); the one feature in 2^64 hashing to 0 is read as 1.
#[inline]
fn slot_key(k: u64) -> u64 {
    k.max(1)
}

impl Model {
    /// A model from its parts: features (key, L weights), start scores, transitions (L × L), scale. Weights are
    /// quantised; features whose weights all round to 0 are dropped.
    pub fn from_parts(
        meta: Meta,
        features: Vec<(u64, Vec<f32>)>,
        start: Vec<f32>,
        trans: Vec<f32>,
        scale: f32,
    ) -> Model {
        let top = features.iter().flat_map(|(_, w)| w.iter()).fold(0.0f32, |m, x| m.max(x.abs()));
        let quantum = if top > 0.0 { top / QMAX } else { 1.0 };
        let quantised = features
            .into_iter()
            .map(|(k, w)| (k, w.iter().map(|x| (x / quantum).round() as i16).collect::<Vec<i16>>()))
            .collect();
        Model::from_quantised(meta, quantised, quantum, start, trans, scale)
    }

    /// A model from quantised weights.
    pub fn from_quantised(
        meta: Meta,
        mut features: Vec<(u64, Vec<i16>)>,
        quantum: f32,
        start: Vec<f32>,
        trans: Vec<f32>,
        scale: f32,
    ) -> Model {
        features.retain(|(_, w)| w.iter().any(|x| *x != 0));
        features.sort_by_key(|(k, _)| *k);
        features.dedup_by_key(|(k, _)| *k);
        let skip = meta.training.get("skip").map_or(0, |s| super::features::template_mask(s));
        let mut m = Model { meta, start, trans, scale, quantum, skip, ..Default::default() };
        let capacity = (features.len() * 2).next_power_of_two().max(16);
        m.slots = vec![(0, 0); capacity];
        for (r, (k, w)) in features.iter().enumerate() {
            m.keys.push(*k);
            let mut row = [0i16; ROW];
            row[..LABELS].copy_from_slice(&w[..LABELS]);
            m.rows.extend_from_slice(&row);
            let mut at = slot_key(*k) as usize & (capacity - 1);
            while m.slots[at].0 != 0 {
                at = (at + 1) & (capacity - 1);
            }
            m.slots[at] = (slot_key(*k), r as u32);
        }
        m.links();
        m
    }

    fn links(&mut self) {
        self.succs = (0..LABELS).map(|y| (0..LABELS).filter(|&c| allowed(y, c)).map(|c| c as u8).collect()).collect();
    }

    /// The model's lattice for decoding.
    pub(crate) fn lattice(&self) -> super::decode::Lattice<'_> {
        self.with_scores(&self.start, &self.trans)
    }

    /// A lattice with this model's label constraints and other start and transition scores (for training).
    pub(crate) fn with_scores<'a>(&'a self, start: &'a [f32], trans: &'a [f32]) -> super::decode::Lattice<'a> {
        super::decode::Lattice { start, trans, succs: &self.succs }
    }

    /// The quantised weights of a feature (a padded row), if the model has it.
    #[inline]
    pub fn row(&self, key: u64) -> Option<&[i16; ROW]> {
        let mask = self.slots.len().wrapping_sub(1);
        if self.slots.is_empty() {
            return None;
        }
        let k = slot_key(key);
        let mut at = k as usize & mask;
        loop {
            let (s, r) = self.slots[at];
            if s == k {
                let r = r as usize * ROW;
                return self.rows[r..r + ROW].try_into().ok();
            }
            if s == 0 {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Asks the processor to bring a key's first slot and its neighbour into cache (no effect where prefetching is
    /// not available).
    #[inline]
    pub fn prefetch(&self, key: u64) {
        if self.slots.is_empty() {
            return;
        }
        let at = slot_key(key) as usize & (self.slots.len() - 1);
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `at` is in bounds, and a prefetch never faults nor changes memory.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(self.slots.as_ptr().add(at) as *const i8);
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = at;
    }

    /// The row of a key (`u32::MAX` if the model lacks it).
    #[inline]
    pub fn row_index(&self, key: u64) -> u32 {
        if self.slots.is_empty() {
            return u32::MAX;
        }
        let mask = self.slots.len() - 1;
        let k = slot_key(key);
        let mut at = k as usize & mask;
        loop {
            let (s, r) = self.slots[at];
            if s == k {
                return r;
            }
            if s == 0 {
                return u32::MAX;
            }
            at = (at + 1) & mask;
        }
    }

    /// The quantised weights of row `r` (from [`Model::row_index`]).
    #[inline]
    pub fn row_at(&self, r: u32) -> Option<&[i16; ROW]> {
        if r == u32::MAX {
            return None;
        }
        let r = r as usize * ROW;
        self.rows.get(r..r + ROW).and_then(|s| s.try_into().ok())
    }

    /// Prefetches row `r` (see [`Model::prefetch`]).
    #[inline]
    pub fn prefetch_row(&self, r: u32) {
        let at = r as usize * ROW;
        if r == u32::MAX || at >= self.rows.len() {
            return;
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `at` is in bounds, and a prefetch never faults nor changes memory.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(self.rows.as_ptr().add(at) as *const i8);
        }
    }

    /// The weights of a feature, if the model has it.
    pub fn weights(&self, key: u64) -> Option<Vec<f32>> {
        self.row(key).map(|r| r[..LABELS].iter().map(|x| *x as f32 * self.quantum).collect())
    }

    /// The score of label `cur` after `prev`.
    #[inline]
    pub fn transition(&self, prev: usize, cur: usize) -> f32 {
        self.trans[prev * LABELS + cur]
    }

    /// Keeps only the `keep` features with the largest total |weight| over the labels (ties by key): a smaller
    /// model that fits the cache.
    pub fn prune(&mut self, keep: usize) {
        if self.keys.len() <= keep {
            return;
        }
        let mut order: Vec<(i64, u64, usize)> = (0..self.keys.len())
            .map(|r| (self.rows[r * ROW..r * ROW + LABELS].iter().map(|x| (*x as i64).abs()).sum(), self.keys[r], r))
            .collect();
        order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        order.truncate(keep);
        let features = order.iter().map(|(_, k, r)| (*k, self.rows[r * ROW..r * ROW + LABELS].to_vec())).collect();
        let names = std::mem::take(&mut self.names);
        *self = Model::from_quantised(
            self.meta.clone(),
            features,
            self.quantum,
            self.start.clone(),
            self.trans.clone(),
            self.scale,
        );
        self.names = names.into_iter().filter(|(k, _)| self.keys.binary_search(k).is_ok()).collect();
    }

    /// Number of features with a weight.
    pub fn features(&self) -> usize {
        self.keys.len()
    }

    /// Writes the model (see the module docs for the format).
    pub fn save(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        out.write_all(&(LABELS as u32).to_le_bytes())?;
        let meta = serde_json::to_vec(&self.meta).map_err(io::Error::other)?;
        out.write_all(&(meta.len() as u32).to_le_bytes())?;
        out.write_all(&meta)?;
        for x in self.start.iter().chain(&self.trans).chain([&self.scale, &self.quantum]) {
            out.write_all(&x.to_le_bytes())?;
        }
        out.write_all(&(self.keys.len() as u32).to_le_bytes())?;
        for (r, k) in self.keys.iter().enumerate() {
            let row = &self.rows[r * ROW..r * ROW + LABELS];
            out.write_all(&k.to_le_bytes())?;
            let nonzero: Vec<(usize, i16)> = row.iter().copied().enumerate().filter(|(_, w)| *w != 0).collect();
            out.write_all(&[nonzero.len() as u8])?;
            for (l, w) in nonzero {
                out.write_all(&[l as u8])?;
                out.write_all(&w.to_le_bytes())?;
            }
        }
        out.write_all(&(self.names.len() as u32).to_le_bytes())?;
        for (k, name) in &self.names {
            let mut end = name.len().min(u16::MAX as usize);
            while !name.is_char_boundary(end) {
                end -= 1;
            }
            out.write_all(&k.to_le_bytes())?;
            out.write_all(&(end as u16).to_le_bytes())?;
            out.write_all(&name.as_bytes()[..end])?;
        }
        Ok(())
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(input: &mut dyn Read) -> io::Result<Model> {
        let bad = |m: &str| io::Error::new(io::ErrorKind::InvalidData, m.to_string());
        let mut r = Reader(input);
        if &r.bytes(8)?[..] != MAGIC {
            return Err(bad("not a guanxi tagger model"));
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(bad(&format!("tagger model version {version}; this build reads {VERSION}")));
        }
        if r.u32()? as usize != LABELS {
            return Err(bad("tagger model has another label set"));
        }
        let n = r.u32()? as usize;
        let meta: Meta = serde_json::from_slice(&r.bytes(n)?).map_err(|e| bad(&e.to_string()))?;
        let start = (0..LABELS).map(|_| r.f32()).collect::<io::Result<Vec<_>>>()?;
        let trans = (0..LABELS * LABELS).map(|_| r.f32()).collect::<io::Result<Vec<_>>>()?;
        let (scale, quantum) = (r.f32()?, r.f32()?);
        let count = r.u32()? as usize;
        let mut features = Vec::with_capacity(count.min(1 << 24));
        for _ in 0..count {
            let key = r.u64()?;
            let mut row = vec![0i16; LABELS];
            for _ in 0..r.bytes(1)?[0] {
                let l = r.bytes(1)?[0] as usize;
                *row.get_mut(l).ok_or_else(|| bad("label out of range"))? =
                    i16::from_le_bytes(r.bytes(2)?.try_into().unwrap());
            }
            features.push((key, row));
        }
        let mut model = Model::from_quantised(meta, features, quantum, start, trans, scale);
        for _ in 0..r.u32()? {
            let key = r.u64()?;
            let len = u16::from_le_bytes(r.bytes(2)?.try_into().unwrap()) as usize;
            let name = String::from_utf8(r.bytes(len)?).map_err(|_| bad("feature name is not UTF-8"))?;
            model.names.insert(key, name);
        }
        Ok(model)
    }

    /// The `k` features with the largest weight for each label (name or key, weight), for inspection.
    pub fn top_features(&self, k: usize) -> Vec<(String, Vec<(String, f32)>)> {
        let labels = super::label_names();
        (0..LABELS)
            .map(|l| {
                let mut v: Vec<(String, f32)> = self
                    .keys
                    .iter()
                    .enumerate()
                    .map(|(r, key)| {
                        let name = self.names.get(key).cloned().unwrap_or_else(|| format!("#{key:016x}"));
                        (name, self.rows[r * ROW + l] as f32 * self.quantum)
                    })
                    .collect();
                v.retain(|(_, w)| *w > 0.0);
                v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                v.truncate(k);
                (labels[l].clone(), v)
            })
            .collect()
    }
}

struct Reader<'r>(&'r mut dyn Read);

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut b = vec![0; n];
        self.0.read_exact(&mut b)?;
        Ok(b)
    }
    fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().unwrap()))
    }
    fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(self.bytes(8)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> io::Result<f32> {
        Ok(f32::from_le_bytes(self.bytes(4)?.try_into().unwrap()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        let mut row = vec![0.0; LABELS];
        row[3] = 1.5;
        row[0] = -0.25;
        let meta = Meta { labels: super::super::label_names(), ..Default::default() };
        let mut m = Model::from_parts(
            meta,
            vec![(42, row), (7, vec![0.0; LABELS])],
            vec![0.5; LABELS],
            vec![0.0; LABELS * LABELS],
            2.0,
        );
        m.names.insert(42, "c0:园".into());
        m
    }

    #[test]
    fn saves_and_loads_the_same_model_byte_for_byte() {
        let m = tiny();
        let mut a = Vec::new();
        m.save(&mut a).unwrap();
        let back = Model::load(&mut a.as_slice()).unwrap();
        let mut b = Vec::new();
        back.save(&mut b).unwrap();
        assert_eq!(a, b);
        // The all-zero feature is not kept.
        assert_eq!(back.features(), 1);
        assert!((back.weights(42).unwrap()[3] - 1.5).abs() < 1e-3);
        assert!((back.weights(42).unwrap()[0] + 0.25).abs() < 1e-3);
        assert!(back.weights(7).is_none());
        assert_eq!(back.scale, 2.0);
    }

    #[test]
    fn rejects_other_files_and_versions() {
        let table: [(&[u8], &str); 2] =
            [(b"NOTAMODEL...", "not a guanxi tagger model"), (b"GXTAGGER\x09\x00\x00\x00", "version 9")];
        for (bytes, want) in table {
            let e = Model::load(&mut &bytes[..]).unwrap_err().to_string();
            assert!(e.contains(want), "{e}");
        }
    }

    #[test]
    fn lists_top_features_by_name() {
        let top = tiny().top_features(1);
        assert_eq!(top[3].1[0].0, "c0:园");
        assert!((top[3].1[0].1 - 1.5).abs() < 1e-3);
    }
}

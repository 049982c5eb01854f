//! The annotated documents as training reads them: each under each dictionary condition (the built-in
//! dictionaries, and with its set's dictionary when there is one), with the tagger's inputs and its gold spans.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::eval::GoldDoc;
use crate::extract::tagger::train::Example;
use crate::extract::tagger::{stage, Kind};
use crate::extract::{mentions, Doc};
use crate::model::Document;
use crate::pipeline::Pipeline;
use crate::read::text::normalize_name;

/// One annotated document under one dictionary condition.
pub struct Prepared<'a> {
    /// The document and its gold.
    pub doc: &'a Document,
    /// Its gold annotation.
    pub gold: &'a GoldDoc,
    /// Its set (an index into the sets trained on).
    pub set: usize,
    /// The condition's pipeline (its dictionaries).
    pub pipeline: &'a Pipeline,
    /// Its fold, for cross-validation.
    pub fold: usize,
    /// Whether it is read with its set's dictionary (else with the built-in dictionaries only).
    pub with_dictionary: bool,
    /// The tagger's training examples: one per sentence.
    pub examples: Vec<Example>,
}

/// Folds of equal size (to one document) for a set of documents: the ids in the order of their FNV-1a hash (then
/// the id), dealt out in turn. Every fold gets a document when there are at least as many documents as folds.
pub fn balanced_folds<'a>(ids: impl Iterator<Item = &'a str>, folds: usize) -> BTreeMap<&'a str, usize> {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_by_key(|id| (fnv1a(id), *id));
    ids.into_iter().enumerate().map(|(i, id)| (id, i % folds.max(1))).collect()
}

fn fnv1a(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Reads a document under a condition: its sentences with the tagger's inputs, and the gold entities projected
/// onto them.
pub fn prepare<'a>(
    pipeline: &'a Pipeline,
    (doc, gold, set): (&'a Document, &'a GoldDoc, usize),
    (fold, with_dictionary): (usize, bool),
) -> Prepared<'a> {
    let mut read = Doc::new(doc, &pipeline.dict);
    mentions::add(&pipeline.matcher, &mut read);
    let inputs = stage::inputs(&pipeline.matcher, &mut read);
    let spans = project(&read.norm.text, gold);
    let examples = inputs
        .into_iter()
        .map(|(range, hints)| {
            let text = &read.norm.text[range.clone()];
            let chars = |b: usize| text[..b - range.start].chars().count();
            let gold = spans
                .iter()
                .filter(|(r, _)| range.start <= r.start && r.end <= range.end)
                .map(|(r, kind)| (chars(r.start), chars(r.end), *kind))
                .collect();
            let tokens = read.tokens.get(&range).unwrap_or_default();
            let tokens = tokens.iter().map(|&(a, b, t)| (a, b, t.to_string())).collect();
            Example { text: text.to_string(), tokens, hints, gold }
        })
        .collect();
    Prepared { doc, gold, set, pipeline, fold, with_dictionary, examples }
}

/// Every occurrence of every gold entity's name or alias in the normalised text: longest first, not overlapping,
/// in text order.
pub fn project(text: &str, gold: &GoldDoc) -> Vec<(Range<usize>, Kind)> {
    let mut hits: Vec<(Range<usize>, Kind)> = Vec::new();
    for e in gold.entities.iter().flatten() {
        let Some(kind) = e.kind.as_deref().and_then(Kind::from_name) else { continue };
        let mut forms: Vec<String> = std::iter::once(&e.name).chain(&e.aliases).map(|n| normalize_name(n)).collect();
        forms.sort();
        forms.dedup();
        for f in forms.iter().filter(|f| !f.is_empty()) {
            hits.extend(text.match_indices(f.as_str()).map(|(at, _)| (at..at + f.len(), kind)));
        }
    }
    hits.sort_by_key(|(r, _)| (std::cmp::Reverse(r.len()), r.start));
    let mut kept: Vec<(Range<usize>, Kind)> = Vec::new();
    for h in hits {
        if !kept.iter().any(|(r, _)| r.start < h.0.end && h.0.start < r.end) {
            kept.push(h);
        }
    }
    kept.sort_by_key(|(r, _)| r.start);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::read_gold;

    #[test]
    fn gold_names_are_projected_longest_first() {
        let gold = read_gold(
            r#"{"doc": "d", "entities": [{"name": "甲乙科技有限公司", "type": "company", "aliases": ["甲乙"]},
                {"name": "丙县", "type": "district"}], "relations": []}"#
                .replace('\n', " ")
                .as_str(),
            "g.jsonl",
        )
        .unwrap()
        .remove(0);
        let text = "甲乙科技有限公司在丙县投资,甲乙很好。";
        let got: Vec<(&str, Kind)> = project(text, &gold).into_iter().map(|(r, k)| (&text[r], k)).collect();
        assert_eq!(got, [("甲乙科技有限公司", Kind::Company), ("丙县", Kind::District), ("甲乙", Kind::Company)]);
    }

    #[test]
    fn fnv1a_gives_the_published_test_vectors() {
        for (id, hash) in [("", 0xcbf2_9ce4_8422_2325), ("a", 0xaf63_dc4c_8601_ec8c), ("b", 0xaf63_df4c_8601_f1a5)] {
            assert_eq!(fnv1a(id), hash, "{id:?}");
        }
    }

    #[test]
    fn balanced_folds_deal_documents_out_in_hash_order() {
        // The published FNV-1a vectors a = 0xaf63dc4c8601ec8c, b = 0xaf63df4c8601f1a5, c = 0xaf63de4c8601eff2
        // order them a, c, b: dealt into two folds, a and b go to the first and c to the second.
        let folds = balanced_folds(["c", "a", "b"].into_iter(), 2);
        assert_eq!(folds.into_iter().collect::<Vec<_>>(), [("a", 0), ("b", 0), ("c", 1)]);
        let folds = balanced_folds((0..10).map(|i| ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"][i]), 3);
        let mut sizes = [0; 3];
        for f in folds.values() {
            sizes[*f] += 1;
        }
        assert_eq!(sizes, [4, 3, 3]);
    }
}

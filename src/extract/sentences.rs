//! Stage 4, sentences: the document cut into sentences (never inside a mention), each with the range of its
//! mentions.

use crate::read::text;

use super::doc::{Doc, Sentence};

/// Cuts the document into sentences (see [`text::sentences`]) and gives each the mentions inside it.
pub fn cut(doc: &mut Doc) {
    let ranges: Vec<_> = doc.mentions.iter().map(|m| m.norm.clone()).collect();
    let mentions = &doc.mentions;
    let mut first = 0;
    doc.sentences = text::sentences(&doc.norm, &ranges)
        .into_iter()
        .map(|range| {
            while first < mentions.len() && mentions[first].norm.start < range.start {
                first += 1;
            }
            let mut last = first;
            while last < mentions.len() && mentions[last].norm.end <= range.end {
                last += 1;
            }
            Sentence { range, mentions: first..last }
        })
        .collect();
}

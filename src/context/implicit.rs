//! Relations that rest on the document's place rather than on one sentence.
//!
//! An article about one place lists what is being built there without saying where in each sentence: 此次集中开工的
//! 项目包括A、B、C; A项目总投资10亿元; 走进B产业园. Every park or project the article names is then `located-in`
//! the article's place, unless a rule already placed it somewhere in the document (位于X, 落户Y …): an explicit
//! location always wins over the context. Companies are not placed this way: an article about a place names
//! investors from elsewhere as often as its own firms.
//!
//! The relation's evidence is the sentence of the park's first mention, its rule `located-in/document-place`, and
//! its `context` the [`Source`](super::Source) of the place, with the tail span on the words that named the place.

use std::collections::BTreeSet;

use crate::dict::Dictionary;
use crate::model::{EntityId, Mention};

use super::DocContext;

/// The rule name recorded on relations to the document's place.
pub const DOCUMENT_PLACE_RULE: &str = "located-in/document-place";
/// Entity types placed in the document's place.
const PLACED_TYPES: &[&str] = &["park", "project"];

/// One relation to the document's place: the head's first mention (index into the document's mentions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Implicit {
    /// Index of the head's first mention.
    pub mention: usize,
    /// The head entity.
    pub head: EntityId,
    /// The place.
    pub tail: EntityId,
}

/// The parks and projects to place in the document's place: every one mentioned, except the place itself and
/// those `located_elsewhere` (heads of a `located-in` relation the rules found).
pub fn placed_in_document(
    context: &DocContext,
    dict: &Dictionary,
    mentions: &[Mention],
    located_elsewhere: &BTreeSet<EntityId>,
) -> Vec<Implicit> {
    let Some(place) = &context.place else {
        return Vec::new();
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        if m.entity == place.entity || located_elsewhere.contains(&m.entity) || !seen.insert(m.entity) {
            continue;
        }
        if !PLACED_TYPES.contains(&dict.entity(m.entity).kind.as_str()) {
            continue;
        }
        out.push(Implicit { mention: i, head: m.entity, tail: place.entity });
    }
    out
}

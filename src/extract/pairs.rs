//! Stage 6, candidate pairs: what the rules match in each sentence. Each candidate is one rule's hit: a head and a
//! tail (mentions of the sentence, or entities the document context gives) and the trigger words.
//!
//! Co-occurrence needs no candidates: every pair of entities in a sentence co-occurs (see [`super::relations`]).

use crate::model::EntityId;

use super::doc::Doc;
use super::rules::{Arg, Hit, NearMiss, RuleMention, RuleSet};

/// One rule's hit in one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The sentence (index into [`Doc::sentences`]).
    pub sentence: usize,
    /// The hit: its arguments index the sentence's mentions.
    pub hit: Hit,
}

/// The stage: the rules' hits in every sentence that has a mention, in sentence order.
pub fn find(rules: &RuleSet, doc: &mut Doc) {
    let mut candidates = Vec::new();
    for (index, sentence) in doc.sentences.iter().enumerate() {
        if sentence.mentions.is_empty() {
            continue;
        }
        let mentions = rule_mentions(doc, index);
        for hit in rules.apply(&doc.norm.text, sentence.range.clone(), &mentions, doc) {
            candidates.push(Candidate { sentence: index, hit });
        }
    }
    doc.candidates = candidates;
}

/// The mentions of one sentence as the rules see them.
pub fn rule_mentions<'d>(doc: &'d Doc, sentence: usize) -> Vec<RuleMention<'d>> {
    doc.mentions_of(&doc.sentences[sentence])
        .iter()
        .map(|m| {
            let e = doc.dict.entity(m.entity);
            RuleMention { entity: m.entity, kind: &e.kind, name: &e.name, range: (m.norm.start, m.norm.end) }
        })
        .collect()
}

impl Candidate {
    /// The head and tail entities.
    pub fn entities(&self, doc: &Doc) -> (EntityId, EntityId) {
        let entity = |arg: &Arg| match arg {
            Arg::Mention(m) => doc.mentions[doc.sentences[self.sentence].mentions.start + m].entity,
            Arg::Context { entity, .. } => *entity,
        };
        (entity(&self.hit.head), entity(&self.hit.tail))
    }
}

/// Why each rule whose trigger words occur in a sentence made no candidate there (see [`RuleSet::near_misses`]):
/// for `explain` and `eval --errors`.
pub fn near_misses(rules: &RuleSet, doc: &Doc, sentence: usize) -> Vec<NearMiss> {
    let range = doc.sentences[sentence].range.clone();
    let mentions = rule_mentions(doc, sentence);
    let hits = rules.apply(&doc.norm.text, range.clone(), &mentions, doc);
    rules.near_misses(&doc.norm.text, range, &mentions, doc, &hits)
}

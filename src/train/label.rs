//! Labels of the scorer's training instances, from the gold: which candidates hold.
//!
//! A candidate holds where the gold requires its relation (by the guidelines' forms: see [`crate::eval`]). A pair
//! named in a sentence holds there when that sentence is the gold's evidence; in the other sentences naming a
//! required pair it is left out of training (the text may not say it there), unless no sentence with a candidate is
//! the evidence, when all of them hold. Optional relations (a chain of `located-in` among them) do not train; a
//! candidate the gold does not list, or lists as negative, does not hold. A pair whose tail comes from the document
//! is one instance per document, labelled by the document's gold.

use std::collections::{BTreeMap, BTreeSet};

use crate::dict::Dictionary;
use crate::eval::GoldDoc;
use crate::eval::{forms, GoldRelation, SetForms};
use crate::extract::scorer::stage::Instance;
use crate::model::EntityId;
use crate::read::text::normalize_name;

/// How the gold annotates a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Required,
    Optional,
    Negative,
}

/// One gold relation with the forms of its ends.
struct Triple {
    gold: GoldRelation,
    head: BTreeSet<String>,
    tail: BTreeSet<String>,
}

impl Triple {
    fn status(&self) -> Status {
        if self.gold.negative {
            Status::Negative
        } else if self.gold.optional {
            Status::Optional
        } else {
            Status::Required
        }
    }
}

/// The label of each instance of one document: `Some(holds)`, or `None` where it does not train.
pub fn labels(
    dict: &Dictionary,
    gold: &GoldDoc,
    set: &SetForms,
    sentences: &[String],
    instances: &[Instance],
) -> Vec<Option<bool>> {
    let forms = forms::DocForms::new(gold, set);
    let triples: Vec<Triple> = forms
        .relations()
        .into_iter()
        .map(|g| Triple { head: forms.of(&g.head), tail: forms.of(&g.tail), gold: g })
        .collect();
    let mut node_forms: BTreeMap<EntityId, BTreeSet<String>> = BTreeMap::new();
    let mut of = |e: EntityId| node_forms.entry(e).or_insert_with(|| forms::node_forms(dict, e)).clone();
    let mut out = Vec::with_capacity(instances.len());
    let mut said: BTreeSet<(EntityId, &str, EntityId)> = BTreeSet::new();
    for i in instances {
        let (h, t) = (of(i.head), of(i.tail));
        let matching = triples
            .iter()
            .filter(|x| x.gold.relation == i.relation.name() && !x.head.is_disjoint(&h) && !x.tail.is_disjoint(&t))
            .min_by_key(|x| x.status());
        let label = match matching.map(|x| (x.status(), x)) {
            Some((Status::Required, _)) if i.context => Some(true),
            Some((Status::Required, x)) => {
                is_evidence(x.gold.evidence.as_deref(), &sentences[i.sentence]).then_some(true)
            }
            Some((Status::Optional, _)) => None,
            _ => Some(false),
        };
        if label == Some(true) {
            said.insert((i.head, i.relation.name(), i.tail));
        }
        out.push(label);
    }
    // A required pair whose evidence sentence holds none of its candidates: all of them hold.
    for (i, label) in instances.iter().zip(out.iter_mut()) {
        if label.is_none() && !said.contains(&(i.head, i.relation.name(), i.tail)) {
            let (h, t) = (of(i.head), of(i.tail));
            let required = triples.iter().any(|x| {
                x.status() == Status::Required
                    && x.gold.relation == i.relation.name()
                    && !x.head.is_disjoint(&h)
                    && !x.tail.is_disjoint(&t)
            });
            if required {
                *label = Some(true);
            }
        }
    }
    out
}

/// Whether a sentence is the gold's evidence (compared without white space, either holding the other).
fn is_evidence(evidence: Option<&str>, sentence: &str) -> bool {
    let squash = |s: &str| -> String { normalize_name(s).chars().filter(|c| !c.is_whitespace()).collect() };
    let (e, s) = (squash(evidence.unwrap_or_default()), squash(sentence));
    !e.is_empty() && !s.is_empty() && (e.contains(&s) || s.contains(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_compared_without_white_space() {
        // (gold evidence, sentence, is it)
        let table = [
            (Some("甲公司落户乙区。"), "甲公司 落户乙区。", true),
            (Some("会上,甲公司落户乙区,丙项目开工。"), "甲公司落户乙区", true),
            (Some("甲公司落户乙区。"), "丙项目开工。", false),
            (None, "甲公司落户乙区。", false),
        ];
        for (evidence, sentence, want) in table {
            assert_eq!(is_evidence(evidence, sentence), want, "{sentence}");
        }
    }
}

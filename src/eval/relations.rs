//! Scoring relations: the gold's names resolved to entities, each required relation found or missed (a miss told
//! with the sentence that names both entities and the nearest rule that did not fire), and each predicted relation
//! the gold does not accept counted as a false positive.

use std::collections::{BTreeMap, BTreeSet};

use super::{GoldDoc, GoldRelation, Item, Report};
use crate::dict::Dictionary;
use crate::extract::{pairs, Doc, Extraction};
use crate::model::{Document, EntityId, Relation, CO_OCCURS};
use crate::pipeline::Pipeline;

/// A relation as the gold names it, resolved: head, relation, tail.
type Triple = (EntityId, String, EntityId);

/// The typed relations predicted in a document, the first of each (head, relation, tail).
pub(super) type Predicted<'a> = BTreeMap<(EntityId, &'a str, EntityId), &'a Relation>;

/// One document's gold relations whose names resolve, by kind.
#[derive(Default)]
pub(super) struct Annotated {
    required: BTreeSet<Triple>,
    optional: BTreeSet<Triple>,
    /// Relations the text does not support, with the annotator's reason.
    negative: BTreeMap<Triple, String>,
}

/// The typed relations of an extraction (co-occurrence is not scored).
pub(super) fn predicted(extraction: &Extraction) -> Predicted<'_> {
    let mut predicted = Predicted::new();
    for r in extraction.relations.iter().filter(|r| &*r.relation != CO_OCCURS) {
        predicted.entry((r.head, &*r.relation, r.tail)).or_insert(r);
    }
    predicted
}

impl Report {
    /// Resolves the gold relations' names through the dictionary (co-occurrence is not scored). A relation naming
    /// an entity no dictionary knows is left out, with a warning, and is a miss when it is required.
    pub(super) fn resolve(&mut self, dict: &Dictionary, gold: &GoldDoc) -> Annotated {
        let mut annotated = Annotated::default();
        for g in &gold.relations {
            if g.relation == CO_OCCURS {
                continue;
            }
            let (head, tail) = (dict.lookup(&g.head), dict.lookup(&g.tail));
            let (Some(head), Some(tail)) = (head, tail) else {
                self.unknown_names(&gold.doc, g, head, tail);
                continue;
            };
            let key = (head, g.relation.clone(), tail);
            if g.negative {
                annotated.negative.insert(key, g.why.clone().unwrap_or_default());
            } else if g.optional {
                annotated.optional.insert(key);
            } else {
                annotated.required.insert(key);
            }
        }
        annotated
    }

    /// Warns of a gold relation's names that resolve to nothing (`head` or `tail` is `None`); a required relation
    /// is then missed.
    fn unknown_names(&mut self, doc: &str, g: &GoldRelation, head: Option<EntityId>, tail: Option<EntityId>) {
        let unknown: Vec<&str> =
            [(&g.head, head), (&g.tail, tail)].iter().filter(|(_, id)| id.is_none()).map(|(n, _)| n.as_str()).collect();
        self.warnings.push(format!("{doc}: gold name not in any dictionary: {}", unknown.join(", ")));
        if !g.optional && !g.negative {
            self.relations.entry(g.relation.clone()).or_default().fn_ += 1;
            self.misses.push(Item {
                doc: doc.to_string(),
                head: g.head.clone(),
                relation: g.relation.clone(),
                tail: g.tail.clone(),
                note: "(name not in any dictionary)".into(),
                rule: String::new(),
            });
        }
    }

    /// Counts each required relation of document `id` as found or missed; a miss is told as [`explain_miss`] does.
    pub(super) fn score_required(
        &mut self,
        pipeline: &Pipeline,
        dict: &Dictionary,
        id: &str,
        doc: &Document,
        annotated: &Annotated,
        predicted: &Predicted,
    ) {
        // Prepared once, and only for a document with a miss.
        let mut prepared = None;
        for (head, relation, tail) in &annotated.required {
            let counts = self.relations.entry(relation.clone()).or_default();
            if predicted.contains_key(&(*head, relation.as_str(), *tail)) {
                counts.tp += 1;
                continue;
            }
            counts.fn_ += 1;
            let prepared = prepared.get_or_insert_with(|| pipeline.extractor().read(doc));
            let (note, rule) = explain_miss(pipeline, prepared, *head, relation, *tail);
            self.misses.push(Item {
                doc: id.to_string(),
                head: dict.entity(*head).name.clone(),
                relation: relation.clone(),
                tail: dict.entity(*tail).name.clone(),
                note,
                rule,
            });
        }
    }

    /// Counts each predicted relation of document `id` that the gold neither requires nor accepts as a false
    /// positive, with the annotator's reason when the gold marks it negative.
    pub(super) fn score_predicted(
        &mut self,
        dict: &Dictionary,
        id: &str,
        annotated: &Annotated,
        predicted: &Predicted,
    ) {
        for (&(head, relation, tail), r) in predicted {
            let key = (head, relation.to_string(), tail);
            if annotated.required.contains(&key) || annotated.optional.contains(&key) {
                continue;
            }
            self.relations.entry(relation.to_string()).or_default().fp += 1;
            let mut rule = r.evidence.rule.to_string();
            if let Some(why) = annotated.negative.get(&key) {
                rule.push_str(&format!("; the gold marks it negative: {why}"));
            }
            self.false_positives.push(Item {
                doc: id.to_string(),
                head: dict.entity(head).name.clone(),
                relation: relation.to_string(),
                tail: dict.entity(tail).name.clone(),
                note: r.evidence.sentence.to_string(),
                rule,
            });
        }
    }
}

/// Why a required relation was missed, as (note, rule): the first sentence that names both entities and the
/// nearest rule of the relation that did not fire there, or a note that no sentence names both.
fn explain_miss(pipeline: &Pipeline, doc: &Doc, head: EntityId, relation: &str, tail: EntityId) -> (String, String) {
    let Some(i) = sentence_naming(doc, head, tail) else {
        return ("(no sentence names both)".to_string(), String::new());
    };
    let text = doc.sentence_text(&doc.sentences[i]).to_string();
    let rules = pipeline.rules.rules();
    let nearest = pairs::near_misses(&pipeline.rules, doc, i)
        .into_iter()
        .filter(|n| *rules[n.rule].relation == *relation)
        .map(|n| format!("{}: {}", rules[n.rule].name, n.reason))
        .next()
        .unwrap_or_else(|| "no rule of this relation was triggered".into());
    (text, nearest)
}

/// The first sentence that names both entities.
fn sentence_naming(doc: &Doc, a: EntityId, b: EntityId) -> Option<usize> {
    doc.sentences.iter().position(|s| {
        let names = |e: EntityId| doc.mentions_of(s).iter().any(|x| x.entity == e);
        names(a) && names(b)
    })
}

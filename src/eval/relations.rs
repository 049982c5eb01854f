//! Scoring relations: the gold's names resolved to entities, each required relation found or missed (a miss told
//! with the sentence that names both entities and the nearest rule that did not fire), and each predicted relation
//! the gold does not accept counted as a false positive.

use std::collections::{BTreeMap, BTreeSet};

use super::forms::{entity_named, node_forms, DocForms};
use super::{GoldRelation, Item, Report};
use crate::dict::Dictionary;
use crate::extract::{pairs, Doc, Extraction};
use crate::model::{Document, EntityId, Relation, CO_OCCURS};
use crate::pipeline::Pipeline;

/// The typed relations predicted in a document, the first of each (head, relation, tail).
pub(super) type Predicted<'a> = BTreeMap<(EntityId, &'a str, EntityId), &'a Relation>;

/// The typed relations of an extraction (co-occurrence is not scored).
pub(super) fn predicted(extraction: &Extraction) -> Predicted<'_> {
    let mut predicted = Predicted::new();
    for r in extraction.relations.iter().filter(|r| &*r.relation != CO_OCCURS) {
        predicted.entry((r.head, &*r.relation, r.tail)).or_insert(r);
    }
    predicted
}

/// One gold relation with the forms of both ends (see [`super::forms`]).
pub(super) struct Annotated {
    gold: GoldRelation,
    head: BTreeSet<String>,
    tail: BTreeSet<String>,
}

impl Annotated {
    /// The gold relations of a document, chains included, with their ends' forms.
    pub(super) fn of(forms: &DocForms) -> Vec<Annotated> {
        forms
            .relations()
            .into_iter()
            .map(|g| Annotated { head: forms.of(&g.head), tail: forms.of(&g.tail), gold: g })
            .collect()
    }

    fn required(&self) -> bool {
        !self.gold.optional && !self.gold.negative
    }

    /// Whether a predicted relation between two nodes is this one: same relation, and each node has a form of its
    /// end.
    fn matches(&self, dict: &Dictionary, (head, relation, tail): (EntityId, &str, EntityId)) -> bool {
        self.gold.relation == relation
            && !node_forms(dict, head).is_disjoint(&self.head)
            && !node_forms(dict, tail).is_disjoint(&self.tail)
    }
}

impl Report {
    /// Counts each required relation of document `id` as found or missed; a miss is told as [`explain_miss`] does.
    /// Several predicted relations that are one gold relation count once.
    pub(super) fn score_required(
        &mut self,
        pipeline: &Pipeline,
        dict: &Dictionary,
        (id, doc): (&str, &Document),
        annotated: &[Annotated],
        predicted: &Predicted,
    ) {
        // Read once, and only for a document with a miss.
        let mut read = None;
        for a in annotated.iter().filter(|a| a.required()) {
            let counts = self.relations.entry(a.gold.relation.clone()).or_default();
            if predicted.keys().any(|&p| a.matches(dict, p)) {
                counts.tp += 1;
                continue;
            }
            counts.fn_ += 1;
            let (head, tail) = (entity_named(dict, &a.head), entity_named(dict, &a.tail));
            let name =
                |e: Option<EntityId>, gold: &str| e.map_or_else(|| gold.to_string(), |e| dict.entity(e).name.clone());
            let (note, rule) = match (head, tail) {
                (Some(_), Some(_)) if self.counts_only => (String::new(), String::new()),
                (Some(h), Some(t)) => {
                    let read = read.get_or_insert_with(|| pipeline.extractor().read(doc));
                    explain_miss(pipeline, read, h, &a.gold.relation, t)
                }
                _ => ("(no entity has any of its names)".to_string(), String::new()),
            };
            self.misses.push(Item {
                doc: id.to_string(),
                head: name(head, &a.gold.head),
                relation: a.gold.relation.clone(),
                tail: name(tail, &a.gold.tail),
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
        annotated: &[Annotated],
        predicted: &Predicted,
    ) {
        for (&key, r) in predicted {
            let matching = || annotated.iter().filter(|a| a.matches(dict, key));
            if matching().any(|a| !a.gold.negative) {
                continue;
            }
            let (head, relation, tail) = key;
            self.relations.entry(relation.to_string()).or_default().fp += 1;
            let mut rule = r.evidence.rule.to_string();
            if let Some(why) = matching().find_map(|a| a.gold.negative.then(|| a.gold.why.clone().unwrap_or_default()))
            {
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

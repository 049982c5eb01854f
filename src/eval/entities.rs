//! Scoring entities: which entities a document's graph holds, which gold entity each matches by its names and
//! aliases, and the counts and errors that follow.

use std::collections::BTreeSet;

use super::forms::{node_forms, DocForms};
use super::{Counts, GoldEntity, Report};
use crate::dict::Dictionary;
use crate::extract::Extraction;
use crate::model::{EntityId, CO_OCCURS};
use crate::read::text::{normalize_name, NormText};

impl Report {
    /// Scores the entities of one document (see [`Report::entities`]): a gold entity is found when a node carries
    /// one of its forms (once however many nodes do), a node that carries none is a false positive. Counts go to
    /// the gold entity's type (found, missed) or the node's (false positive).
    pub(super) fn add_entities(
        &mut self,
        dict: &Dictionary,
        doc: &str,
        forms: &DocForms,
        extraction: &Extraction,
        text: &str,
    ) {
        let Some(gold) = &forms.gold().entities else {
            return;
        };
        let nodes: Vec<(EntityId, BTreeSet<String>)> =
            document_nodes(dict, extraction, text).into_iter().map(|id| (id, node_forms(dict, id))).collect();
        let gold: Vec<(&GoldEntity, BTreeSet<String>)> = gold.iter().map(|g| (g, forms.of(&g.name))).collect();
        for (id, names) in &nodes {
            if !gold.iter().any(|(_, f)| !f.is_disjoint(names)) {
                let e = dict.entity(*id);
                self.count_entity(&e.kind, |c| c.fp += 1);
                self.entity_errors.push(format!("extra entity: {} ({}, {}) [{doc}]", e.name, e.kind, e.source()));
            }
        }
        for (g, f) in &gold {
            let kind = g.kind.as_deref().unwrap_or("entity");
            match nodes.iter().find(|(_, names)| !names.is_disjoint(f)) {
                Some((id, _)) => {
                    self.count_entity(kind, |c| c.tp += 1);
                    let e = dict.entity(*id);
                    if g.kind.as_ref().is_some_and(|k| *k != e.kind) {
                        self.entity_errors.push(format!(
                            "entity of another type: {} is {}, the gold says {kind} [{doc}]",
                            e.name, e.kind
                        ));
                    }
                }
                None => {
                    self.count_entity(kind, |c| c.fn_ += 1);
                    self.entity_errors.push(format!("missed entity: {} [{doc}]", g.name));
                }
            }
        }
    }

    /// Counts one entity outcome, overall and for its type.
    fn count_entity(&mut self, kind: &str, count: impl Fn(&mut Counts)) {
        count(self.entities.get_or_insert_with(Counts::default));
        count(self.entity_types.entry(kind.to_string()).or_default());
    }
}

/// The document's graph nodes, sorted: what it mentions, and what its typed edges point to where the text names
/// it (a town named only inside its park's name; not a city the article's place lies in).
fn document_nodes(dict: &Dictionary, extraction: &Extraction, text: &str) -> Vec<EntityId> {
    let text = NormText::new(text).text;
    let named = |id: EntityId| {
        let e = dict.entity(id);
        std::iter::once(&e.name).chain(&e.aliases).any(|n| text.contains(normalize_name(n).as_str()))
    };
    let endpoints = extraction
        .relations
        .iter()
        .filter(|r| &*r.relation != CO_OCCURS)
        .flat_map(|r| [r.head, r.tail])
        .filter(|&id| named(id));
    let mut nodes: Vec<EntityId> = extraction.mentions.iter().map(|m| m.entity).chain(endpoints).collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

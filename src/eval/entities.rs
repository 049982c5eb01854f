//! Scoring entities: which entities a document's graph holds, which gold entity each matches by its names and
//! aliases, and the counts and errors that follow.

use super::{Counts, GoldEntity, Report};
use crate::dict::Dictionary;
use crate::extract::Extraction;
use crate::model::{EntityId, CO_OCCURS};
use crate::read::text::{normalize_name, NormText};

impl Report {
    /// Scores the entities of one document (see [`Report::entities`]).
    pub(super) fn add_entities(
        &mut self,
        dict: &Dictionary,
        doc: &str,
        gold: &[GoldEntity],
        extraction: &Extraction,
        text: &str,
    ) {
        let nodes = document_nodes(dict, extraction, text);
        let counts = self.entities.get_or_insert_with(Counts::default);
        for &id in &nodes {
            if gold.iter().any(|g| matches(dict, g, id)) {
                counts.tp += 1;
            } else {
                counts.fp += 1;
                let e = dict.entity(id);
                self.entity_errors.push(format!("extra entity: {} ({}, {}) [{doc}]", e.name, e.kind, e.source()));
            }
        }
        for g in gold {
            if !nodes.iter().any(|&id| matches(dict, g, id)) {
                counts.fn_ += 1;
                self.entity_errors.push(format!("missed entity: {} [{doc}]", g.name));
            }
        }
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

/// Whether a gold entity matches the node `id`: one of its forms is the node's name or alias, or resolves to it.
fn matches(dict: &Dictionary, g: &GoldEntity, id: EntityId) -> bool {
    let e = dict.entity(id);
    let names: Vec<String> = std::iter::once(&e.name).chain(&e.aliases).map(|n| normalize_name(n)).collect();
    std::iter::once(&g.name)
        .chain(&g.aliases)
        .map(|n| normalize_name(n))
        .any(|f| names.contains(&f) || dict.lookup(&f) == Some(id))
}

//! What the rules may ask of a document ([`DocumentContext`]): the topic entity an argument left out of a sentence
//! refers to (市长X leads the document's city), and the entity mentioned last (该公司, 公司董事长X).

use std::sync::Arc;

use crate::extract::doc::Doc;
use crate::extract::rules::{Context, DocumentContext};
use crate::model::EntityId;

/// The context recorded on an argument that points back to the entity mentioned last (该公司, 公司董事长X).
const ANAPHORA: &str = "anaphora";

/// Where a rule's argument taken from the document came from, as evidence records it: the source of the
/// document's place, `prominence` for another topic entity, `anaphora` for the entity mentioned last.
pub fn context_source(doc: &Doc, from: &Context, entity: EntityId) -> Arc<str> {
    match from {
        Context::Recent(_) => ANAPHORA.into(),
        Context::Topic(_) => match &doc.context.place {
            Some(p) if p.entity == entity => p.source.name().into(),
            _ => super::Source::Prominence.name().into(),
        },
    }
}

/// Is the entity of one of `types` (any if empty), with a name that fits the suffix spec (if any)?
fn fits(doc: &Doc, types: &[String], suffix: Option<&str>, entity: EntityId) -> bool {
    let kind_fits = types.is_empty() || types.iter().any(|t| *t == doc.dict.entity(entity).kind);
    kind_fits && suffix.is_none_or(|s| super::fits_suffix_spec(&doc.dict, entity, s))
}

impl DocumentContext for Doc<'_> {
    /// The document's place if it fits, else the place it lies in (市长X in an article about one of the city's
    /// districts), else the document's most-mentioned entity that fits.
    fn topic(&self, types: &[String], suffix: Option<&str>) -> Option<usize> {
        let fits = |e: EntityId| fits(self, types, suffix, e);
        let place = self.context.place.as_ref().map(|p| p.entity);
        let parent = |e: EntityId| self.dict.parent(e);
        let grandparent = place.and_then(parent).and_then(parent);
        [place, place.and_then(parent), grandparent]
            .into_iter()
            .flatten()
            .find(|&e| fits(e))
            .or_else(|| self.by_frequency.iter().copied().find(|&e| fits(e)))
    }

    fn recent(&self, types: &[String], suffix: Option<&str>, before: usize) -> Option<usize> {
        self.mentions
            .iter()
            .rev()
            .filter(|m| m.norm.end <= before)
            .map(|m| m.entity)
            .find(|&e| fits(self, types, suffix, e))
    }
}

//! The discovery stage of extraction: a document's own names join its mentions and its dictionary.

use crate::model::Mention;
use crate::read::text::{sentences, CharCounter};

use super::super::doc::{span_with, Doc};
use super::super::mentions::Matcher;

/// Adds the names discovery finds in the document (see [`super::discover`]) to its mentions, in text order, and
/// to its dictionary. A discovered name covers the dictionary mentions inside it (潍坊 in 潍坊星河电子有限公司).
pub fn add(matcher: &Matcher, doc: &mut Doc) {
    let known: Vec<_> = doc.mentions.iter().map(|m| (m.entity, m.norm.clone())).collect();
    let ranges: Vec<_> = known.iter().map(|(_, r)| r.clone()).collect();
    let cut = sentences(&doc.norm, &ranges);
    let mut found = super::discover(&doc.dict, matcher, &doc.norm, &known, &cut);
    super::drop_stopped(&doc.dict, &mut found, true);
    if found.entities.is_empty() {
        return;
    }
    doc.mentions.retain(|m| !found.mentions.iter().any(|(_, c, _)| c.start <= m.norm.start && m.norm.end <= c.end));
    doc.discovered_at = found.mentions.iter().map(|(_, r, why)| (r.clone(), *why)).collect();
    let mut chars = CharCounter::default();
    for (entity, norm, _) in found.mentions {
        let span = span_with(&mut chars, &doc.norm, &doc.source.text, norm.clone());
        doc.mentions.push(Mention { entity, norm, span });
    }
    doc.mentions.sort_by_key(|m| (m.norm.start, m.norm.end));
    doc.dict = doc.dict.with_discovered(&found.entities);
    doc.discovered = found.entities;
}

//! The tagger as a stage of extraction: in each sentence, the tagger reads the words, the dictionary's mentions
//! and discovery's names as hints, and proposes typed spans with a confidence; the entity layer keeps them beside
//! the dictionary's mentions.
//!
//! Dictionary mentions keep priority: a span is kept where it overlaps no dictionary mention, or where it holds
//! dictionary mentions whole (a place inside a company's name), which it then replaces. A span names a dictionary
//! entity when its name or an alias is the span's text; otherwise one new entity per distinct name, with
//! `source: discovered` and the highest confidence of its spans.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::extract::discover::{self, Discovered};
use crate::extract::doc::{span_with, Doc};
use crate::extract::mentions::Matcher;
use crate::model::{Confidence, Entity, EntityId, Mention, Origin, DISCOVERED};
use crate::read::text::{normalize_name, sentences, CharCounter};

use super::{evidence_code, Hint, HintSource, Input, Kind, Scratch, Span, Tagger};

/// The evidence recorded for a tagger span (what `explain` shows).
pub const TAGGER_EVIDENCE: &str = "tagger";

/// A typed span the tagger proposes: normalised byte range, type, confidence.
type Proposal = (Range<usize>, Kind, f32);

/// The stage: tags every sentence and adds the kept spans to the document's mentions and dictionary.
pub fn add(tagger: &Tagger, threshold: f32, matcher: &Matcher, doc: &mut Doc) {
    let inputs = inputs(matcher, doc);
    let mut proposals = Vec::new();
    let mut scratch = Scratch::default();
    let mut spans = Vec::new();
    for (range, hints) in &inputs {
        let text = &doc.norm.text[range.clone()];
        let tokens = doc.tokens.get(range).unwrap_or_default();
        spans.clear();
        tagger.tag(&Input { text, tokens, hints }, &mut scratch, &mut spans);
        let byte_of: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        proposals.extend(
            spans
                .iter()
                .filter(|s| s.confidence >= threshold)
                .map(|s: &Span| (range.start + byte_of[s.start]..range.start + byte_of[s.end], s.kind, s.confidence)),
        );
    }
    keep(doc, proposals);
}

/// What the tagger reads of a document: its sentences (cut around the dictionary's mentions), each with its
/// hints (the dictionary's mentions and discovery's names in it); the sentences' words are left on the document.
pub fn inputs(matcher: &Matcher, doc: &mut Doc) -> Vec<(Range<usize>, Vec<Hint>)> {
    let known: Vec<(EntityId, Range<usize>)> = doc.mentions.iter().map(|m| (m.entity, m.norm.clone())).collect();
    let ranges: Vec<Range<usize>> = known.iter().map(|(_, r)| r.clone()).collect();
    let cut = sentences(&doc.norm, &ranges);
    let mut found = discover::discover(&doc.dict, matcher, &doc.norm, &known, &cut);
    // A stopped name is no hint either; it is counted where the tagger's span for it is dropped.
    discover::drop_stopped(&doc.dict, &mut found, false);
    found.mentions.sort_by_key(|(_, r, _)| (r.start, r.end));
    doc.mentions.sort_by_key(|m| (m.norm.start, m.norm.end));
    cut.into_iter()
        .map(|range| {
            doc.tokens.of(matcher.segmenter(), &doc.norm.text, range.clone());
            let hints = hints(doc, &found, &range);
            (range, hints)
        })
        .collect()
}

/// The hints of one sentence, in its characters: its dictionary mentions, and discovery's names. Both lists are
/// sorted by start, so a sentence finds its own by binary search.
fn hints(doc: &Doc, found: &Discovered, sentence: &Range<usize>) -> Vec<Hint> {
    let text = &doc.norm.text[sentence.clone()];
    let inside = |r: &Range<usize>| sentence.start <= r.start && r.end <= sentence.end;
    let chars = |b: usize| text[..b - sentence.start].chars().count();
    let mut out = Vec::new();
    let from = doc.mentions.partition_point(|m| m.norm.start < sentence.start);
    let to = doc.mentions.partition_point(|m| m.norm.start < sentence.end);
    for m in doc.mentions[from..to].iter().filter(|m| inside(&m.norm)) {
        if let Some(kind) = Kind::from_name(&doc.dict.entity(m.entity).kind) {
            out.push(Hint { start: chars(m.norm.start), end: chars(m.norm.end), kind, source: HintSource::Dictionary });
        }
    }
    let base = doc.dict.len();
    let from = found.mentions.partition_point(|(_, r, _)| r.start < sentence.start);
    let to = found.mentions.partition_point(|(_, r, _)| r.start < sentence.end);
    for (e, r, why) in found.mentions[from..to].iter().filter(|(_, r, _)| inside(r)) {
        if let Some(kind) = Kind::from_name(&found.entities[*e - base].kind) {
            let source = HintSource::Discovery(evidence_code(why));
            out.push(Hint { start: chars(r.start), end: chars(r.end), kind, source });
        }
    }
    out
}

/// The entity layer: the spans that the dictionary's mentions leave room for join the mentions, as dictionary
/// entities or as the document's own.
///
/// Linear in the document: proposals and mentions are both walked in order, and the mentions a kept span holds
/// are dropped in one pass at the end.
fn keep(doc: &mut Doc, mut proposals: Vec<Proposal>) {
    let base = doc.dict.len();
    let mut new: Vec<Entity> = Vec::new();
    let mut by_name: BTreeMap<String, EntityId> = BTreeMap::new();
    let mut added: Vec<(Range<usize>, EntityId, f32)> = Vec::new();
    doc.mentions.sort_by_key(|m| (m.norm.start, m.norm.end));
    proposals.sort_by_key(|a| (a.0.start, a.0.end));
    // The greatest end among the mentions up to each one: the first mention that can reach a span is found by
    // binary search even where mentions nest.
    let reach: Vec<usize> = doc
        .mentions
        .iter()
        .scan(0, |end, m| {
            *end = (*end).max(m.norm.end);
            Some(*end)
        })
        .collect();
    let mut dropped = vec![false; doc.mentions.len()];
    for (r, kind, confidence) in proposals {
        let overlaps = |m: &Range<usize>| m.start < r.end && r.start < m.end;
        let holds = |m: &Range<usize>| r.start <= m.start && m.end <= r.end && *m != r;
        let near = reach.partition_point(|&end| end <= r.start)..doc.mentions.partition_point(|m| m.norm.start < r.end);
        if added.last().is_some_and(|(a, _, _)| overlaps(a))
            || doc.mentions[near.clone()].iter().any(|m| overlaps(&m.norm) && !holds(&m.norm))
        {
            continue;
        }
        let name = normalize_name(&doc.norm.text[r.clone()]);
        // A short form several entities claim was left out by the mention stage because nothing in the document
        // decides between them; the tagger's span does not decide either.
        if name.chars().count() < 2 || doc.dict.rivals(&name).is_some() || doc.dict.stops(&name) {
            continue;
        }
        let entity = match doc.dict.lookup_normalized(&name).or_else(|| by_name.get(&name).copied()) {
            Some(e) => e,
            None => {
                by_name.insert(name.clone(), base + new.len());
                new.push(discovered(name, kind));
                base + new.len() - 1
            }
        };
        if entity >= base {
            let e = &mut new[entity - base];
            let c = Some(Confidence::from_probability(f64::from(confidence)));
            e.confidence = e.confidence.max(c);
        }
        for i in near.filter(|&i| holds(&doc.mentions[i].norm)) {
            dropped[i] = true;
        }
        added.push((r, entity, confidence));
    }
    let mut i = 0;
    doc.mentions.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
    let mut chars = CharCounter::default();
    for (norm, entity, confidence) in added {
        let span = span_with(&mut chars, &doc.norm, &doc.source.text, norm.clone());
        doc.discovered_at.push((norm.clone(), TAGGER_EVIDENCE));
        doc.tagged.push((norm.clone(), confidence));
        doc.mentions.push(Mention { entity, norm, span });
    }
    doc.mentions.sort_by_key(|m| (m.norm.start, m.norm.end));
    doc.dict = doc.dict.with_discovered(&new);
    doc.discovered = new;
}

/// A new entity the tagger found.
fn discovered(name: String, kind: Kind) -> Entity {
    Entity {
        name,
        kind: kind.name().to_string(),
        aliases: Vec::new(),
        parent: None,
        title: None,
        origin: Origin { file: DISCOVERED.into(), line: 0 },
        confidence: None,
    }
}

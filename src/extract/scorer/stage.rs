//! The relation scorer as a stage of extraction: the typed relations the rules and the document context found
//! become candidates and features beside every other pair the types allow ([`super::candidates`]); the scorer
//! decides which hold, and each kept relation carries its probability as its confidence.
//!
//! A pair named in a sentence is scored there, once per sentence; a pair whose tail comes from the document (its
//! place, its title, its most-mentioned or last-named entities) is scored once per document on the features of
//! every sentence naming the head. A relation holds in each sentence where its probability reaches the relation's
//! threshold. Its evidence is that of the rule that fired there when one did (with the rule's name and trigger),
//! else the pair's own, under the rule name [`SCORER_RULE`]. Co-occurrence is left as it was.
//!
//! A rule the model has no weight for (a user's own, added to their rules file after training) is not the model's
//! to overrule: the pairs it finds are kept whatever their score, without a confidence, and `explain` says so.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use crate::extract::context::names::leading_place;
use crate::extract::doc::{span_with, Doc};
use crate::extract::mentions::Matcher;
use crate::extract::tokens::Tokens;
use crate::model::{Confidence, EntityId, Evidence, Relation as Found, Span, CO_OCCURS};
use crate::read::text::CharCounter;

use super::candidates::{self as cands, Pair};
use super::{Relation, Scorer};

/// The rule name recorded on a relation the scorer keeps where no rule fired.
pub const SCORER_RULE: &str = "scorer";

/// What the scorer made of one candidate, for `explain`.
#[derive(Clone, Debug)]
pub struct Decision {
    /// Head entity.
    pub head: EntityId,
    /// The relation asked.
    pub relation: &'static str,
    /// Tail entity.
    pub tail: EntityId,
    /// The sentence it was read from (for a tail from the document, the head's first).
    pub sentence: usize,
    /// The probability.
    pub probability: f32,
    /// The relation's threshold.
    pub threshold: f32,
    /// The rules that fired for it.
    pub rules: Vec<String>,
    /// A rule that fired for it which the model never learned (a user's own): the pair is kept whatever its score.
    pub unlearned_rule: Option<String>,
    /// The features that weighed most, with their weights (only when asked for).
    pub top: Vec<(String, f32)>,
}

/// The document as the candidate generator reads it: its entities (mentioned ones first), with local indices.
struct Local {
    ids: Vec<EntityId>,
    index: HashMap<EntityId, usize>,
    mentions: Vec<cands::Mention>,
    hits: Vec<cands::RuleHit>,
    /// Per rule hit, the relation it came from (an index into the document's relations).
    hit_relation: Vec<usize>,
    /// The first hit of each (head, relation, tail, sentence).
    hit_at: HashMap<(usize, Relation, usize, usize), usize>,
    /// Each entity's first mention.
    first_mention: HashMap<EntityId, Span>,
}

impl Local {
    /// Whether a dictionary lists both ends of a pair (neither is the document's own, found by the tagger or
    /// discovery).
    fn listed(&self, doc: &Doc, p: &Pair) -> bool {
        [p.head, p.tail].iter().all(|&e| !doc.dict.entity(self.ids[e]).is_discovered())
    }

    fn local(&mut self, e: EntityId) -> usize {
        *self.index.entry(e).or_insert_with(|| {
            self.ids.push(e);
            self.ids.len() - 1
        })
    }

    fn new(doc: &Doc) -> Local {
        let mut l = Local {
            ids: vec![],
            index: HashMap::new(),
            mentions: vec![],
            hits: vec![],
            hit_relation: vec![],
            hit_at: HashMap::new(),
            first_mention: HashMap::new(),
        };
        for m in &doc.mentions {
            l.first_mention.entry(m.entity).or_insert(m.span);
        }
        for (k, s) in doc.sentences.iter().enumerate() {
            for m in doc.mentions_of(s) {
                let range = m.norm.start - s.range.start..m.norm.end - s.range.start;
                let entity = l.local(m.entity);
                l.mentions.push(cands::Mention { entity, sentence: k, range });
            }
        }
        let mut chars = CharCounter::default();
        let spans: Vec<Span> =
            doc.sentences.iter().map(|s| span_with(&mut chars, &doc.norm, &doc.source.text, s.range.clone())).collect();
        // Sentences come in order: the one holding a character is found by binary search.
        let within = |at: usize| {
            let k = spans.partition_point(|s| s.end.max(s.start + 1) <= at);
            spans.get(k).filter(|s| s.start <= at).map(|_| k)
        };
        for (i, r) in doc.relations.iter().enumerate() {
            let Some(relation) = Relation::from_name(&r.relation) else { continue };
            let Some(k) = within(r.evidence.head.start).or_else(|| within(r.evidence.tail.start)) else { continue };
            let mut rule = r.evidence.rule.to_string();
            if let Some(c) = &r.evidence.context {
                rule = format!("{rule}@{c}");
            }
            let (head, tail) = (l.local(r.head), l.local(r.tail));
            let from_context = r.evidence.context.is_some();
            l.hit_at.entry((head, relation, tail, k)).or_insert(l.hits.len());
            l.hits.push(cands::RuleHit { head, relation, tail, sentence: k, rule, from_context });
            l.hit_relation.push(i);
        }
        if let Some(p) = &doc.context.place {
            l.local(p.entity);
        }
        // Parents and the places names start with, so that parent links stay among the local entities.
        let mut i = 0;
        while i < l.ids.len() {
            let e = l.ids[i];
            if let Some(parent) = doc.dict.parent(e) {
                l.local(parent);
            }
            if let Some(place) = leading_place(&doc.dict, &doc.dict.entity(e).name) {
                l.local(place);
            }
            i += 1;
        }
        l
    }

    /// The entities as the generator reads them: name, type, where each comes from and how sure the entity stage
    /// is of it.
    fn entities<'d>(&self, doc: &'d Doc) -> Vec<cands::Entity<'d>> {
        let mut first_source: HashMap<EntityId, &'static str> = HashMap::new();
        let mut confidence: HashMap<EntityId, f32> = HashMap::new();
        for m in &doc.mentions {
            let tagged = doc.tagged.binary_search_by(|(r, _)| (r.start, r.end).cmp(&(m.norm.start, m.norm.end)));
            let (source, c) = match tagged {
                Ok(i) => ("tagger", doc.tagged[i].1),
                Err(_) => ("dictionary", 1.0),
            };
            first_source.entry(m.entity).or_insert(source);
            let best = confidence.entry(m.entity).or_insert(0.0);
            *best = best.max(c);
        }
        let local = |e: Option<EntityId>| e.and_then(|e| self.index.get(&e).copied());
        self.ids
            .iter()
            .map(|&e| {
                let entity = doc.dict.entity(e);
                cands::Entity {
                    name: &entity.name,
                    kind: &entity.kind,
                    source: first_source.get(&e).copied().unwrap_or("context"),
                    confidence: confidence.get(&e).copied().unwrap_or(1.0),
                    parent: local(doc.dict.parent(e)),
                    leading_place: local(leading_place(&doc.dict, &entity.name)),
                }
            })
            .collect()
    }
}

/// The stage: scores every candidate pair and replaces the document's typed relations by those that hold. With
/// `explain`, every decision is kept on the document with the features that weighed most.
pub fn decide(scorer: &Scorer, matcher: &Matcher, doc: &mut Doc, explain: bool) {
    let (relations, decisions) = with_candidates(matcher, doc, |doc, local, cdoc, pairs| {
        let scored = score_pairs(scorer, cdoc, pairs, explain);
        let relations = relations_of(scorer, doc, local, pairs, &scored);
        let decisions = if explain { decisions_of(scorer, doc, local, pairs, &scored) } else { Vec::new() };
        (relations, decisions)
    });
    doc.relations.retain(|r| &*r.relation == CO_OCCURS);
    doc.relations.extend(relations);
    doc.decisions = decisions;
}

/// One candidate as training reads it: its ends, the sentence it is read from, whether its tail comes from the
/// document (then one instance per document, its features the union over the head's sentences), and the names of
/// its features.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Head entity.
    pub head: EntityId,
    /// The relation asked.
    pub relation: Relation,
    /// Tail entity.
    pub tail: EntityId,
    /// The sentence (the head's first, for a tail from the document).
    pub sentence: usize,
    /// Whether the tail comes from the document.
    pub context: bool,
    /// Whether a dictionary lists both ends (see [`super::model::Model::threshold_for`]).
    pub listed: bool,
    /// Its features (see [`super::features`]).
    pub names: Vec<String>,
}

/// Every candidate of a document read up to the rules ([`crate::extract::Extractor::read_to_rules`]), with the
/// names of its features: what the scorer is trained on.
pub fn instances(matcher: &Matcher, doc: &mut Doc) -> Vec<Instance> {
    with_candidates(matcher, doc, |doc, local, cdoc, pairs| {
        let mentions: Vec<Vec<(Range<usize>, &str)>> =
            (0..cdoc.sentences.len()).map(|k| cands::sentence_mentions(cdoc, k)).collect();
        let mut out: Vec<Instance> = Vec::new();
        let mut merged: BTreeMap<(usize, Relation, usize), usize> = BTreeMap::new();
        for p in pairs {
            let rules: Vec<&str> = p.rules.iter().map(String::as_str).collect();
            let mut names = super::features::Names::default();
            super::features::extract(&cands::candidate(cdoc, p, &mentions[p.sentence], &rules), &mut names);
            if p.is_context() {
                if let Some(&at) = merged.get(&(p.head, p.relation, p.tail)) {
                    let o = &mut out[at];
                    for n in names.names {
                        if !o.names.contains(&n) {
                            o.names.push(n);
                        }
                    }
                    continue;
                }
                merged.insert((p.head, p.relation, p.tail), out.len());
            }
            let (head, tail) = (local.ids[p.head], local.ids[p.tail]);
            let listed = local.listed(doc, p);
            let context = p.is_context();
            out.push(Instance {
                head,
                relation: p.relation,
                tail,
                sentence: p.sentence,
                context,
                listed,
                names: names.names,
            });
        }
        out
    })
}

/// Runs `f` over the document's candidate pairs, with the generator's view of the document.
fn with_candidates<R>(
    matcher: &Matcher,
    doc: &mut Doc,
    f: impl FnOnce(&Doc, &Local, &cands::Document, &[Pair]) -> R,
) -> R {
    let mut words = std::mem::take(&mut doc.tokens);
    let out = {
        let doc = &*doc;
        let local = Local::new(doc);
        let entities = local.entities(doc);
        let sentences: Vec<&str> = doc.sentences.iter().map(|s| &doc.norm.text[s.range.clone()]).collect();
        let place = doc.context.place.as_ref().map(|p| (local.index[&p.entity], p.source.name()));
        let no_tokens = vec![Vec::new(); sentences.len()];
        let shape = cands::Document {
            sentences: &sentences,
            tokens: &no_tokens,
            entities: &entities,
            mentions: &local.mentions,
            rules: &local.hits,
            place,
            titled: doc.context.title.is_some(),
        };
        let pairs = cands::candidates(&shape);
        let tokens = words_of(doc, &mut words, matcher, &pairs);
        let cdoc = cands::Document { tokens: &tokens, ..shape };
        f(doc, &local, &cdoc, &pairs)
    };
    doc.tokens = words;
    out
}

/// The words of the sentences that hold a candidate (the others are never read), segmented once per document.
fn words_of<'t>(
    doc: &Doc,
    words: &'t mut Tokens,
    matcher: &Matcher,
    pairs: &[Pair],
) -> Vec<Vec<(usize, usize, &'t str)>> {
    let mut wanted = vec![false; doc.sentences.len()];
    for p in pairs {
        wanted[p.sentence] = true;
    }
    for (k, s) in doc.sentences.iter().enumerate().filter(|(k, _)| wanted[*k]) {
        let _ = (k, words.of(matcher.segmenter(), &doc.norm.text, s.range.clone()));
    }
    doc.sentences
        .iter()
        .zip(&wanted)
        .map(|(s, &w)| if w { words.get(&s.range).unwrap_or_default().to_vec() } else { Vec::new() })
        .collect()
}

/// The probability of each pair and the features that weighed most (when explaining); the pairs whose tail comes
/// from the document share one score per (head, relation, tail).
fn score_pairs(
    scorer: &Scorer,
    doc: &cands::Document,
    pairs: &[Pair],
    explain: bool,
) -> Vec<(f32, Vec<(String, f32)>)> {
    let top = if explain { 8 } else { 0 };
    let mentions: Vec<Vec<(Range<usize>, &str)>> =
        (0..doc.sentences.len()).map(|k| cands::sentence_mentions(doc, k)).collect();
    let rules: Vec<Vec<&str>> = pairs.iter().map(|p| p.rules.iter().map(String::as_str).collect()).collect();
    let candidate = |i: usize| cands::candidate(doc, &pairs[i], &mentions[pairs[i].sentence], &rules[i]);
    let mut groups: BTreeMap<(usize, Relation, usize), Vec<usize>> = BTreeMap::new();
    let mut out = vec![(0.0, Vec::new()); pairs.len()];
    for (i, p) in pairs.iter().enumerate() {
        if p.is_context() {
            groups.entry((p.head, p.relation, p.tail)).or_default().push(i);
        } else {
            let s = scorer.score(&candidate(i), top);
            out[i] = (s.probability, s.top);
        }
    }
    for members in groups.values() {
        let group: Vec<_> = members.iter().map(|&i| candidate(i)).collect();
        let s = scorer.score_group(&group, top);
        for &i in members {
            out[i] = (s.probability, s.top.clone());
        }
    }
    out
}

/// The relations that hold: each sentence pair at or above its relation's threshold, and each pair whose tail
/// comes from the document once (in the head's first sentence), in sentence order.
fn relations_of(
    scorer: &Scorer,
    doc: &Doc,
    local: &Local,
    pairs: &[Pair],
    scored: &[(f32, Vec<(String, f32)>)],
) -> Vec<Found> {
    let mut kept: Vec<(&Pair, Option<f32>)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (p, (probability, _)) in pairs.iter().zip(scored) {
        let unlearned = unlearned_rule(scorer, p).is_some();
        if *probability < scorer.model.threshold_for(p.relation, local.listed(doc, p)) && !unlearned {
            continue;
        }
        if p.is_context() && !seen.insert((p.head, p.relation, p.tail)) {
            continue;
        }
        // A pair kept for a rule the model never learned carries no confidence: the model does not speak for it.
        kept.push((p, (!unlearned).then_some(*probability)));
    }
    kept.sort_by_key(|(p, _)| p.sentence);
    let scorer_rule: Arc<str> = SCORER_RULE.into();
    kept.into_iter().map(|(p, probability)| relation_of(doc, local, p, probability, &scorer_rule)).collect()
}

/// A rule that fired for a pair but that the model has no weight for: a user's own rule, which the model is not
/// to overrule.
fn unlearned_rule<'p>(scorer: &Scorer, p: &'p Pair) -> Option<&'p String> {
    p.rules.iter().find(|r| !scorer.model.knows_rule(p.relation, r))
}

/// One kept pair as a relation: the evidence of the rule that fired for it in its sentence, or its own.
fn relation_of(doc: &Doc, local: &Local, p: &Pair, probability: Option<f32>, scorer_rule: &Arc<str>) -> Found {
    let (head, tail) = (local.ids[p.head], local.ids[p.tail]);
    let confidence = probability.map(|p| Confidence::from_probability(f64::from(p)));
    let fired = local.hit_at.get(&(p.head, p.relation, p.tail, p.sentence)).copied();
    if let Some(j) = fired {
        let mut r = doc.relations[local.hit_relation[j]].clone();
        r.evidence.confidence = confidence;
        return r;
    }
    let sentence = &doc.sentences[p.sentence];
    let at = |r: &Range<usize>| doc.span(sentence.range.start + r.start..sentence.range.start + r.end);
    let first_mention = |e: EntityId| local.first_mention.get(&e).copied();
    let place_words = doc.context.place.as_ref().filter(|pl| pl.entity == tail).map(|pl| doc.span(pl.at.clone()));
    let head_span = p.head_span.as_ref().map(at).or_else(|| first_mention(head)).unwrap_or(Span { start: 0, end: 0 });
    let tail_span = p.tail_span.as_ref().map(at).or(place_words).or_else(|| first_mention(tail)).unwrap_or(head_span);
    Found {
        head,
        relation: p.relation.name().into(),
        tail,
        evidence: Evidence {
            doc: doc.id.clone(),
            sentence: doc.sentence_text(sentence),
            head: head_span,
            tail: tail_span,
            rule: scorer_rule.clone(),
            trigger: None,
            context: p.context.map(context_source),
            date: None,
            confidence,
        },
    }
}

/// Where a tail from the document came from, as evidence records it (see [`Evidence::context`]).
fn context_source(implicit: &str) -> Arc<str> {
    let source = match implicit {
        "place-title" | "in-title" => "title",
        "place-dateline" => "dateline",
        "place-self" => "self-reference",
        "recent" => "anaphora",
        _ => "prominence",
    };
    source.into()
}

/// Every decision, one per sentence pair and one per pair whose tail comes from the document.
fn decisions_of(
    scorer: &Scorer,
    doc: &Doc,
    local: &Local,
    pairs: &[Pair],
    scored: &[(f32, Vec<(String, f32)>)],
) -> Vec<Decision> {
    let mut seen = std::collections::BTreeSet::new();
    pairs
        .iter()
        .zip(scored)
        .filter(|(p, _)| !p.is_context() || seen.insert((p.head, p.relation, p.tail)))
        .map(|(p, (probability, top))| Decision {
            head: local.ids[p.head],
            relation: p.relation.name(),
            tail: local.ids[p.tail],
            sentence: p.sentence,
            probability: *probability,
            threshold: scorer.model.threshold_for(p.relation, local.listed(doc, p)),
            rules: p.rules.clone(),
            unlearned_rule: unlearned_rule(scorer, p).cloned(),
            top: top.clone(),
        })
        .collect()
}

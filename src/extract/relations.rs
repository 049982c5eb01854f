//! Stage 7, relations: typed relations from the candidates the rules matched, co-occurrence between the entities
//! of each sentence, and the relations resting on the whole document (what names say, the document's place).
//! Each relation carries its evidence: the sentence, the spans of both ends, the rule, and where an argument not
//! named in the sentence came from.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::dict::Dictionary;
use crate::model::{Evidence, Mention, Relation, Span, CO_OCCURS};
use crate::read::text::CharCounter;

use super::context::{context_source, implicit, names};
use super::doc::{span_with, Doc};
use super::pairs::Candidate;
use super::rules::{Arg, Role, RuleSet};

/// The relation a document's place gives its parks.
const LOCATED_IN: &str = "located-in";
/// The relation of an official to what they lead.
const LEADS: &str = "leads";
/// The relation a project's name gives its investor.
const INVESTS_IN: &str = "invests-in";

/// The rule name recorded on co-occurrence evidence.
pub const CO_OCCURRENCE_RULE: &str = "co-occurrence";

/// The stage: in each sentence, the candidates' relations then the co-occurrences; then a place the text states
/// wins over one the document implies; then the relations resting on the document.
pub fn decide(rules: &RuleSet, doc: &mut Doc) {
    let mut relations = Vec::new();
    let (co_occurs, co_occurrence_rule): (Arc<str>, Arc<str>) = (CO_OCCURS.into(), CO_OCCURRENCE_RULE.into());
    let mut candidates = doc.candidates.iter().peekable();
    for (index, sentence) in doc.sentences.iter().enumerate() {
        if sentence.mentions.is_empty() {
            continue;
        }
        let evidence = EvidenceOf { doc, sentence: doc.sentence_text(sentence) };
        while let Some(c) = candidates.next_if(|c| c.sentence == index) {
            relations.push(candidate_relation(rules, doc, &evidence, c));
        }
        co_occurrences(
            &doc.dict,
            doc.mentions_of(sentence),
            &evidence,
            (&co_occurs, &co_occurrence_rule),
            &mut relations,
        );
    }
    // A place taken from the document yields to a place the text states: A落户奎文区 … A、B等企业集中落户.
    let stated: BTreeSet<usize> = relations
        .iter()
        .filter(|r| &*r.relation == LOCATED_IN && r.evidence.context.is_none())
        .map(|r| r.head)
        .collect();
    relations.retain(|r| !(&*r.relation == LOCATED_IN && r.evidence.context.is_some() && stated.contains(&r.head)));
    context_relations(doc, &mut relations);
    doc.relations = relations;
}

/// Evidence from one sentence: one shared copy of the sentence for every relation found in it.
struct EvidenceOf<'a, 'd> {
    doc: &'a Doc<'d>,
    sentence: Arc<str>,
}

impl EvidenceOf<'_, '_> {
    fn evidence(&self, head: Span, tail: Span, rule: &Arc<str>, trigger: Option<String>) -> Evidence {
        Evidence {
            doc: self.doc.id.clone(),
            sentence: self.sentence.clone(),
            head,
            tail,
            rule: rule.clone(),
            trigger,
            context: None,
            date: None,
            confidence: None,
        }
    }
}

/// The relation of one rule's hit, with its evidence.
fn candidate_relation(rules: &RuleSet, doc: &Doc, evidence: &EvidenceOf, c: &Candidate) -> Relation {
    let hit = &c.hit;
    let first = doc.sentences[c.sentence].mentions.start;
    // Character span of a rule argument: the mention, or the words referring to a context entity.
    let span = |arg: &Arg| match arg {
        Arg::Mention(m) => doc.mentions[first + m].span,
        Arg::Context { at, .. } => doc.span(at.clone()),
    };
    let rule = &rules.rules()[hit.rule];
    let trigger = hit.trigger.clone().map(|t| doc.norm.text[t].trim().to_string()).filter(|t| !t.is_empty());
    let (head, mut tail) = c.entities(doc);
    // 唐山市委书记X leads the city, not its committee.
    if &*rule.relation == LEADS {
        tail = super::context::committee_place(&doc.dict, tail).unwrap_or(tail);
    }
    let mut evidence = evidence.evidence(span(&hit.head), span(&hit.tail), &rule.name, trigger);
    // An argument from the document: say where it came from.
    evidence.context = rule.context().map(|(role, from)| {
        let entity = if *role == Role::Head { head } else { tail };
        context_source(doc, from, entity)
    });
    Relation { head, relation: rule.relation.clone(), tail, evidence }
}

/// Co-occurrence: each unordered pair of distinct entities once per sentence, head first by name, using the first
/// mention of each; a mention pairs with those of the next [`CO_OCCURRENCE_WINDOW`] entities after it.
fn co_occurrences(
    dict: &Dictionary,
    mentions: &[Mention],
    evidence: &EvidenceOf,
    (relation, rule): (&Arc<str>, &Arc<str>),
    out: &mut Vec<Relation>,
) {
    let mut pairs = BTreeSet::new();
    for (i, a) in mentions.iter().enumerate() {
        let mut others: Vec<usize> = Vec::new();
        for b in &mentions[i + 1..] {
            if a.entity == b.entity {
                continue;
            }
            if !others.contains(&b.entity) {
                if others.len() == CO_OCCURRENCE_WINDOW {
                    break;
                }
                others.push(b.entity);
            }
            let (x, y) = if dict.entity(a.entity).name <= dict.entity(b.entity).name { (a, b) } else { (b, a) };
            if pairs.insert((x.entity, y.entity)) {
                out.push(Relation {
                    head: x.entity,
                    relation: relation.clone(),
                    tail: y.entity,
                    evidence: evidence.evidence(x.span, y.span, rule, None),
                });
            }
        }
    }
}

/// Relations resting on the whole document rather than on one sentence, after those of the sentences: what names
/// say (projects named after their investor, places at the head of a name: see [`names`]) and the document's place
/// (see [`implicit`]).
fn context_relations(doc: &Doc, out: &mut Vec<Relation>) {
    let span = |m: usize| doc.mentions[m].span;
    let name: Arc<str> = names::NAME_CONTEXT.into();
    let invested: BTreeSet<usize> = out.iter().filter(|r| &*r.relation == INVESTS_IN).map(|r| r.tail).collect();
    let owned: Vec<ContextEdge> = names::own_projects(&doc.dict, &doc.mentions, &invested)
        .into_iter()
        .map(|o| {
            let (owner, project) = (span(o.owner_mention), span(o.project_mention));
            ContextEdge { mention: o.project_mention, head: (o.owner, owner), tail: (o.project, project) }
        })
        .collect();
    push_context(doc, owned, (INVESTS_IN, names::OWN_PROJECT_RULE, &name), out);
    let placed: Vec<ContextEdge> = names::places_in_names(&doc.dict, &doc.mentions)
        .into_iter()
        .map(|p| {
            let head = span(p.mention);
            let place = Span { start: head.start, end: head.start + p.prefix_chars };
            ContextEdge { mention: p.mention, head: (p.entity, head), tail: (p.place, place) }
        })
        .collect();
    push_context(doc, placed, (LOCATED_IN, names::PLACE_IN_NAME_RULE, &name), out);
    let Some(place) = &doc.context.place else {
        return;
    };
    let located: BTreeSet<usize> = out.iter().filter(|r| &*r.relation == LOCATED_IN).map(|r| r.head).collect();
    let implicit = implicit::placed_in_document(doc, &located);
    let at = span_with(&mut CharCounter::default(), &doc.norm, &doc.source.text, place.at.clone());
    let implicit: Vec<ContextEdge> = implicit
        .into_iter()
        .map(|i| ContextEdge { mention: i.mention, head: (i.head, span(i.mention)), tail: (i.tail, at) })
        .collect();
    let source: Arc<str> = place.source.name().into();
    push_context(doc, implicit, (LOCATED_IN, implicit::DOCUMENT_PLACE_RULE, &source), out);
}

/// How far co-occurrence reaches in a sentence: a mention pairs with the mentions of at most this many distinct
/// entities after it. Every pair in a sentence of up to this many entities co-occurs; a run-on sentence of hundreds
/// of names (a scraped list) makes edges in proportion to its names, not to their square.
pub const CO_OCCURRENCE_WINDOW: usize = 12;

/// A relation resting on the document: the mention whose sentence is its evidence, and head and tail with spans.
struct ContextEdge {
    mention: usize,
    head: (usize, Span),
    tail: (usize, Span),
}

/// Adds context relations of one kind — (relation, rule, context) — with the sentence of each one's mention.
fn push_context(
    doc: &Doc,
    edges: Vec<ContextEdge>,
    (relation, rule, context): (&str, &str, &Arc<str>),
    out: &mut Vec<Relation>,
) {
    if edges.is_empty() {
        return;
    }
    let (relation, rule): (Arc<str>, Arc<str>) = (relation.into(), rule.into());
    for e in edges {
        let Some(sentence) = doc.sentences.iter().find(|s| s.mentions.contains(&e.mention)) else {
            continue;
        };
        out.push(Relation {
            head: e.head.0,
            relation: relation.clone(),
            tail: e.tail.0,
            evidence: Evidence {
                doc: doc.id.clone(),
                sentence: doc.sentence_text(sentence),
                head: e.head.1,
                tail: e.tail.1,
                rule: rule.clone(),
                trigger: None,
                context: Some(context.clone()),
                date: None,
                confidence: None,
            },
        });
    }
}

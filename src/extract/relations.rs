//! Relations: from one document's text to its mentions and the relations between them.
//!
//! The text is normalised, mentions are found, the text is cut into sentences, and in each sentence every pair of
//! distinct entities co-occurs while the rules add typed, directed relations. Each relation carries its evidence.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::dict::Dictionary;
use crate::extract::context::{implicit, names, DocContext};
use crate::extract::discover;
use crate::extract::mentions::Matcher;
use crate::extract::rules::{Arg, Context, DocumentContext, Role, RuleMention, RuleSet};
use crate::model::{Document, Entity, Evidence, Mention, Relation, Span, CO_OCCURS};
use crate::read::text::{self, CharCounter, NormText};

/// The relation a document's place gives its parks.
const LOCATED_IN: &str = "located-in";
/// The context recorded on an argument that points back to the entity mentioned last (该公司, 公司董事长X).
const ANAPHORA: &str = "anaphora";
/// The relation of an official to what they lead.
const LEADS: &str = "leads";
/// The relation a project's name gives its investor.
const INVESTS_IN: &str = "invests-in";

/// The rule name recorded on co-occurrence evidence.
pub const CO_OCCURRENCE_RULE: &str = "co-occurrence";

/// What one document yields.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// The entities discovery found in the document, which no dictionary lists: mentions and relations refer to
    /// them by ids from the dictionary's length on (see [`Dictionary::with_discovered`]).
    pub discovered: Vec<Entity>,
    /// Every kept mention, in text order.
    pub mentions: Vec<Mention>,
    /// Every relation found, co-occurrences included, in sentence order.
    pub relations: Vec<Relation>,
}

/// A document normalised, with its mentions and its sentences.
pub(crate) struct Prepared {
    /// The normalised text.
    pub norm: NormText,
    /// Kept mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Entities discovered in the document (ids from the dictionary's length on).
    pub discovered: Vec<Entity>,
    /// Where each discovered mention stands (normalised bytes) and its kind of evidence, for explanations.
    pub discovered_at: Vec<(std::ops::Range<usize>, &'static str)>,
    /// Each sentence's byte range in the normalised text and the range of `mentions` inside it.
    pub sentences: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
}

/// Extracts mentions and relations with one dictionary and one rule set.
#[derive(Clone, Debug)]
pub struct Extractor<'a> {
    dict: &'a Dictionary,
    matcher: &'a Matcher,
    rules: &'a RuleSet,
    co_occurs: Arc<str>,
    co_occurrence_rule: Arc<str>,
    discover: bool,
}

impl<'a> Extractor<'a> {
    /// An extractor over a dictionary, its matcher and a rule set.
    pub fn new(dict: &'a Dictionary, matcher: &'a Matcher, rules: &'a RuleSet) -> Self {
        Extractor {
            dict,
            matcher,
            rules,
            co_occurs: CO_OCCURS.into(),
            co_occurrence_rule: CO_OCCURRENCE_RULE.into(),
            discover: false,
        }
    }

    /// This extractor with discovery of unlisted names on or off (the default).
    pub fn discovering(mut self, on: bool) -> Self {
        self.discover = on;
        self
    }

    /// Extracts one document.
    pub fn extract(&self, doc: &Document) -> Extraction {
        let prepared = self.prepare(doc);
        let relations = self.relations(doc, &prepared);
        Extraction { discovered: prepared.discovered, mentions: prepared.mentions, relations }
    }

    /// The relations of a prepared document, in sentence order.
    pub(crate) fn relations(&self, doc: &Document, prepared: &Prepared) -> Vec<Relation> {
        self.with_document_names(prepared, |e| e.relations_with(doc, prepared))
    }

    /// Runs `f` with this extractor, over a dictionary that also holds the names discovered in the document (its
    /// own names take part like the dictionary's).
    fn with_document_names<R>(&self, prepared: &Prepared, f: impl FnOnce(&Extractor) -> R) -> R {
        if prepared.discovered.is_empty() {
            return f(self);
        }
        let dict = self.dict.with_discovered(&prepared.discovered);
        f(&Extractor { dict: &dict, ..self.clone() })
    }

    fn relations_with(&self, doc: &Document, prepared: &Prepared) -> Vec<Relation> {
        let view = DocView::new(doc, &prepared.norm, self.dict, &prepared.mentions);
        let mut relations = Vec::new();
        for (sentence, in_sentence) in &prepared.sentences {
            if !in_sentence.is_empty() {
                self.sentence_relations(
                    &view,
                    sentence.clone(),
                    &prepared.mentions[in_sentence.clone()],
                    &mut relations,
                );
            }
        }
        // A place taken from the document yields to a place the text states: A落户奎文区 … A、B等企业集中落户.
        let stated: BTreeSet<usize> = relations
            .iter()
            .filter(|r| &*r.relation == LOCATED_IN && r.evidence.context.is_none())
            .map(|r| r.head)
            .collect();
        relations.retain(|r| !(&*r.relation == LOCATED_IN && r.evidence.context.is_some() && stated.contains(&r.head)));
        self.context_relations(&view, prepared, &mut relations);
        relations
    }

    /// Relations resting on the whole document rather than on one sentence, after those of the sentences: what
    /// names say (projects named after their investor, places at the head of a name: see
    /// [`crate::extract::context::names`]) and the document's place (see [`crate::extract::context::implicit`]).
    fn context_relations(&self, view: &DocView, prepared: &Prepared, out: &mut Vec<Relation>) {
        let span = |m: usize| prepared.mentions[m].span;
        let name: Arc<str> = names::NAME_CONTEXT.into();
        let invested: BTreeSet<usize> = out.iter().filter(|r| &*r.relation == INVESTS_IN).map(|r| r.tail).collect();
        let owned: Vec<ContextEdge> = names::own_projects(self.dict, &prepared.mentions, &invested)
            .into_iter()
            .map(|o| {
                let (owner, project) = (span(o.owner_mention), span(o.project_mention));
                ContextEdge { mention: o.project_mention, head: (o.owner, owner), tail: (o.project, project) }
            })
            .collect();
        push_context(view, prepared, owned, (INVESTS_IN, names::OWN_PROJECT_RULE, &name), out);
        let placed: Vec<ContextEdge> = names::places_in_names(self.dict, &prepared.mentions)
            .into_iter()
            .map(|p| {
                let head = span(p.mention);
                let place = Span { start: head.start, end: head.start + p.prefix_chars };
                ContextEdge { mention: p.mention, head: (p.entity, head), tail: (p.place, place) }
            })
            .collect();
        push_context(view, prepared, placed, (LOCATED_IN, names::PLACE_IN_NAME_RULE, &name), out);
        let Some(place) = &view.context.place else {
            return;
        };
        let located: BTreeSet<usize> = out.iter().filter(|r| &*r.relation == LOCATED_IN).map(|r| r.head).collect();
        let implicit = implicit::placed_in_document(
            &view.context,
            self.dict,
            &prepared.norm.text,
            &prepared.mentions,
            &prepared.sentences,
            &located,
        );
        let (doc, norm) = (view.doc, view.norm);
        let orig = norm.range_to_original(&doc.text, place.at.clone());
        let mut chars = CharCounter::default();
        let at = Span { start: chars.at(&doc.text, orig.start), end: chars.at(&doc.text, orig.end) };
        let implicit: Vec<ContextEdge> = implicit
            .into_iter()
            .map(|i| ContextEdge { mention: i.mention, head: (i.head, span(i.mention)), tail: (i.tail, at) })
            .collect();
        let source: Arc<str> = place.source.name().into();
        push_context(view, prepared, implicit, (LOCATED_IN, implicit::DOCUMENT_PLACE_RULE, &source), out);
    }

    /// Normalises a document, finds its mentions and cuts it into sentences.
    pub(crate) fn prepare(&self, doc: &Document) -> Prepared {
        let norm = NormText::new(&doc.text);
        let mut found = self.matcher.find(&norm.text);
        let mut discovered = Vec::new();
        let mut discovered_at = Vec::new();
        if self.discover {
            let ranges: Vec<_> = found.iter().map(|(_, r)| r.clone()).collect();
            let sentences = text::sentences(&norm, &ranges);
            let d = discover::discover(self.dict, self.matcher, &norm, &found, &sentences);
            if !d.entities.is_empty() {
                // A discovered name covers the places inside it (潍坊 in 潍坊星河电子有限公司).
                found.retain(|(_, r)| !d.mentions.iter().any(|(_, c, _)| c.start <= r.start && r.end <= c.end));
                discovered_at = d.mentions.iter().map(|(_, r, why)| (r.clone(), *why)).collect();
                found.extend(d.mentions.into_iter().map(|(e, r, _)| (e, r)));
                found.sort_by_key(|(_, r)| (r.start, r.end));
                discovered = d.entities;
            }
        }
        let mut chars = CharCounter::default();
        let mentions: Vec<Mention> = found
            .into_iter()
            .map(|(entity, range)| {
                let orig = norm.range_to_original(&doc.text, range.clone());
                let start = chars.at(&doc.text, orig.start);
                let end = chars.at(&doc.text, orig.end);
                Mention { entity, norm: range, span: Span { start, end } }
            })
            .collect();
        let ranges: Vec<_> = mentions.iter().map(|m| m.norm.clone()).collect();
        let mut sentences = Vec::new();
        let mut first = 0;
        for sentence in text::sentences(&norm, &ranges) {
            while first < mentions.len() && mentions[first].norm.start < sentence.start {
                first += 1;
            }
            let mut last = first;
            while last < mentions.len() && mentions[last].norm.end <= sentence.end {
                last += 1;
            }
            sentences.push((sentence, first..last));
        }
        Prepared { norm, mentions, discovered, discovered_at, sentences }
    }

    /// The mentions as the rules see them.
    fn rule_mentions<'m>(&'m self, mentions: &[Mention]) -> Vec<RuleMention<'m>> {
        mentions
            .iter()
            .map(|m| {
                let e = self.dict.entity(m.entity);
                RuleMention { entity: m.entity, kind: &e.kind, name: &e.name, range: (m.norm.start, m.norm.end) }
            })
            .collect()
    }

    /// Why each rule triggered in a sentence made no edge there (see [`RuleSet::near_misses`]).
    pub(crate) fn near_misses(
        &self,
        doc: &Document,
        prepared: &Prepared,
        sentence: usize,
    ) -> Vec<crate::extract::rules::NearMiss> {
        self.with_document_names(prepared, |e| {
            let (range, in_sentence) = &prepared.sentences[sentence];
            let view = DocView::new(doc, &prepared.norm, e.dict, &prepared.mentions);
            let rule_mentions = e.rule_mentions(&prepared.mentions[in_sentence.clone()]);
            let hits = e.rules.apply(&prepared.norm.text, range.clone(), &rule_mentions, &view);
            e.rules.near_misses(&prepared.norm.text, range.clone(), &rule_mentions, &view, &hits)
        })
    }

    fn sentence_relations(
        &self,
        view: &DocView,
        sentence: std::ops::Range<usize>,
        mentions: &[Mention],
        out: &mut Vec<Relation>,
    ) {
        let (doc, norm) = (view.doc, view.norm);
        // One shared copy of the sentence for every relation found in it.
        let sentence_text: Arc<str> = doc.text[norm.range_to_original(&doc.text, sentence.clone())].into();
        let evidence = |head: Span, tail: Span, rule: &Arc<str>, trigger: Option<String>| Evidence {
            doc: view.doc_id.clone(),
            sentence: sentence_text.clone(),
            head,
            tail,
            rule: rule.clone(),
            trigger,
            context: None,
            date: None,
        };
        // Character span of a rule argument: the mention, or the words referring to a context entity.
        let span = |arg: &Arg| match arg {
            Arg::Mention(m) => mentions[*m].span,
            Arg::Context { at, .. } => {
                let orig = norm.range_to_original(&doc.text, at.clone());
                let mut chars = CharCounter::default();
                Span { start: chars.at(&doc.text, orig.start), end: chars.at(&doc.text, orig.end) }
            }
        };
        let rule_mentions = self.rule_mentions(mentions);
        for hit in self.rules.apply(&norm.text, sentence, &rule_mentions, view) {
            let rule = &self.rules.rules()[hit.rule];
            let trigger = hit.trigger.map(|t| norm.text[t].trim().to_string()).filter(|t| !t.is_empty());
            let (head, mut tail) = (hit.head.entity(&rule_mentions), hit.tail.entity(&rule_mentions));
            // 唐山市委书记X leads the city, not its committee.
            if &*rule.relation == LEADS {
                tail = crate::extract::context::committee_place(self.dict, tail).unwrap_or(tail);
            }
            let mut evidence = evidence(span(&hit.head), span(&hit.tail), &rule.name, trigger);
            // An argument from the document: say where it came from.
            evidence.context = rule.context().map(|(role, from)| {
                let entity = if *role == Role::Head { head } else { tail };
                view.context_source(from, entity)
            });
            out.push(Relation { head, relation: rule.relation.clone(), tail, evidence });
        }
        // Co-occurrence: each unordered pair of distinct entities once per sentence, head first by name, using
        // the first mention of each; a mention pairs with those of the next CO_OCCURRENCE_WINDOW entities after it.
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
                let (x, y) =
                    if self.dict.entity(a.entity).name <= self.dict.entity(b.entity).name { (a, b) } else { (b, a) };
                if pairs.insert((x.entity, y.entity)) {
                    out.push(Relation {
                        head: x.entity,
                        relation: self.co_occurs.clone(),
                        tail: y.entity,
                        evidence: evidence(x.span, y.span, &self.co_occurrence_rule, None),
                    });
                }
            }
        }
    }
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
    view: &DocView,
    prepared: &Prepared,
    edges: Vec<ContextEdge>,
    (relation, rule, context): (&str, &str, &Arc<str>),
    out: &mut Vec<Relation>,
) {
    if edges.is_empty() {
        return;
    }
    let (doc, norm) = (view.doc, view.norm);
    let (relation, rule): (Arc<str>, Arc<str>) = (relation.into(), rule.into());
    for e in edges {
        let Some((range, _)) = prepared.sentences.iter().find(|(_, m)| m.contains(&e.mention)) else {
            continue;
        };
        out.push(Relation {
            head: e.head.0,
            relation: relation.clone(),
            tail: e.tail.0,
            evidence: Evidence {
                doc: view.doc_id.clone(),
                sentence: doc.text[norm.range_to_original(&doc.text, range.clone())].into(),
                head: e.head.1,
                tail: e.tail.1,
                rule: rule.clone(),
                trigger: None,
                context: Some(context.clone()),
                date: None,
            },
        });
    }
}

/// One document being extracted, and what the rules may ask about it: its topic entities and the entities
/// mentioned before a place.
struct DocView<'a> {
    doc: &'a Document,
    /// The document id, shared by all its evidence.
    doc_id: Arc<str>,
    norm: &'a NormText,
    dict: &'a Dictionary,
    mentions: &'a [Mention],
    /// Entities by number of mentions (descending), ties broken by first mention.
    by_frequency: Vec<usize>,
    /// What the whole document says about itself: its place.
    context: DocContext,
}

impl<'a> DocView<'a> {
    fn new(doc: &'a Document, norm: &'a NormText, dict: &'a Dictionary, mentions: &'a [Mention]) -> Self {
        // entity → (count, first position)
        let mut tally: std::collections::HashMap<usize, (usize, usize)> = std::collections::HashMap::new();
        for (i, m) in mentions.iter().enumerate() {
            tally.entry(m.entity).or_insert((0, i)).0 += 1;
        }
        let mut counts: Vec<(usize, usize, usize)> = tally.into_iter().map(|(e, (n, first))| (e, n, first)).collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        DocView {
            doc,
            doc_id: doc.id.as_str().into(),
            norm,
            dict,
            mentions,
            by_frequency: counts.into_iter().map(|c| c.0).collect(),
            context: DocContext::new(norm, dict, mentions),
        }
    }

    /// Where a rule's argument taken from the document came from, as evidence records it: the source of the
    /// document's place, `prominence` for another topic entity, `anaphora` for the entity mentioned last.
    fn context_source(&self, from: &Context, entity: usize) -> Arc<str> {
        match from {
            Context::Recent(_) => ANAPHORA.into(),
            Context::Topic(_) => match &self.context.place {
                Some(p) if p.entity == entity => p.source.name().into(),
                _ => crate::extract::context::Source::Prominence.name().into(),
            },
        }
    }

    fn accepts(&self, types: &[String], entity: usize) -> bool {
        types.is_empty() || types.iter().any(|t| *t == self.dict.entity(entity).kind)
    }

    /// Is the entity of one of `types`, with a name that fits the suffix spec (if any)?
    fn fits(&self, types: &[String], suffix: Option<&str>, entity: usize) -> bool {
        self.accepts(types, entity)
            && suffix.is_none_or(|s| crate::extract::context::fits_suffix_spec(self.dict, entity, s))
    }
}

impl DocumentContext for DocView<'_> {
    /// The document's place if it fits, else the place it lies in (市长X in an article about one of the city's
    /// districts), else the document's most-mentioned entity that fits.
    fn topic(&self, types: &[String], suffix: Option<&str>) -> Option<usize> {
        let fits = |e: usize| self.fits(types, suffix, e);
        let place = self.context.place.as_ref().map(|p| p.entity);
        let parent = |e: usize| self.dict.parent(e);
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
            .find(|&e| self.fits(types, suffix, e))
    }
}

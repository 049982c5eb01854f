//! Relations: from one document's text to its mentions and the relations between them.
//!
//! The text is normalised, mentions are found, the text is cut into sentences, and in each sentence every pair of
//! distinct entities co-occurs while the rules add typed, directed relations. Each relation carries its evidence.

use std::collections::BTreeSet;

use crate::dict::Dictionary;
use crate::mentions::Matcher;
use crate::model::{Document, Evidence, Mention, Relation, Span, CO_OCCURS};
use crate::rules::{RuleMention, RuleSet};
use crate::text::{self, CharCounter, NormText};

/// The rule name recorded on co-occurrence evidence.
pub const CO_OCCURRENCE_RULE: &str = "co-occurrence";

/// What one document yields.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// Every kept mention, in text order.
    pub mentions: Vec<Mention>,
    /// Every relation found, co-occurrences included, in sentence order.
    pub relations: Vec<Relation>,
}

/// Extracts mentions and relations with one dictionary and one rule set.
#[derive(Debug)]
pub struct Extractor<'a> {
    dict: &'a Dictionary,
    matcher: &'a Matcher,
    rules: &'a RuleSet,
}

impl<'a> Extractor<'a> {
    /// An extractor over a dictionary, its matcher and a rule set.
    pub fn new(dict: &'a Dictionary, matcher: &'a Matcher, rules: &'a RuleSet) -> Self {
        Extractor { dict, matcher, rules }
    }

    /// Extracts one document.
    pub fn extract(&self, doc: &Document) -> Extraction {
        let norm = NormText::new(&doc.text);
        let found = self.matcher.find(&norm.text);
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
        let mut relations = Vec::new();
        let mut first = 0;
        for sentence in text::sentences(&norm, &ranges) {
            while first < mentions.len() && mentions[first].norm.start < sentence.start {
                first += 1;
            }
            let mut last = first;
            while last < mentions.len() && mentions[last].norm.end <= sentence.end {
                last += 1;
            }
            let in_sentence = &mentions[first..last];
            if in_sentence.len() < 2 {
                continue;
            }
            let orig = norm.range_to_original(&doc.text, sentence.clone());
            let sentence_text = doc.text[orig].to_string();
            self.sentence_relations(doc, &norm, sentence, &sentence_text, in_sentence, &mut relations);
        }
        Extraction { mentions, relations }
    }

    fn sentence_relations(
        &self,
        doc: &Document,
        norm: &NormText,
        sentence: std::ops::Range<usize>,
        sentence_text: &str,
        mentions: &[Mention],
        out: &mut Vec<Relation>,
    ) {
        let evidence = |head: &Mention, tail: &Mention, rule: &str, trigger: Option<String>| Evidence {
            doc: doc.id.clone(),
            sentence: sentence_text.to_string(),
            head: head.span,
            tail: tail.span,
            rule: rule.to_string(),
            trigger,
        };
        let rule_mentions: Vec<RuleMention> = mentions
            .iter()
            .map(|m| RuleMention {
                entity: m.entity,
                kind: &self.dict.entity(m.entity).kind,
                range: (m.norm.start, m.norm.end),
            })
            .collect();
        for hit in self.rules.apply(&norm.text, sentence, &rule_mentions) {
            let rule = &self.rules.rules()[hit.rule];
            let (head, tail) = (&mentions[hit.head], &mentions[hit.tail]);
            let trigger = hit.trigger.map(|t| norm.text[t].trim().to_string()).filter(|t| !t.is_empty());
            out.push(Relation {
                head: head.entity,
                relation: rule.relation.clone(),
                tail: tail.entity,
                evidence: evidence(head, tail, &rule.name, trigger),
            });
        }
        // Co-occurrence: each unordered pair of distinct entities once per sentence, head first by name, using
        // the first mention of each.
        let mut pairs = BTreeSet::new();
        for (i, a) in mentions.iter().enumerate() {
            for b in &mentions[i + 1..] {
                if a.entity == b.entity {
                    continue;
                }
                let (x, y) =
                    if self.dict.entity(a.entity).name <= self.dict.entity(b.entity).name { (a, b) } else { (b, a) };
                if pairs.insert((x.entity, y.entity)) {
                    out.push(Relation {
                        head: x.entity,
                        relation: CO_OCCURS.to_string(),
                        tail: y.entity,
                        evidence: evidence(x, y, CO_OCCURRENCE_RULE, None),
                    });
                }
            }
        }
    }
}

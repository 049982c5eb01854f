//! Near misses: why a rule whose trigger words all occur in a sentence made no edge there. Each reason is found by
//! matching again with one condition lifted: without cancel words (cancelled, or outranked by another rule), with
//! slots of any type (a mention of the wrong type), and otherwise the words and mentions are all there but not in
//! the pattern's order and gaps.

use std::ops::Range;

use super::matcher::{accepts, occurrences, Occurrence, SentenceMatcher};
use super::{Context, DocumentContext, Element, Hit, Role, Rule, RuleMention, RuleSet};

/// Why a rule whose trigger words occur in a sentence made no edge there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    /// Index of the rule.
    pub rule: usize,
    /// The reason, for people.
    pub reason: String,
}

/// "any type", or the types joined by "or".
fn describe_types(types: &[String]) -> String {
    if types.is_empty() {
        "any type".to_string()
    } else {
        types.join(" or ")
    }
}

impl RuleSet {
    /// Explains, for a sentence already given to [`RuleSet::apply`] (which returned `hits`), why each rule whose
    /// trigger words all occur in the sentence made no edge: cancelled, outranked, a mention of the wrong type, no
    /// entity in the document context, or no arrangement that fits the pattern.
    pub fn near_misses(
        &self,
        text: &str,
        sentence: Range<usize>,
        mentions: &[RuleMention],
        context: &dyn DocumentContext,
        hits: &[Hit],
    ) -> Vec<NearMiss> {
        let occurrences = occurrences(self.automaton.as_ref(), text, &sentence, mentions);
        let matcher = || SentenceMatcher::new(text, sentence.clone(), mentions, &occurrences, context);
        let explainer = Explainer {
            set: self,
            sentence_end: sentence.end,
            mentions,
            occurrences: &occurrences,
            context,
            hits,
            strict: matcher(),
            no_unless: matcher().ignoring_unless(),
            any_type: matcher().ignoring_types(),
        };
        let mut out = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
            let triggered = rule.elements.iter().all(|e| match e {
                Element::Words(ids) => occurrences.iter().any(|o| ids.binary_search(&o.0).is_ok()),
                Element::Slot { .. } => true,
            });
            if !triggered || hits.iter().any(|h| h.rule == index) {
                continue;
            }
            if let Some(reason) = explainer.reason(rule, index) {
                out.push(NearMiss { rule: index, reason });
            }
        }
        out
    }
}

/// One sentence's matchers, each with one condition lifted, and the hits the rules made there.
struct Explainer<'a> {
    set: &'a RuleSet,
    sentence_end: usize,
    mentions: &'a [RuleMention<'a>],
    occurrences: &'a [Occurrence],
    context: &'a dyn DocumentContext,
    hits: &'a [Hit],
    strict: SentenceMatcher<'a>,
    no_unless: SentenceMatcher<'a>,
    any_type: SentenceMatcher<'a>,
}

impl Explainer<'_> {
    /// Why the rule made no edge, in order of how much of it matched; `None` when not every slot has a mention of
    /// its type in the sentence (nothing worth saying).
    fn reason(&self, rule: &Rule, index: usize) -> Option<String> {
        self.missing_context(rule)
            .or_else(|| self.cancelled_or_outranked(rule, index))
            .or_else(|| self.wrong_type(rule))
            .or_else(|| self.no_fit(rule))
    }

    /// The rule takes an argument from the document, and the document has none of its types.
    fn missing_context(&self, rule: &Rule) -> Option<String> {
        let (role, ctx) = rule.context.as_ref()?;
        let types = rule.types(*role);
        let found = match ctx {
            Context::Topic(suffix) => self.context.topic(types, suffix.as_deref()),
            Context::Recent(suffix) => self.context.recent(types, suffix.as_deref(), self.sentence_end),
        };
        found.is_none().then(|| format!("no {} in the document to refer to", describe_types(types)))
    }

    /// The rule matches when cancel words are ignored: it was cancelled, or it matched and another rule won.
    fn cancelled_or_outranked(&self, rule: &Rule, index: usize) -> Option<String> {
        let mut raw = Vec::new();
        self.no_unless.rule_hits(rule, index, &mut raw);
        if raw.is_empty() {
            return None;
        }
        let mut own = Vec::new();
        self.strict.rule_hits(rule, index, &mut own);
        if own.is_empty() {
            let words: Vec<&str> = self
                .occurrences
                .iter()
                .filter(|o| rule.unless.binary_search(&o.0).is_ok())
                .map(|o| self.set.words[o.0].as_str())
                .collect();
            return Some(format!("cancelled by {}", words.join(", ")));
        }
        let h = &own[0];
        let pair = (h.head.entity(self.mentions), h.tail.entity(self.mentions));
        let winner = self.hits.iter().find(|w| {
            let p = (w.head.entity(self.mentions), w.tail.entity(self.mentions));
            p == pair || p == (pair.1, pair.0)
        });
        let rules = &self.set.rules;
        Some(match winner {
            Some(w) if rules[w.rule].priority > rule.priority => {
                format!("outranked by {} (priority {} > {})", rules[w.rule].name, rules[w.rule].priority, rule.priority)
            }
            Some(w) => format!("the same edge was already made by {}", rules[w.rule].name),
            None => "outranked".to_string(),
        })
    }

    /// The rule matches with slots of any type: the first mention of a type its slot does not take.
    fn wrong_type(&self, rule: &Rule) -> Option<String> {
        for bound in self.any_type.matches(rule, 0..rule.elements.len(), None) {
            for (k, b) in bound.iter().enumerate() {
                if let Element::Slot { role, .. } = &rule.elements[k] {
                    let types = rule.types(*role);
                    if let Some(&m) = b.items.iter().find(|&&m| !accepts(types, self.mentions[m].kind)) {
                        let slot = if *role == Role::Head { "{head}" } else { "{tail}" };
                        let mention = &self.mentions[m];
                        return Some(format!(
                            "type: {} is a {}, and {slot} takes {}",
                            mention.name,
                            mention.kind,
                            describe_types(types)
                        ));
                    }
                }
            }
        }
        None
    }

    /// Worth saying only when every slot has a mention of its type somewhere in the sentence.
    fn no_fit(&self, rule: &Rule) -> Option<String> {
        let ingredients = rule.elements.iter().all(|e| match e {
            Element::Slot { role, .. } => self.mentions.iter().any(|m| accepts(rule.types(*role), m.kind)),
            Element::Words(_) => true,
        });
        ingredients.then(|| "no fit: the words and mentions occur, but not in the pattern's order and gaps".into())
    }
}

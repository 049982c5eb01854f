//! Matching a compiled rule set against one sentence: where the trigger words occur, every binding of a rule's
//! elements that its gaps, barriers and anchors allow (enumerations in `enumerations.rs`), the chains that
//! repeat a pattern's first part, cancel words, and the priorities that settle rules disagreeing about two entities.
//! Each rule has a budget of steps per sentence, so cost stays linear in the input whatever the rules file says.

use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::{Arg, Context, DocumentContext, Element, Hit, Role, Rule, RuleMention, RuleSet};

/// The most steps (bindings tried) one rule may take on one sentence, and the most hits it may make there. A
/// sentence of a few names takes a few dozen steps; a rule with a long gap over hundreds of trigger words or titled
/// names could otherwise take billions (the bindings grow like a power of them). Beyond the budget the rule stops on
/// that sentence: cost stays linear in the input whatever the rules file says.
pub const STEP_BUDGET: usize = 20_000;

/// A run of trigger words' text extends back over the gap before it when the gap is at most this long (so a
/// `leads` edge keeps the whole list of posts: 党组书记、局长).
const TRIGGER_PREFIX: usize = 12;

/// A trigger word found in a sentence: (word id, start, end), byte offsets in the normalised text.
pub(super) type Occurrence = (usize, usize, usize);

/// A bound pattern element: its byte range and, for slots, the mentions it holds.
#[derive(Clone, Debug)]
pub(super) struct Bound {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) items: Vec<usize>,
}

/// The trigger words occurring in a sentence outside mentions.
pub(super) fn occurrences(
    automaton: Option<&AhoCorasick>,
    text: &str,
    sentence: &Range<usize>,
    mentions: &[RuleMention],
) -> Vec<Occurrence> {
    let Some(automaton) = automaton else {
        return Vec::new();
    };
    let inside_mention = |s: usize, e: usize| mentions.iter().any(|m| s < m.range.1 && m.range.0 < e);
    automaton
        .find_overlapping_iter(&text[sentence.clone()])
        .map(|m| (m.pattern().as_usize(), sentence.start + m.start(), sentence.start + m.end()))
        .filter(|&(_, s, e)| !inside_mention(s, e))
        .collect()
}

/// Keeps, within each pair of entities, only the hits of the highest priority, and each edge once.
pub(super) fn resolve_priorities(set: &RuleSet, mentions: &[RuleMention], hits: &mut Vec<Hit>) {
    let pair = |h: &Hit| {
        let (a, b) = (h.head.entity(mentions), h.tail.entity(mentions));
        (a.min(b), a.max(b))
    };
    let mut best: HashMap<(usize, usize), i32> = HashMap::new();
    for h in hits.iter() {
        let p = set.rules[h.rule].priority;
        best.entry(pair(h)).and_modify(|b| *b = (*b).max(p)).or_insert(p);
    }
    let mut seen = Vec::new();
    hits.retain(|h| {
        let key = (h.head.entity(mentions), &*set.rules[h.rule].relation, h.tail.entity(mentions));
        let keep = set.rules[h.rule].priority == best[&pair(h)] && !seen.contains(&key);
        if keep {
            seen.push(key);
        }
        keep
    });
}

/// Takes one from a budget; false when it is spent.
fn take(budget: &Cell<usize>) -> bool {
    let left = budget.get();
    budget.set(left.saturating_sub(1));
    left > 0
}

/// Does a slot of these types take a mention of this type (no types: any)?
pub(super) fn accepts(types: &[String], kind: &str) -> bool {
    types.is_empty() || types.iter().any(|t| t == kind)
}

/// One sentence, its mentions and trigger words, ready to match rule after rule.
pub(super) struct SentenceMatcher<'a> {
    pub(super) text: &'a str,
    pub(super) sentence: Range<usize>,
    pub(super) mentions: &'a [RuleMention<'a>],
    pub(super) occurrences: &'a [Occurrence],
    context: &'a dyn DocumentContext,
    /// For explanations: slots accept mentions of any type.
    ignore_types: bool,
    /// For explanations: cancel words are ignored.
    ignore_unless: bool,
    /// Steps left for the rule being matched: each binding tried costs one.
    steps: Cell<usize>,
    /// Hits the rule being matched may still make.
    hits_left: Cell<usize>,
}

impl<'a> SentenceMatcher<'a> {
    /// A matcher that applies the rules as written.
    pub(super) fn new(
        text: &'a str,
        sentence: Range<usize>,
        mentions: &'a [RuleMention<'a>],
        occurrences: &'a [Occurrence],
        context: &'a dyn DocumentContext,
    ) -> Self {
        SentenceMatcher {
            text,
            sentence,
            mentions,
            occurrences,
            context,
            ignore_types: false,
            ignore_unless: false,
            steps: Cell::new(STEP_BUDGET),
            hits_left: Cell::new(STEP_BUDGET),
        }
    }

    /// The same matcher, but its slots take mentions of any type (to explain a miss by a type).
    pub(super) fn ignoring_types(self) -> Self {
        SentenceMatcher { ignore_types: true, ..self }
    }

    /// The same matcher, but cancel words cancel nothing (to explain a miss by a cancel word).
    pub(super) fn ignoring_unless(self) -> Self {
        SentenceMatcher { ignore_unless: true, ..self }
    }

    pub(super) fn slot_accepts(&self, types: &[String], kind: &str) -> bool {
        self.ignore_types || accepts(types, kind)
    }

    /// Takes one step of the budget; false when it is spent.
    fn step(&self) -> bool {
        take(&self.steps)
    }

    /// Adds the hits of one rule (`index` in the set), with a fresh budget.
    pub(super) fn rule_hits(&self, rule: &Rule, index: usize, hits: &mut Vec<Hit>) {
        self.steps.set(STEP_BUDGET);
        self.hits_left.set(STEP_BUDGET);
        for bound in self.matches(rule, 0..rule.elements.len(), None) {
            let first = hits.len();
            self.finish(rule, index, &bound, hits);
            if rule.chain.is_empty() || hits.len() == first {
                continue;
            }
            // Earlier units of a chain share the final slot.
            let unit = 0..rule.elements.len() - 1;
            let shared = bound.last().cloned();
            let mut unit_start = bound[0].start;
            while let Some(end) = self.separator_before(rule, unit_start) {
                let Some(mut earlier) =
                    self.matches(rule, unit.clone(), Some(end)).into_iter().max_by_key(|b| b[0].start)
                else {
                    break;
                };
                unit_start = earlier[0].start;
                earlier.extend(shared.clone());
                self.finish(rule, index, &earlier, hits);
            }
        }
    }

    /// If a chain separator (with white space around) ends just before `at`, the offset where it starts.
    fn separator_before(&self, rule: &Rule, at: usize) -> Option<usize> {
        let before = self.text[self.sentence.start..at].trim_end();
        let sep = rule.chain.iter().find(|s| before.ends_with(s.as_str()))?;
        let rest = before[..before.len() - sep.len()].trim_end();
        (!rest.is_empty()).then_some(self.sentence.start + rest.len())
    }

    /// Every way of binding `elements` (a range of the rule's elements) in the sentence; with `end`, the last
    /// element must end there.
    pub(super) fn matches(&self, rule: &Rule, elements: Range<usize>, end: Option<usize>) -> Vec<Vec<Bound>> {
        if !self.step() {
            return Vec::new();
        }
        // Most rules' words do not occur in a given sentence: check that first, before binding any mention.
        let absent = |i: usize| match &rule.elements[i] {
            Element::Words(ids) => !self.occurrences.iter().any(|o| ids.binary_search(&o.0).is_ok()),
            Element::Slot { .. } => self.mentions.is_empty(),
        };
        if elements.clone().any(absent) {
            return Vec::new();
        }
        let candidates: Vec<Vec<Bound>> = elements.clone().map(|i| self.candidates(rule, i)).collect();
        let mut out = Vec::new();
        let mut bound = Vec::new();
        self.search(rule, elements.start, &candidates, end, &mut bound, &mut out);
        if rule.anchored_end && end.is_none() && elements.end == rule.elements.len() {
            out.retain(|b| b.last().is_some_and(|last| self.clause_end(last.end)));
        }
        out
    }

    /// Extends the binding `bound` of elements `offset..` by every candidate that may follow, depth first.
    fn search(
        &self,
        rule: &Rule,
        offset: usize,
        candidates: &[Vec<Bound>],
        end: Option<usize>,
        bound: &mut Vec<Bound>,
        out: &mut Vec<Vec<Bound>>,
    ) {
        if !self.step() {
            return;
        }
        let k = bound.len();
        if k == candidates.len() {
            if end.is_none_or(|e| bound.last().is_some_and(|b| b.end == e)) {
                out.push(bound.clone());
            }
            return;
        }
        let i = offset + k;
        // Candidates are sorted by start: after the first element, only those starting within the gap can follow.
        let range = match bound.last() {
            None => 0..candidates[k].len(),
            Some(prev) => {
                let from = candidates[k].partition_point(|c| c.start < prev.end);
                let max_end = prev.end.saturating_add(rule.gaps[i].saturating_mul(4));
                from..from + candidates[k][from..].partition_point(|c| c.start <= max_end)
            }
        };
        for cand in &candidates[k][range] {
            match bound.last() {
                None => {
                    if rule.anchored && offset == 0 && !self.clause_start(cand.start) {
                        continue;
                    }
                }
                Some(prev) => {
                    if !self.gap_ok(rule, i, prev, cand) {
                        continue;
                    }
                }
            }
            bound.push(cand.clone());
            self.search(rule, offset, candidates, end, bound, out);
            bound.pop();
        }
    }

    /// The places element `i` can take, sorted by start.
    fn candidates(&self, rule: &Rule, i: usize) -> Vec<Bound> {
        let mut out = self.unsorted_candidates(rule, i);
        out.sort_by_key(|b| (b.start, b.end));
        out
    }

    fn unsorted_candidates(&self, rule: &Rule, i: usize) -> Vec<Bound> {
        match &rule.elements[i] {
            Element::Slot { role, list: false } => (0..self.mentions.len())
                .filter(|&m| self.slot_accepts(rule.types(*role), self.mentions[m].kind))
                .map(|m| Bound { start: self.mentions[m].range.0, end: self.mentions[m].range.1, items: vec![m] })
                .collect(),
            Element::Slot { role, list: true } => self.enumerations(rule, *role),
            Element::Words(ids) => self
                .occurrences
                .iter()
                .filter(|o| ids.binary_search(&o.0).is_ok())
                .map(|&(_, s, e)| Bound { start: s, end: e, items: Vec::new() })
                .collect(),
        }
    }

    /// Is `at` the start of a clause: the sentence start, or right after punctuation or a space?
    fn clause_start(&self, at: usize) -> bool {
        at == self.sentence.start || self.text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
    }

    /// Is `at` the end of a clause: the sentence end, or right before punctuation?
    fn clause_end(&self, at: usize) -> bool {
        at >= self.sentence.end
            || self.text[at..self.sentence.end].chars().next().is_none_or(|c| !c.is_alphanumeric() && c != ' ')
    }

    /// May the text between elements `i - 1` and `i` separate them?
    fn gap_ok(&self, rule: &Rule, i: usize, a: &Bound, b: &Bound) -> bool {
        let (from, to) = (a.end, b.start);
        let gap = &self.text[from..to];
        if gap.chars().count() > rule.gaps[i] || gap.contains(|c| rule.barriers.contains(&c)) {
            return false;
        }
        // The nearest mention of a type the neighbouring slot accepts wins.
        let slot_types = |e: &Element| match e {
            Element::Slot { role, .. } => Some(rule.types(*role)),
            Element::Words(_) => None,
        };
        let neighbours = [slot_types(&rule.elements[i - 1]), slot_types(&rule.elements[i])];
        // Mentions are in text order and do not overlap: only those from the first ending after `from` can lie in
        // the gap.
        let first = self.mentions.partition_point(|m| m.range.1 <= from);
        !self.mentions[first..].iter().enumerate().take_while(|(_, m)| m.range.0 < to).any(|(k, mention)| {
            let m = first + k;
            !a.items.contains(&m)
                && !b.items.contains(&m)
                && neighbours.iter().flatten().any(|types| accepts(types, mention.kind))
        })
    }

    /// Turns one binding into hits, unless a cancel word occurs in it. `bound[k]` binds `rule.elements[k]`, except
    /// that a chain's earlier unit is followed by the final slot's binding.
    fn finish(&self, rule: &Rule, index: usize, bound: &[Bound], hits: &mut Vec<Hit>) {
        let last = rule.elements.len() - 1;
        let element = |k: usize| &rule.elements[if k + 1 == bound.len() { last } else { k }];
        let (start, end) = (bound[0].start, bound[bound.len() - 1].end);
        let scope = self.unless_scope(rule, start, end);
        if !self.ignore_unless && self.cancelled(rule, scope) {
            return;
        }
        let args = |role: Role| -> Vec<Arg> {
            if let Some((r, ctx)) = &rule.context {
                if *r == role {
                    // The words that refer to the context entity: the first trigger words of the match.
                    let at = (0..bound.len())
                        .find(|&k| matches!(element(k), Element::Words(_)))
                        .map_or(start..start, |k| bound[k].start..bound[k].end);
                    let types = rule.types(role);
                    let entity = match ctx {
                        Context::Topic(suffix) => self.context.topic(types, suffix.as_deref()),
                        Context::Recent(suffix) => self.context.recent(types, suffix.as_deref(), start),
                    };
                    return entity.map(|entity| Arg::Context { entity, at }).into_iter().collect();
                }
            }
            (0..bound.len())
                .filter(|&k| matches!(element(k), Element::Slot { role: r, .. } if *r == role))
                .flat_map(|k| bound[k].items.iter().map(|&m| Arg::Mention(m)))
                .collect()
        };
        let trigger = self.trigger(bound, &element);
        for head in args(Role::Head) {
            for tail in args(Role::Tail) {
                if head.entity(self.mentions) != tail.entity(self.mentions) && take(&self.hits_left) {
                    hits.push(Hit { rule: index, head: head.clone(), tail, trigger: trigger.clone() });
                }
            }
        }
    }

    /// Does a cancel word occur in `scope`, outside every exception word (签约 inside 签约落户)?
    fn cancelled(&self, rule: &Rule, scope: Range<usize>) -> bool {
        let excepted = |s: usize, e: usize| {
            self.occurrences
                .iter()
                .any(|x| rule.unless_except.binary_search(&x.0).is_ok() && x.1 <= s && e <= x.2 && (x.1, x.2) != (s, e))
        };
        self.occurrences.iter().any(|o| {
            rule.unless.binary_search(&o.0).is_ok() && o.1 >= scope.start && o.2 <= scope.end && !excepted(o.1, o.2)
        })
    }

    /// Where cancel words count for a match `start..end`: after its last `、`, or the whole clause around it.
    fn unless_scope(&self, rule: &Rule, start: usize, end: usize) -> Range<usize> {
        if rule.unless_in_clause {
            let barrier = |c: char| rule.barriers.contains(&c);
            let before = &self.text[self.sentence.start..start];
            let after = &self.text[end..self.sentence.end];
            let from = before.rfind(barrier).map_or(self.sentence.start, |i| self.sentence.start + i + 1);
            let to = after.find(barrier).map_or(self.sentence.end, |i| end + i);
            return from..to;
        }
        let from = self.text[start..end].rfind('、').map_or(start, |i| start + i + '、'.len_utf8());
        from..end
    }

    /// The trigger: the last run of word elements, with a short mention-free gap before it.
    fn trigger<'e>(&self, bound: &[Bound], element: &dyn Fn(usize) -> &'e Element) -> Option<Range<usize>> {
        let is_words = |k: usize| matches!(element(k), Element::Words(_));
        let last = (0..bound.len()).rev().find(|&k| is_words(k))?;
        let mut first = last;
        while first > 0 && is_words(first - 1) {
            first -= 1;
        }
        let mut start = bound[first].start;
        if first > 0 {
            let prev_end = bound[first - 1].end;
            let gap = &self.text[prev_end..start];
            let gap_has_mention = self.mentions.iter().any(|m| m.range.0 < start && prev_end < m.range.1);
            if gap.chars().count() <= TRIGGER_PREFIX && !gap_has_mention {
                start = prev_end;
            }
        }
        Some(start..bound[last].end)
    }
}

//! Relation rules: an editable TOML file that turns mentions in a sentence into typed, directed edges.
//!
//! A rule is an ordered pattern of elements separated by spaces: the slots `{head}` and `{tail}` (mentions of the
//! given types), `[list]` (any word of a named word list) and literal alternatives `word|word`. Consecutive
//! elements may be separated by at most `max_gap` characters of other text, which may not contain a barrier
//! character (by default `,;:`) nor another mention of a type the neighbouring slot accepts (the nearest mention
//! wins). A rule does not fire when one of its `unless` words occurs in the matched text or in the `max_gap`
//! characters before it. When rules that disagree match the same two entities in a sentence, only those of the
//! highest `priority` count.
//!
//! ```toml
//! [words]
//! settle = ["落户", "入驻"]
//!
//! [[rule]]
//! name = "settles-in"
//! relation = "located-in"
//! pattern = "{head} [settle] {tail}"
//! head = ["company", "park"]
//! tail = ["district", "park"]
//! unless = ["签约", "洽谈"]
//! ```

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use crate::error::{Error, Result};

/// The built-in rules, embedded so the binary runs from any directory.
pub const BUILTIN_RULES: &str = include_str!("../dictionaries/rules.toml");

const DEFAULT_MAX_GAP: usize = 4;
const DEFAULT_BARRIERS: &str = ",;:";
/// A run of trigger words' text extends back over the gap before it when the gap is at most this long.
const TRIGGER_PREFIX: usize = 4;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    words: BTreeMap<String, Vec<String>>,
    #[serde(default, rename = "rule")]
    rules: Vec<toml::Spanned<RuleDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    name: String,
    relation: String,
    pattern: String,
    #[serde(default)]
    head: Vec<String>,
    #[serde(default)]
    tail: Vec<String>,
    #[serde(default)]
    max_gap: Option<usize>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    barriers: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Element {
    Head,
    Tail,
    /// Indices into [`RuleSet::words`], sorted.
    Words(Vec<usize>),
}

/// One compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The rule's name, recorded on every edge it makes.
    pub name: String,
    /// The relation it creates.
    pub relation: String,
    /// Higher wins when rules disagree about two entities.
    pub priority: i32,
    elements: Vec<Element>,
    head_types: Vec<String>,
    tail_types: Vec<String>,
    max_gap: usize,
    unless: Vec<usize>,
    barriers: Vec<char>,
}

/// A mention as the rules see it.
#[derive(Clone, Copy, Debug)]
pub struct RuleMention<'a> {
    /// The entity, as an opaque number (hits refer back to mentions by position in the slice).
    pub entity: usize,
    /// The entity's type.
    pub kind: &'a str,
    /// Byte range in the normalised text.
    pub range: (usize, usize),
}

/// A rule that fired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule in the set.
    pub rule: usize,
    /// Index of the head mention in the slice given to [`RuleSet::apply`].
    pub head: usize,
    /// Index of the tail mention.
    pub tail: usize,
    /// Byte range of the trigger words (with a short gap before them) in the normalised text.
    pub trigger: Option<Range<usize>>,
}

/// A compiled rules file.
#[derive(Clone, Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    words: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl RuleSet {
    /// The built-in rules.
    pub fn builtin() -> Result<Self> {
        Self::parse(BUILTIN_RULES, "builtin:rules.toml")
    }

    /// Reads a rules file.
    pub fn load(path: &std::path::Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let name = path.display().to_string();
        let text = crate::input::decode(&bytes).map_err(|message| Error::Rules {
            path: name.clone(),
            line: 1,
            column: 1,
            message,
        })?;
        Self::parse(&text.text, &name)
    }

    /// Parses rules from TOML text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self> {
        let err = |at: usize, message: String| {
            let (line, column) = line_column(text, at);
            Error::Rules { path: file.to_string(), line, column, message }
        };
        let parsed: RulesFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            err(at, e.message().trim().to_string())
        })?;
        let mut words: Vec<String> = Vec::new();
        let mut word_id: HashMap<String, usize> = HashMap::new();
        let mut intern = |w: &str| -> usize {
            let w = crate::text::normalize_name(w);
            let next = word_id.len();
            let id = *word_id.entry(w.clone()).or_insert(next);
            if id == next {
                words.push(w);
            }
            id
        };
        let mut lists: HashMap<&str, Vec<usize>> = HashMap::new();
        for (name, list) in &parsed.words {
            let mut ids: Vec<usize> = list.iter().filter(|w| !w.trim().is_empty()).map(|w| intern(w)).collect();
            ids.sort_unstable();
            ids.dedup();
            lists.insert(name, ids);
        }
        let mut rules = Vec::new();
        let mut names = HashMap::new();
        for spanned in &parsed.rules {
            let at = spanned.span().start;
            let def = spanned.get_ref();
            if let Some(first) = names.insert(def.name.clone(), at) {
                let (line, _) = line_column(text, first);
                return Err(err(at, format!("rule name '{}' is already used at line {line}", def.name)));
            }
            let word_set = |spec: &str, intern: &mut dyn FnMut(&str) -> usize| -> Result<Vec<usize>> {
                if let Some(list) = spec.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                    return lists.get(list).cloned().ok_or_else(|| {
                        err(at, format!("rule '{}': no word list named '{list}' in [words]", def.name))
                    });
                }
                let mut ids: Vec<usize> = spec.split('|').filter(|w| !w.is_empty()).map(intern).collect();
                ids.sort_unstable();
                ids.dedup();
                Ok(ids)
            };
            let mut elements = Vec::new();
            for token in def.pattern.split_whitespace() {
                elements.push(match token {
                    "{head}" => Element::Head,
                    "{tail}" => Element::Tail,
                    t if t.starts_with('{') => {
                        return Err(err(
                            at,
                            format!("rule '{}': unknown slot {t} (use {{head}} or {{tail}})", def.name),
                        ))
                    }
                    t => Element::Words(word_set(t, &mut intern)?),
                });
            }
            for slot in [Element::Head, Element::Tail] {
                if elements.iter().filter(|e| **e == slot).count() != 1 {
                    return Err(err(
                        at,
                        format!("rule '{}': the pattern needs exactly one {{head}} and one {{tail}}", def.name),
                    ));
                }
            }
            if def.relation.trim().is_empty() {
                return Err(err(at, format!("rule '{}': empty relation", def.name)));
            }
            let mut unless = Vec::new();
            for spec in &def.unless {
                unless.extend(word_set(spec, &mut intern)?);
            }
            rules.push(Rule {
                name: def.name.clone(),
                relation: def.relation.trim().to_string(),
                priority: def.priority,
                elements,
                head_types: def.head.clone(),
                tail_types: def.tail.clone(),
                max_gap: def.max_gap.unwrap_or(DEFAULT_MAX_GAP),
                unless,
                barriers: def.barriers.as_deref().unwrap_or(DEFAULT_BARRIERS).chars().collect(),
            });
        }
        let automaton = if words.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&words).map_err(|e| err(0, format!("cannot compile the trigger words: {e}")))?)
        };
        Ok(RuleSet { rules, words, automaton })
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Applies every rule to one sentence (`sentence`, a byte range of the normalised `text`) whose mentions are
    /// `mentions` (in text order). Returns the hits that survive priority resolution, in rule order.
    pub fn apply(&self, text: &str, sentence: Range<usize>, mentions: &[RuleMention]) -> Vec<Hit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        if mentions.len() < 2 {
            return Vec::new();
        }
        let inside_mention = |s: usize, e: usize| mentions.iter().any(|m| s < m.range.1 && m.range.0 < e);
        let occurrences: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(&text[sentence.clone()])
            .map(|m| (m.pattern().as_usize(), sentence.start + m.start(), sentence.start + m.end()))
            .filter(|&(_, s, e)| !inside_mention(s, e))
            .collect();
        let ctx = Ctx { text, mentions, occurrences: &occurrences };
        let mut hits: Vec<Hit> = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
            let mut bound = Vec::with_capacity(rule.elements.len());
            ctx.search(rule, index, &mut bound, &mut hits);
        }
        // Within one pair of entities, only the highest priority counts; the same edge is reported once.
        let pair = |h: &Hit| {
            let (a, b) = (mentions[h.head].entity, mentions[h.tail].entity);
            (a.min(b), a.max(b))
        };
        let mut best: HashMap<(usize, usize), i32> = HashMap::new();
        for h in &hits {
            let p = self.rules[h.rule].priority;
            best.entry(pair(h)).and_modify(|b| *b = (*b).max(p)).or_insert(p);
        }
        let mut seen = Vec::new();
        hits.retain(|h| {
            let key = (mentions[h.head].entity, self.rules[h.rule].relation.as_str(), mentions[h.tail].entity);
            let keep = self.rules[h.rule].priority == best[&pair(h)] && !seen.contains(&key);
            if keep {
                seen.push(key);
            }
            keep
        });
        hits
    }

    /// The trigger word with this index.
    pub fn word(&self, id: usize) -> &str {
        &self.words[id]
    }
}

/// A bound pattern element: its byte range, and the mention index for slots.
type Bound = (usize, usize, Option<usize>);

struct Ctx<'a> {
    text: &'a str,
    mentions: &'a [RuleMention<'a>],
    occurrences: &'a [(usize, usize, usize)],
}

impl Ctx<'_> {
    fn search(&self, rule: &Rule, index: usize, bound: &mut Vec<Bound>, hits: &mut Vec<Hit>) {
        let i = bound.len();
        if i == rule.elements.len() {
            if let Some(hit) = self.finish(rule, index, bound) {
                hits.push(hit);
            }
            return;
        }
        let candidates: Vec<Bound> = match &rule.elements[i] {
            Element::Head | Element::Tail => {
                let types = if rule.elements[i] == Element::Head { &rule.head_types } else { &rule.tail_types };
                (0..self.mentions.len())
                    .filter(|&m| accepts(types, self.mentions[m].kind))
                    .map(|m| (self.mentions[m].range.0, self.mentions[m].range.1, Some(m)))
                    .collect()
            }
            Element::Words(ids) => self
                .occurrences
                .iter()
                .filter(|o| ids.binary_search(&o.0).is_ok())
                .map(|&(_, s, e)| (s, e, None))
                .collect(),
        };
        for cand in candidates {
            if let Some(&(_, prev_end, prev_mention)) = bound.last() {
                if cand.0 < prev_end || !self.gap_ok(rule, i, prev_end, cand.0, prev_mention, cand.2) {
                    continue;
                }
            }
            bound.push(cand);
            self.search(rule, index, bound, hits);
            bound.pop();
        }
    }

    /// May the text between elements `i - 1` and `i` (bytes `from..to`) separate them?
    fn gap_ok(&self, rule: &Rule, i: usize, from: usize, to: usize, a: Option<usize>, b: Option<usize>) -> bool {
        let gap = &self.text[from..to];
        if gap.chars().count() > rule.max_gap || gap.contains(|c| rule.barriers.contains(&c)) {
            return false;
        }
        // The nearest mention of a type the neighbouring slot accepts wins.
        let slot_types = |e: &Element| match e {
            Element::Head => Some(&rule.head_types),
            Element::Tail => Some(&rule.tail_types),
            Element::Words(_) => None,
        };
        let neighbours = [slot_types(&rule.elements[i - 1]), slot_types(&rule.elements[i])];
        !self.mentions.iter().enumerate().any(|(m, mention)| {
            Some(m) != a
                && Some(m) != b
                && mention.range.0 < to
                && from < mention.range.1
                && neighbours.iter().flatten().any(|types| accepts(types, mention.kind))
        })
    }

    fn finish(&self, rule: &Rule, index: usize, bound: &[Bound]) -> Option<Hit> {
        let slot = |e: Element| bound[rule.elements.iter().position(|x| *x == e)?].2;
        let (head, tail) = (slot(Element::Head)?, slot(Element::Tail)?);
        if self.mentions[head].entity == self.mentions[tail].entity {
            return None;
        }
        let start = bound.first()?.0;
        let end = bound.last()?.1;
        // Cancel words: in the matched text or shortly before it.
        let window_start = self.text[..start].char_indices().rev().take(rule.max_gap).last().map_or(start, |(i, _)| i);
        if self.occurrences.iter().any(|o| rule.unless.binary_search(&o.0).is_ok() && o.1 >= window_start && o.2 <= end)
        {
            return None;
        }
        // The trigger: the last run of word elements, with a short mention-free gap before it.
        let last_word = rule.elements.iter().rposition(|e| matches!(e, Element::Words(_)));
        let trigger = last_word.map(|last| {
            let mut first = last;
            while first > 0 && matches!(rule.elements[first - 1], Element::Words(_)) {
                first -= 1;
            }
            let mut start = bound[first].0;
            if first > 0 {
                let prev_end = bound[first - 1].1;
                let gap = &self.text[prev_end..start];
                let gap_has_mention = self.mentions.iter().any(|m| m.range.0 < start && prev_end < m.range.1);
                if gap.chars().count() <= TRIGGER_PREFIX && !gap_has_mention {
                    start = prev_end;
                }
            }
            start..bound[last].1
        });
        Some(Hit { rule: index, head, tail, trigger })
    }
}

fn accepts(types: &[String], kind: &str) -> bool {
    types.is_empty() || types.iter().any(|t| t == kind)
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_rules_parse() {
        let rules = RuleSet::builtin().unwrap();
        assert!(rules.rules().len() >= 3);
        for relation in ["leads", "located-in", "invests-in"] {
            assert!(rules.rules().iter().any(|r| r.relation == relation), "no {relation} rule");
        }
    }

    #[test]
    fn bad_rules_files_are_errors_with_line_and_column() {
        let table = [
            ("[[rule]]\nname = \"x\"\nrelation = \n", "t.toml:3:12:"),
            ("[[rule]]\nname = \"x\"\nrelation = \"r\"\npattern = \"{head} [nope] {tail}\"\n", "t.toml:1:1: rule 'x': no word list named 'nope'"),
            ("[[rule]]\nname = \"x\"\nrelation = \"r\"\npattern = \"{head} 在\"\n", "t.toml:1:1: rule 'x': the pattern needs exactly one {head} and one {tail}"),
            ("[[rule]]\nname = \"x\"\nrelation = \"r\"\npattern = \"{head} {who} {tail}\"\n", "t.toml:1:1: rule 'x': unknown slot {who}"),
            ("\n[[rule]]\nname = \"x\"\nrelation = \"r\"\npattern = \"{head} 在 {tail}\"\ncolour = 1\n", "t.toml:6:1: unknown field `colour`"),
            ("[[rule]]\nname = \"x\"\nrelation = \"r\"\npattern = \"{head} 在 {tail}\"\n[[rule]]\nname = \"x\"\nrelation = \"r\"\npattern = \"{head} 在 {tail}\"\n", "t.toml:5:1: rule name 'x' is already used at line 1"),
        ];
        for (text, want) in table {
            let got = RuleSet::parse(text, "t.toml").unwrap_err().to_string();
            assert!(got.starts_with(want), "{text:?}: got {got:?}, want {want:?}");
        }
    }
}

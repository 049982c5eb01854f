//! Compiling raw rules: every literal word and word list goes into one table of trigger words (one Aho–Corasick
//! automaton finds them all in a sentence), every pattern into elements and the gaps between them, and every rule
//! is checked for what makes it unusable (a slot missing or doubled, an unknown context, a gap longer than a
//! sentence). Errors here are messages; the caller places them at the rule in its file.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::AhoCorasick;

use super::parse::RuleDef;
use super::{Context, Element, Role, Rule, RuleSet};
use crate::error::{Error, Result};
use crate::read::text::{normalize_name, MAX_SENTENCE_CHARS};

const DEFAULT_MAX_GAP: usize = 4;
const DEFAULT_BARRIERS: &str = ",;:";
const DEFAULT_SEPARATORS: &[&str] = &["、", "和", "及", "与", "以及"];

/// A compiled pattern: its elements and the most characters allowed before each.
struct Pattern {
    elements: Vec<Element>,
    /// `gaps[i]`: the most characters allowed between elements `i - 1` and `i`.
    gaps: Vec<usize>,
    anchored: bool,
    anchored_end: bool,
}

/// A rule set being built, one file after another: the trigger words so far, the word lists by name (a later
/// file's list replaces an earlier one) and the rules (a later rule replaces the earlier one of its name).
#[derive(Default)]
pub(super) struct Compiler {
    words: Vec<String>,
    word_id: HashMap<String, usize>,
    lists: HashMap<String, Vec<usize>>,
    rules: Vec<Rule>,
}

impl Compiler {
    /// The id of a trigger word (normalised), added to the table if new.
    fn intern(&mut self, w: &str) -> usize {
        let w = normalize_name(w);
        let next = self.word_id.len();
        let id = *self.word_id.entry(w.clone()).or_insert(next);
        if id == next {
            self.words.push(w);
        }
        id
    }

    /// Adds a file's word lists (already checked for empty words), replacing earlier ones of the same name.
    pub(super) fn add_lists(&mut self, lists: &BTreeMap<String, Vec<String>>) {
        for (name, list) in lists {
            let mut ids: Vec<usize> = list.iter().map(|w| self.intern(w)).collect();
            ids.sort_unstable();
            ids.dedup();
            self.lists.insert(name.clone(), ids);
        }
    }

    /// The sorted word ids of one word element: `[list]` or literal words joined by `|`.
    fn word_set(&mut self, spec: &str) -> std::result::Result<Vec<usize>, String> {
        if let Some(list) = spec.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            return self.lists.get(list).cloned().ok_or_else(|| format!("no word list named '{list}' in [words]"));
        }
        if spec.split('|').any(|w| normalize_name(w).is_empty()) {
            return Err(format!("'{spec}' holds an empty word (check for || or a | at an end)"));
        }
        let mut ids: Vec<usize> = spec.split('|').map(|w| self.intern(w)).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The sorted word ids of several word elements together (a rule's `unless` or `unless_except`).
    fn word_sets(&mut self, specs: &[String]) -> std::result::Result<Vec<usize>, String> {
        let mut ids = Vec::new();
        for spec in specs {
            ids.extend(self.word_set(spec)?);
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Compiles one rule; the error is a message about it. The checks run in a fixed order, so a rule with several
    /// faults always reports the same one.
    pub(super) fn compile(&mut self, def: &RuleDef) -> std::result::Result<Rule, String> {
        let max_gap = def.max_gap.unwrap_or(DEFAULT_MAX_GAP);
        if max_gap > MAX_SENTENCE_CHARS {
            return Err(format!(
                "max_gap {max_gap} is longer than a sentence can be ({MAX_SENTENCE_CHARS} characters)"
            ));
        }
        let pattern = self.pattern(&def.pattern, max_gap)?;
        let context = context(def)?;
        check_slots(&pattern.elements, context.as_ref())?;
        if !def.chain.is_empty() && !matches!(pattern.elements.last(), Some(Element::Slot { list: false, .. })) {
            return Err("chain needs a pattern that ends with a single {head} or {tail}".into());
        }
        if def.relation.trim().is_empty() {
            return Err("empty relation".into());
        }
        let unless = self.word_sets(&def.unless)?;
        let unless_except = self.word_sets(&def.unless_except)?;
        let unless_in_clause = match def.unless_scope.as_deref() {
            None | Some("match") => false,
            Some("clause") => true,
            Some(other) => return Err(format!("unless_scope '{other}' is not \"match\" or \"clause\"")),
        };
        let separators = match &def.separators {
            Some(s) => s.clone(),
            None => DEFAULT_SEPARATORS.iter().map(|s| s.to_string()).collect(),
        };
        Ok(Rule {
            name: def.name.as_str().into(),
            relation: def.relation.trim().into(),
            priority: def.priority,
            elements: pattern.elements,
            gaps: pattern.gaps,
            anchored: pattern.anchored,
            anchored_end: pattern.anchored_end,
            head_types: def.head.clone(),
            tail_types: def.tail.clone(),
            context,
            unless,
            unless_except,
            unless_in_clause,
            barriers: def.barriers.as_deref().unwrap_or(DEFAULT_BARRIERS).chars().collect(),
            chain: def.chain.iter().map(|s| normalize_name(s)).filter(|s| !s.is_empty()).collect(),
            separators,
        })
    }

    /// Compiles a pattern: slots, word elements, `^` first, `$` last, and `~N` between two elements.
    fn pattern(&mut self, pattern: &str, max_gap: usize) -> std::result::Result<Pattern, String> {
        let mut out = Pattern { elements: Vec::new(), gaps: vec![0], anchored: false, anchored_end: false };
        let mut pending_gap = None;
        let tokens: Vec<&str> = pattern.split_whitespace().collect();
        for (i, token) in tokens.iter().enumerate() {
            let element = match *token {
                "^" if i == 0 => {
                    out.anchored = true;
                    continue;
                }
                "^" => return Err("^ (clause start) may only begin a pattern".into()),
                "$" if i + 1 == tokens.len() && i > 0 && pending_gap.is_none() => {
                    out.anchored_end = true;
                    continue;
                }
                "$" => return Err("$ (clause end) may only end a pattern".into()),
                t if t.starts_with('~') => {
                    let n = t[1..].parse::<usize>().map_err(|_| format!("{t} is not ~ and a number"))?;
                    if n > MAX_SENTENCE_CHARS {
                        return Err(format!("{t} is longer than a sentence can be"));
                    }
                    if out.elements.is_empty() || pending_gap.is_some() || i + 1 == tokens.len() {
                        return Err(format!("{t} must stand between two elements"));
                    }
                    pending_gap = Some(n);
                    continue;
                }
                "{head}" => Element::Slot { role: Role::Head, list: false },
                "{tail}" => Element::Slot { role: Role::Tail, list: false },
                "{head*}" => Element::Slot { role: Role::Head, list: true },
                "{tail*}" => Element::Slot { role: Role::Tail, list: true },
                t if t.starts_with('{') => {
                    return Err(format!("unknown slot {t} (use {{head}}, {{tail}}, {{head*}} or {{tail*}})"))
                }
                t => Element::Words(self.word_set(t)?),
            };
            if !out.elements.is_empty() {
                out.gaps.push(pending_gap.take().unwrap_or(max_gap));
            }
            out.elements.push(element);
        }
        Ok(out)
    }

    /// Adds a compiled rule: in the place of an earlier rule of its name, or after the others.
    pub(super) fn add(&mut self, rule: Rule) {
        match self.rules.iter_mut().find(|r| r.name == rule.name) {
            Some(earlier) => *earlier = rule,
            None => self.rules.push(rule),
        }
    }

    /// The finished set, with the automaton over all trigger words; `path` names the last file in an error.
    pub(super) fn finish(self, path: &str) -> Result<RuleSet> {
        let automaton = if self.words.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&self.words).map_err(|e| Error::Rules {
                path: path.to_string(),
                line: 1,
                column: 1,
                message: format!("cannot compile the trigger words: {e}"),
            })?)
        };
        Ok(RuleSet { rules: self.rules, words: self.words, automaton })
    }
}

/// The argument a rule takes from the document (`head_from` or `tail_from`, with `topic_suffix`), if any.
fn context(def: &RuleDef) -> std::result::Result<Option<(Role, Context)>, String> {
    let from = match (&def.head_from, &def.tail_from) {
        (Some(_), Some(_)) => return Err("give head_from or tail_from, not both".into()),
        (Some(from), None) => Some((Role::Head, from)),
        (None, Some(from)) => Some((Role::Tail, from)),
        (None, None) => None,
    };
    let context = match from {
        None => None,
        Some((role, from)) => Some((
            role,
            match from.as_str() {
                "topic" => Context::Topic(def.topic_suffix.clone()),
                "recent" => Context::Recent(def.topic_suffix.clone()),
                other => return Err(format!("'{other}' is not a context (use \"topic\" or \"recent\")")),
            },
        )),
    };
    if def.topic_suffix.is_some() && context.is_none() {
        return Err("topic_suffix needs head_from or tail_from".into());
    }
    Ok(context)
}

/// Checks that the pattern holds exactly one slot of each role, none for the role the document context fills.
fn check_slots(elements: &[Element], context: Option<&(Role, Context)>) -> std::result::Result<(), String> {
    for role in [Role::Head, Role::Tail] {
        let slots = elements.iter().filter(|e| matches!(e, Element::Slot { role: r, .. } if *r == role)).count();
        let from_context = context.is_some_and(|(r, _)| *r == role);
        let want = usize::from(!from_context);
        if slots != want {
            let slot = if role == Role::Head { "{head}" } else { "{tail}" };
            return Err(if from_context {
                format!("the pattern may not hold {slot}: it comes from the document context")
            } else {
                format!("the pattern needs exactly one {slot}")
            });
        }
    }
    Ok(())
}

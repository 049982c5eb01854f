//! Relation rules: an editable TOML file that turns mentions in a sentence into typed, directed edges.
//!
//! A rule's `pattern` is a sequence of elements separated by spaces:
//!
//! | element | matches |
//! |---|---|
//! | `{head}`, `{tail}` | a mention of a type the rule's `head` / `tail` list accepts |
//! | `{head*}`, `{tail*}` | an enumeration of such mentions (`A、B和C`): one edge per item |
//! | `[list]` | any word of a word list defined under `[words]` |
//! | `word\|word` | any of these literal words |
//! | `^` (first only) | the start of a clause: the next element follows punctuation or starts the sentence |
//! | `~N` | between two elements: at most N characters there (instead of `max_gap`) |
//!
//! Consecutive elements may be separated by at most `max_gap` characters of other text, which may not contain a
//! barrier character (by default `,;:`) nor another mention of a type the neighbouring slot accepts, so the
//! nearest mention wins. Trigger words inside entity names never count.
//!
//! A rule may take one argument from the document instead of the sentence: `head_from` or `tail_from` is
//! `"topic"` (the document's most-mentioned entity of the slot's types, optionally only those whose name ends with
//! `topic_suffix`) or `"recent"` (the last entity of those types mentioned before the match). Its pattern then has
//! no slot for that argument.
//!
//! `chain = ["、", ","]` lets the part of the pattern before its final slot repeat, separated by one of these
//! separators, each repetition giving an edge to the final slot's mention (北京潍坊企业商会会长、北京姿美堂…董事长
//! 徐熙明 → 徐熙明 leads both).
//!
//! A rule does not fire when one of its `unless` words occurs in the matched text after its last `、` (earlier
//! items of a list of posts are other posts), or with `unless_scope = "clause"` anywhere in the clause around the
//! match (between barrier characters). When rules that disagree match the same two entities in a sentence, only
//! those of the highest `priority` count.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use crate::error::{Error, Result};

/// The built-in rules, embedded so the binary runs from any directory.
pub const BUILTIN_RULES: &str = include_str!("../../../dictionaries/rules.toml");

const DEFAULT_MAX_GAP: usize = 4;
const DEFAULT_BARRIERS: &str = ",;:";
const DEFAULT_SEPARATORS: &[&str] = &["、", "和", "及", "与", "以及"];
/// A run of trigger words' text extends back over the gap before it when the gap is at most this long (so a
/// `leads` edge keeps the whole list of posts: 党组书记、局长).
const TRIGGER_PREFIX: usize = 12;
/// Characters that may surround an enumeration's items besides the separators.
const LIST_PADDING: &[char] = &[' ', '“', '”', '"', '\'', '‘', '’', '「', '」', '『', '』', '《', '》'];

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
    head_from: Option<String>,
    #[serde(default)]
    tail_from: Option<String>,
    #[serde(default)]
    topic_suffix: Option<String>,
    #[serde(default)]
    max_gap: Option<usize>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    unless_scope: Option<String>,
    #[serde(default)]
    unless_except: Vec<String>,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    barriers: Option<String>,
    #[serde(default)]
    chain: Vec<String>,
    #[serde(default)]
    separators: Option<Vec<String>>,
}

/// Which end of an edge a slot fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The edge's source.
    Head,
    /// The edge's target.
    Tail,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Element {
    Slot {
        role: Role,
        list: bool,
    },
    /// Indices into [`RuleSet::words`], sorted.
    Words(Vec<usize>),
}

/// Where a rule argument that is not in the sentence comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Context {
    /// The document's most-mentioned entity of the slot's types (whose name ends with the suffix, if given).
    Topic(Option<String>),
    /// The last entity of the slot's types mentioned before the match (whose name ends with the suffix, if given).
    Recent(Option<String>),
}

/// One compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The rule's name, recorded on every edge it makes.
    pub name: std::sync::Arc<str>,
    /// The relation it creates.
    pub relation: std::sync::Arc<str>,
    /// Higher wins when rules disagree about two entities.
    pub priority: i32,
    elements: Vec<Element>,
    /// `gaps[i]`: the most characters allowed between elements `i - 1` and `i`.
    gaps: Vec<usize>,
    anchored: bool,
    /// `$`: the match ends its clause (punctuation or the sentence's end follows).
    anchored_end: bool,
    head_types: Vec<String>,
    tail_types: Vec<String>,
    context: Option<(Role, Context)>,
    unless: Vec<usize>,
    /// Words inside which a cancel word does not count (签约落户 settles, 签约 alone does not).
    unless_except: Vec<usize>,
    /// Cancel words count anywhere in the clause, not just in the match.
    unless_in_clause: bool,
    barriers: Vec<char>,
    chain: Vec<String>,
    separators: Vec<String>,
}

impl Rule {
    fn types(&self, role: Role) -> &[String] {
        match role {
            Role::Head => &self.head_types,
            Role::Tail => &self.tail_types,
        }
    }

    /// The argument taken from the document rather than the sentence, if any.
    pub fn context(&self) -> Option<&(Role, Context)> {
        self.context.as_ref()
    }
}

/// A mention as the rules see it.
#[derive(Clone, Copy, Debug)]
pub struct RuleMention<'a> {
    /// The entity, as an opaque number.
    pub entity: usize,
    /// The entity's type.
    pub kind: &'a str,
    /// The entity's canonical name (for `topic_suffix`).
    pub name: &'a str,
    /// Byte range in the normalised text.
    pub range: (usize, usize),
}

/// What the rules may ask about the document around a sentence.
pub trait DocumentContext {
    /// The document's most-mentioned entity of one of `types` (any type if empty) whose canonical name ends with
    /// `suffix`; ties go to the entity mentioned first.
    fn topic(&self, types: &[String], suffix: Option<&str>) -> Option<usize>;
    /// The entity of one of `types` mentioned last before normalised byte offset `before`.
    fn recent(&self, types: &[String], suffix: Option<&str>, before: usize) -> Option<usize>;
}

/// One end of a hit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A mention of the sentence: its index in the slice given to [`RuleSet::apply`].
    Mention(usize),
    /// An entity from the document context, referred to by the words at `at` (normalised byte range).
    Context {
        /// The entity.
        entity: usize,
        /// Where the sentence refers to it.
        at: Range<usize>,
    },
}

impl Arg {
    /// The entity this argument is.
    pub fn entity(&self, mentions: &[RuleMention]) -> usize {
        match self {
            Arg::Mention(m) => mentions[*m].entity,
            Arg::Context { entity, .. } => *entity,
        }
    }
}

/// A rule that fired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule in the set.
    pub rule: usize,
    /// The head.
    pub head: Arg,
    /// The tail.
    pub tail: Arg,
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

    /// Reads a rules file on its own.
    pub fn load(path: &std::path::Path) -> Result<Self> {
        Self::load_with(path, false)
    }

    /// Reads a rules file; with `builtin`, on top of the built-in rules (it adds rules and replaces those of the
    /// same name, and may use the built-in word lists).
    pub fn load_with(path: &std::path::Path, builtin: bool) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let name = path.display().to_string();
        let text = crate::read::input::decode(&bytes).map_err(|message| Error::Rules {
            path: name.clone(),
            line: 1,
            column: 1,
            message,
        })?;
        if builtin {
            Self::parse_files(&[(BUILTIN_RULES, "builtin:rules.toml"), (&text.text, &name)])
        } else {
            Self::parse(&text.text, &name)
        }
    }

    /// Parses rules from TOML text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self> {
        Self::parse_files(&[(text, file)])
    }

    /// Parses several rules files as one set, in order: a later file's word list replaces an earlier one of the
    /// same name, and so does a rule (in its place); other rules are added after. A later file may use the word
    /// lists of the earlier ones.
    pub fn parse_files(files: &[(&str, &str)]) -> Result<Self> {
        let mut words: Vec<String> = Vec::new();
        let mut word_id: HashMap<String, usize> = HashMap::new();
        let mut intern = |w: &str| -> usize {
            let w = crate::read::text::normalize_name(w);
            let next = word_id.len();
            let id = *word_id.entry(w.clone()).or_insert(next);
            if id == next {
                words.push(w);
            }
            id
        };
        let mut lists: HashMap<String, Vec<usize>> = HashMap::new();
        let mut rules: Vec<Rule> = Vec::new();
        for &(text, file) in files {
            let err = |at: usize, message: String| {
                let (line, column) = line_column(text, at);
                Error::Rules { path: file.to_string(), line, column, message }
            };
            let parsed: RulesFile = toml::from_str(text).map_err(|e| {
                let at = e.span().map_or(0, |s| s.start);
                err(at, e.message().trim().to_string())
            })?;
            for (name, list) in &parsed.words {
                if list.iter().any(|w| crate::read::text::normalize_name(w).is_empty()) {
                    let at = text.find(&format!("\n{name}")).map_or(0, |i| i + 1);
                    return Err(err(at, format!("word list '{name}' holds an empty word")));
                }
                let mut ids: Vec<usize> = list.iter().map(|w| intern(w)).collect();
                ids.sort_unstable();
                ids.dedup();
                lists.insert(name.clone(), ids);
            }
            let mut names = HashMap::new();
            for spanned in &parsed.rules {
                let at = spanned.span().start;
                let def = spanned.get_ref();
                let fail = |message: String| err(at, format!("rule '{}': {message}", def.name));
                if let Some(first) = names.insert(def.name.clone(), at) {
                    let (line, _) = line_column(text, first);
                    return Err(err(at, format!("rule name '{}' is already used at line {line}", def.name)));
                }
                let mut word_set = |spec: &str| -> Result<Vec<usize>> {
                    if let Some(list) = spec.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                        return lists
                            .get(list)
                            .cloned()
                            .ok_or_else(|| fail(format!("no word list named '{list}' in [words]")));
                    }
                    if spec.split('|').any(|w| crate::read::text::normalize_name(w).is_empty()) {
                        return Err(fail(format!("'{spec}' holds an empty word (check for || or a | at an end)")));
                    }
                    let mut ids: Vec<usize> = spec.split('|').map(&mut intern).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    Ok(ids)
                };
                let max_gap = def.max_gap.unwrap_or(DEFAULT_MAX_GAP);
                let too_long = |gap: usize| gap > crate::read::text::MAX_SENTENCE_CHARS;
                if too_long(max_gap) {
                    return Err(fail(format!(
                        "max_gap {max_gap} is longer than a sentence can be ({} characters)",
                        crate::read::text::MAX_SENTENCE_CHARS
                    )));
                }
                let mut elements = Vec::new();
                let mut gaps = vec![0];
                let mut pending_gap = None;
                let mut anchored = false;
                let mut anchored_end = false;
                let tokens: Vec<&str> = def.pattern.split_whitespace().collect();
                for (i, token) in tokens.iter().enumerate() {
                    let element = match *token {
                        "^" if i == 0 => {
                            anchored = true;
                            continue;
                        }
                        "^" => return Err(fail("^ (clause start) may only begin a pattern".into())),
                        "$" if i + 1 == tokens.len() && i > 0 && pending_gap.is_none() => {
                            anchored_end = true;
                            continue;
                        }
                        "$" => return Err(fail("$ (clause end) may only end a pattern".into())),
                        t if t.starts_with('~') => {
                            let n = t[1..].parse::<usize>().map_err(|_| fail(format!("{t} is not ~ and a number")))?;
                            if too_long(n) {
                                return Err(fail(format!("{t} is longer than a sentence can be")));
                            }
                            if elements.is_empty() || pending_gap.is_some() || i + 1 == tokens.len() {
                                return Err(fail(format!("{t} must stand between two elements")));
                            }
                            pending_gap = Some(n);
                            continue;
                        }
                        "{head}" => Element::Slot { role: Role::Head, list: false },
                        "{tail}" => Element::Slot { role: Role::Tail, list: false },
                        "{head*}" => Element::Slot { role: Role::Head, list: true },
                        "{tail*}" => Element::Slot { role: Role::Tail, list: true },
                        t if t.starts_with('{') => {
                            return Err(fail(format!(
                                "unknown slot {t} (use {{head}}, {{tail}}, {{head*}} or {{tail*}})"
                            )))
                        }
                        t => Element::Words(word_set(t)?),
                    };
                    if !elements.is_empty() {
                        gaps.push(pending_gap.take().unwrap_or(max_gap));
                    }
                    elements.push(element);
                }
                let context = match (&def.head_from, &def.tail_from) {
                    (Some(_), Some(_)) => return Err(fail("give head_from or tail_from, not both".into())),
                    (Some(from), None) => Some((Role::Head, from)),
                    (None, Some(from)) => Some((Role::Tail, from)),
                    (None, None) => None,
                };
                let context = match context {
                    None => None,
                    Some((role, from)) => Some((
                        role,
                        match from.as_str() {
                            "topic" => Context::Topic(def.topic_suffix.clone()),
                            "recent" => Context::Recent(def.topic_suffix.clone()),
                            other => {
                                return Err(fail(format!("'{other}' is not a context (use \"topic\" or \"recent\")")))
                            }
                        },
                    )),
                };
                if def.topic_suffix.is_some() && context.is_none() {
                    return Err(fail("topic_suffix needs head_from or tail_from".into()));
                }
                for role in [Role::Head, Role::Tail] {
                    let slots =
                        elements.iter().filter(|e| matches!(e, Element::Slot { role: r, .. } if *r == role)).count();
                    let from_context = context.as_ref().is_some_and(|(r, _)| *r == role);
                    let want = usize::from(!from_context);
                    if slots != want {
                        let slot = if role == Role::Head { "{head}" } else { "{tail}" };
                        return Err(fail(if from_context {
                            format!("the pattern may not hold {slot}: it comes from the document context")
                        } else {
                            format!("the pattern needs exactly one {slot}")
                        }));
                    }
                }
                if !def.chain.is_empty() && !matches!(elements.last(), Some(Element::Slot { list: false, .. })) {
                    return Err(fail("chain needs a pattern that ends with a single {head} or {tail}".into()));
                }
                if def.relation.trim().is_empty() {
                    return Err(fail("empty relation".into()));
                }
                let mut unless = Vec::new();
                for spec in &def.unless {
                    unless.extend(word_set(spec)?);
                }
                unless.sort_unstable();
                let mut unless_except = Vec::new();
                for spec in &def.unless_except {
                    unless_except.extend(word_set(spec)?);
                }
                unless_except.sort_unstable();
                let unless_in_clause = match def.unless_scope.as_deref() {
                    None | Some("match") => false,
                    Some("clause") => true,
                    Some(other) => return Err(fail(format!("unless_scope '{other}' is not \"match\" or \"clause\""))),
                };
                let separators = match &def.separators {
                    Some(s) => s.clone(),
                    None => DEFAULT_SEPARATORS.iter().map(|s| s.to_string()).collect(),
                };
                let rule = Rule {
                    name: def.name.as_str().into(),
                    relation: def.relation.trim().into(),
                    priority: def.priority,
                    elements,
                    gaps,
                    anchored,
                    anchored_end,
                    head_types: def.head.clone(),
                    tail_types: def.tail.clone(),
                    context,
                    unless,
                    unless_except,
                    unless_in_clause,
                    barriers: def.barriers.as_deref().unwrap_or(DEFAULT_BARRIERS).chars().collect(),
                    chain: def
                        .chain
                        .iter()
                        .map(|s| crate::read::text::normalize_name(s))
                        .filter(|s| !s.is_empty())
                        .collect(),
                    separators,
                };
                match rules.iter_mut().find(|r| r.name == rule.name) {
                    Some(earlier) => *earlier = rule,
                    None => rules.push(rule),
                }
            }
        }
        let automaton = if words.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&words).map_err(|e| Error::Rules {
                path: files.last().map_or(String::new(), |f| f.1.to_string()),
                line: 1,
                column: 1,
                message: format!("cannot compile the trigger words: {e}"),
            })?)
        };
        Ok(RuleSet { rules, words, automaton })
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The trigger word with this index.
    pub fn word(&self, id: usize) -> &str {
        &self.words[id]
    }

    /// The trigger words occurring in a sentence outside mentions: (word id, start, end), byte offsets.
    fn occurrences(&self, text: &str, sentence: &Range<usize>, mentions: &[RuleMention]) -> Vec<(usize, usize, usize)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let inside_mention = |s: usize, e: usize| mentions.iter().any(|m| s < m.range.1 && m.range.0 < e);
        automaton
            .find_overlapping_iter(&text[sentence.clone()])
            .map(|m| (m.pattern().as_usize(), sentence.start + m.start(), sentence.start + m.end()))
            .filter(|&(_, s, e)| !inside_mention(s, e))
            .collect()
    }

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
        let occurrences = self.occurrences(text, &sentence, mentions);
        let strict = SentenceMatcher::new(text, sentence.clone(), mentions, &occurrences, context);
        let no_unless = SentenceMatcher {
            ignore_unless: true,
            ..SentenceMatcher::new(text, sentence.clone(), mentions, &occurrences, context)
        };
        let any_type = SentenceMatcher {
            ignore_types: true,
            ..SentenceMatcher::new(text, sentence.clone(), mentions, &occurrences, context)
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
            let reason = (|| -> Option<String> {
                if let Some((role, ctx)) = &rule.context {
                    let types = rule.types(*role);
                    let found = match ctx {
                        Context::Topic(suffix) => context.topic(types, suffix.as_deref()),
                        Context::Recent(suffix) => context.recent(types, suffix.as_deref(), sentence.end),
                    };
                    if found.is_none() {
                        return Some(format!("no {} in the document to refer to", describe_types(types)));
                    }
                }
                let mut raw = Vec::new();
                no_unless.rule_hits(rule, index, &mut raw);
                if !raw.is_empty() {
                    let mut own = Vec::new();
                    strict.rule_hits(rule, index, &mut own);
                    if own.is_empty() {
                        let words: Vec<&str> = occurrences
                            .iter()
                            .filter(|o| rule.unless.binary_search(&o.0).is_ok())
                            .map(|o| self.words[o.0].as_str())
                            .collect();
                        return Some(format!("cancelled by {}", words.join(", ")));
                    }
                    let h = &own[0];
                    let pair = (h.head.entity(mentions), h.tail.entity(mentions));
                    let winner = hits.iter().find(|w| {
                        let p = (w.head.entity(mentions), w.tail.entity(mentions));
                        p == pair || p == (pair.1, pair.0)
                    });
                    return Some(match winner {
                        Some(w) if self.rules[w.rule].priority > rule.priority => format!(
                            "outranked by {} (priority {} > {})",
                            self.rules[w.rule].name, self.rules[w.rule].priority, rule.priority
                        ),
                        Some(w) => format!("the same edge was already made by {}", self.rules[w.rule].name),
                        None => "outranked".to_string(),
                    });
                }
                for bound in any_type.matches(rule, 0..rule.elements.len(), None) {
                    for (k, b) in bound.iter().enumerate() {
                        if let Element::Slot { role, .. } = &rule.elements[k] {
                            let types = rule.types(*role);
                            if let Some(&m) = b.items.iter().find(|&&m| !accepts(types, mentions[m].kind)) {
                                let slot = if *role == Role::Head { "{head}" } else { "{tail}" };
                                return Some(format!(
                                    "type: {} is a {}, and {slot} takes {}",
                                    mentions[m].name,
                                    mentions[m].kind,
                                    describe_types(types)
                                ));
                            }
                        }
                    }
                }
                // Worth saying only when every slot has a mention of its type somewhere in the sentence.
                let ingredients = rule.elements.iter().all(|e| match e {
                    Element::Slot { role, .. } => mentions.iter().any(|m| accepts(rule.types(*role), m.kind)),
                    Element::Words(_) => true,
                });
                ingredients
                    .then(|| "no fit: the words and mentions occur, but not in the pattern's order and gaps".into())
            })();
            if let Some(reason) = reason {
                out.push(NearMiss { rule: index, reason });
            }
        }
        out
    }

    /// Applies every rule to one sentence (`sentence`, a byte range of the normalised `text`) whose mentions are
    /// `mentions` (in text order); `context` answers questions about the rest of the document. Returns the hits
    /// that survive priority resolution, in rule order.
    pub fn apply(
        &self,
        text: &str,
        sentence: Range<usize>,
        mentions: &[RuleMention],
        context: &dyn DocumentContext,
    ) -> Vec<Hit> {
        let occurrences = self.occurrences(text, &sentence, mentions);
        let matcher = SentenceMatcher::new(text, sentence, mentions, &occurrences, context);
        let mut hits: Vec<Hit> = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
            matcher.rule_hits(rule, index, &mut hits);
        }
        // Within one pair of entities, only the highest priority counts; the same edge is reported once.
        let pair = |h: &Hit| {
            let (a, b) = (h.head.entity(mentions), h.tail.entity(mentions));
            (a.min(b), a.max(b))
        };
        let mut best: HashMap<(usize, usize), i32> = HashMap::new();
        for h in &hits {
            let p = self.rules[h.rule].priority;
            best.entry(pair(h)).and_modify(|b| *b = (*b).max(p)).or_insert(p);
        }
        let mut seen = Vec::new();
        hits.retain(|h| {
            let key = (h.head.entity(mentions), &*self.rules[h.rule].relation, h.tail.entity(mentions));
            let keep = self.rules[h.rule].priority == best[&pair(h)] && !seen.contains(&key);
            if keep {
                seen.push(key);
            }
            keep
        });
        hits
    }
}

/// A bound pattern element: its byte range and, for slots, the mentions it holds.
#[derive(Clone, Debug)]
struct Bound {
    start: usize,
    end: usize,
    items: Vec<usize>,
}

/// Why a rule whose trigger words occur in a sentence made no edge there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    /// Index of the rule.
    pub rule: usize,
    /// The reason, for people.
    pub reason: String,
}

/// Takes one from a budget; false when it is spent.
fn take(budget: &std::cell::Cell<usize>) -> bool {
    let left = budget.get();
    budget.set(left.saturating_sub(1));
    left > 0
}

/// Does the text after a list close it: 等, or a count of items (三个, 12家)?
fn closes_list(after: &str) -> bool {
    after.starts_with('等') || crate::read::text::starts_with_count(after, "个家大项座")
}

fn describe_types(types: &[String]) -> String {
    if types.is_empty() {
        "any type".to_string()
    } else {
        types.join(" or ")
    }
}

struct SentenceMatcher<'a> {
    text: &'a str,
    sentence: Range<usize>,
    mentions: &'a [RuleMention<'a>],
    occurrences: &'a [(usize, usize, usize)],
    context: &'a dyn DocumentContext,
    /// For explanations: slots accept mentions of any type.
    ignore_types: bool,
    /// For explanations: cancel words are ignored.
    ignore_unless: bool,
    /// Steps left for the rule being matched: each binding tried costs one.
    steps: std::cell::Cell<usize>,
    /// Hits the rule being matched may still make.
    hits_left: std::cell::Cell<usize>,
}

/// The most steps (bindings tried) one rule may take on one sentence, and the most hits it may make there. A
/// sentence of a few names takes a few dozen steps; a rule with a long gap over hundreds of trigger words or titled
/// names could otherwise take billions (the bindings grow like a power of them). Beyond the budget the rule stops on
/// that sentence: cost stays linear in the input whatever the rules file says.
pub const STEP_BUDGET: usize = 20_000;

impl<'a> SentenceMatcher<'a> {
    fn new(
        text: &'a str,
        sentence: Range<usize>,
        mentions: &'a [RuleMention<'a>],
        occurrences: &'a [(usize, usize, usize)],
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
            steps: std::cell::Cell::new(STEP_BUDGET),
            hits_left: std::cell::Cell::new(STEP_BUDGET),
        }
    }

    fn slot_accepts(&self, types: &[String], kind: &str) -> bool {
        self.ignore_types || accepts(types, kind)
    }

    /// Takes one step of the budget; false when it is spent.
    fn step(&self) -> bool {
        take(&self.steps)
    }

    fn rule_hits(&self, rule: &Rule, index: usize, hits: &mut Vec<Hit>) {
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
    fn matches(&self, rule: &Rule, elements: Range<usize>, end: Option<usize>) -> Vec<Vec<Bound>> {
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

    /// The maximal enumerations (`A、B和C`) of mentions of the role's types. Items of one enumeration are alike:
    /// 天元集团投资的A项目、台州德仕乐 … lists a project, then starts a clause about a company. A list closed by 等 or
    /// a count (A公司、B项目等12个项目; A、B、C三个项目) is one enumeration whatever its items' types.
    fn enumerations(&self, rule: &Rule, role: Role) -> Vec<Bound> {
        let alike = self.runs(rule, role, true);
        let mut out: Vec<Bound> = Vec::new();
        for mixed in self.runs(rule, role, false) {
            let closed = closes_list(self.text[mixed.end..self.sentence.end].trim_start_matches(LIST_PADDING));
            if closed && mixed.items.len() > 1 {
                out.push(mixed);
            } else {
                out.extend(alike.iter().filter(|b| mixed.start <= b.start && b.end <= mixed.end).cloned());
            }
        }
        out
    }

    /// Maximal runs of mentions of the role's types joined by separators, all of one type if `alike`.
    fn runs(&self, rule: &Rule, role: Role, alike: bool) -> Vec<Bound> {
        let types = rule.types(role);
        let mut out: Vec<Bound> = Vec::new();
        let mut current: Option<Bound> = None;
        for (m, mention) in self.mentions.iter().enumerate() {
            if !self.slot_accepts(types, mention.kind) {
                out.extend(current.take());
                continue;
            }
            let (s, e) = mention.range;
            // A company named right before its project (金宏物流现代化物流中心项目): the item is the project.
            let owner_then_project = current.as_ref().is_some_and(|b| {
                let last = &self.mentions[*b.items.last().unwrap_or(&m)];
                b.end == s && last.kind == "company" && mention.kind != "company"
            });
            let kind_of = |b: &Bound| self.mentions[*b.items.last().unwrap_or(&m)].kind;
            current = match current.take() {
                Some(mut b) if owner_then_project => {
                    b.end = e;
                    b.items.pop();
                    b.items.push(m);
                    Some(b)
                }
                Some(mut b)
                    if self.is_separator(rule, &self.text[b.end..s]) && (!alike || kind_of(&b) == mention.kind) =>
                {
                    b.end = e;
                    b.items.push(m);
                    Some(b)
                }
                other => {
                    out.extend(other);
                    Some(Bound { start: s, end: e, items: vec![m] })
                }
            };
        }
        out.extend(current);
        out
    }

    fn is_separator(&self, rule: &Rule, gap: &str) -> bool {
        let core = gap.trim_matches(|c| LIST_PADDING.contains(&c));
        rule.separators.iter().any(|s| s == core)
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
            assert!(rules.rules().iter().any(|r| &*r.relation == relation), "no {relation} rule");
        }
    }

    #[test]
    fn bad_rules_files_are_errors_with_line_and_column() {
        let rule = |pattern: &str, extra: &str| {
            format!("[[rule]]\nname = \"x\"\nrelation = \"r\"\npattern = \"{pattern}\"\n{extra}")
        };
        let table = [
            ("[[rule]]\nname = \"x\"\nrelation = \n".to_string(), "t.toml:3:12:"),
            (rule("{head} [nope] {tail}", ""), "t.toml:1:1: rule 'x': no word list named 'nope'"),
            (rule("{head} 在", ""), "t.toml:1:1: rule 'x': the pattern needs exactly one {tail}"),
            (rule("{head} {who} {tail}", ""), "t.toml:1:1: rule 'x': unknown slot {who}"),
            (rule("{head} 在 ^ {tail}", ""), "t.toml:1:1: rule 'x': ^ (clause start) may only begin"),
            (rule("{head} $ 在 {tail}", ""), "t.toml:1:1: rule 'x': $ (clause end) may only end"),
            (rule("{head} 在 {tail} ~2 $", ""), "t.toml:1:1: rule 'x': $ (clause end) may only end"),
            (rule("~3 {head} 在 {tail}", ""), "t.toml:1:1: rule 'x': ~3 must stand between two elements"),
            (rule("{head} ~x {tail}", ""), "t.toml:1:1: rule 'x': ~x is not ~ and a number"),
            (rule("{head} ~1001 {tail}", ""), "t.toml:1:1: rule 'x': ~1001 is longer than a sentence can be"),
            (rule("{head} 在 {tail}", "max_gap = 5000\n"), "t.toml:1:1: rule 'x': max_gap 5000 is longer than"),
            (rule("{head} 在 {tail}", "max_gap = 18446744073709551616\n"), "t.toml:5:11:"),
            (rule("{head} 在||位于 {tail}", ""), "t.toml:1:1: rule 'x': '在||位于' holds an empty word"),
            (rule("{head} |在 {tail}", ""), "t.toml:1:1: rule 'x': '|在' holds an empty word"),
            (rule("{head} 在 {tail}", "unless = [\"签约|\"]\n"), "t.toml:1:1: rule 'x': '签约|' holds an empty word"),
            (
                format!("[words]\nposts = [\"书记\", \" \"]\n{}", rule("{head} 在 {tail}", "")),
                "t.toml:2:1: word list 'posts' holds an empty word",
            ),
            (
                rule("{head} 在 {tail}", "tail_from = \"topic\"\n"),
                "t.toml:1:1: rule 'x': the pattern may not hold {tail}",
            ),
            (rule("{head} 在", "tail_from = \"nearby\"\n"), "t.toml:1:1: rule 'x': 'nearby' is not a context"),
            (rule("{head} 在 {tail}", "topic_suffix = \"区\"\n"), "t.toml:1:1: rule 'x': topic_suffix needs"),
            (rule("{head} 在 {tail*}", "chain = [\"、\"]\n"), "t.toml:1:1: rule 'x': chain needs a pattern that ends"),
            (rule("{head} 在 {tail}", "unless_scope = \"all\"\n"), "t.toml:1:1: rule 'x': unless_scope 'all' is not"),
            (format!("\n{}colour = 1\n", rule("{head} 在 {tail}", "")), "t.toml:6:1: unknown field `colour`"),
            (
                format!("{}{}", rule("{head} 在 {tail}", ""), rule("{head} 在 {tail}", "")),
                "t.toml:5:1: rule name 'x' is already used at line 1",
            ),
        ];
        for (text, want) in table {
            let got = RuleSet::parse(&text, "t.toml").unwrap_err().to_string();
            assert!(got.starts_with(want), "{text:?}: got {got:?}, want {want:?}");
        }
    }
}

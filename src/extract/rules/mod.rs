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
//!
//! The stage runs in three steps, one file each: `parse.rs` reads TOML into raw rules (errors carry file, line and
//! column), `compile.rs` turns them into patterns over one table of trigger words, and `matcher.rs` applies the
//! compiled set to a sentence (`enumerations.rs` finds the lists for `{head*}` and `{tail*}`); `near_miss.rs`
//! explains why a triggered rule made no edge ([`RuleSet::near_misses`]). This file holds the types the rest of
//! the crate sees.

mod compile;
mod enumerations;
mod matcher;
mod near_miss;
mod parse;

use std::ops::Range;

use aho_corasick::AhoCorasick;

use crate::error::{Error, Result};

pub use matcher::STEP_BUDGET;
pub use near_miss::NearMiss;

/// The built-in rules, embedded so the binary runs from any directory.
pub const BUILTIN_RULES: &str = include_str!("../../../dictionaries/rules.toml");

/// Which end of an edge a slot fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The edge's source.
    Head,
    /// The edge's target.
    Tail,
}

/// One element of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Element {
    /// A mention (or, with `list`, an enumeration of mentions) filling one end of the edge.
    Slot { role: Role, list: bool },
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
        let mut compiler = compile::Compiler::default();
        for &(text, file) in files {
            let source = parse::Source { text, file };
            let parsed = source.read()?;
            compiler.add_lists(&parsed.words);
            let mut names = std::collections::HashMap::new();
            for spanned in &parsed.rules {
                let (at, def) = (spanned.span().start, spanned.get_ref());
                source.check_new_name(&mut names, &def.name, at)?;
                let rule = compiler
                    .compile(def)
                    .map_err(|message| source.error(at, format!("rule '{}': {message}", def.name)))?;
                compiler.add(rule);
            }
        }
        compiler.finish(files.last().map_or("", |f| f.1))
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The trigger word with this index.
    pub fn word(&self, id: usize) -> &str {
        &self.words[id]
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
        let occurrences = matcher::occurrences(self.automaton.as_ref(), text, &sentence, mentions);
        let matcher = matcher::SentenceMatcher::new(text, sentence, mentions, &occurrences, context);
        let mut hits: Vec<Hit> = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
            matcher.rule_hits(rule, index, &mut hits);
        }
        matcher::resolve_priorities(self, mentions, &mut hits);
        hits
    }
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

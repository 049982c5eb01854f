//! Reading a rules file: TOML into raw rule definitions and word lists, checked for what the file alone can tell
//! (its syntax, unknown fields, empty words in a list, a rule name used twice), with file, line and column in every
//! error. Turning the raw rules into patterns is `compile.rs`'s.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::error::{Error, Result};

/// A rules file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RulesFile {
    /// Named word lists (`[words]`), in name order.
    #[serde(default)]
    pub(super) words: BTreeMap<String, Vec<String>>,
    /// The rules (`[[rule]]`), in file order, with where each starts.
    #[serde(default, rename = "rule")]
    pub(super) rules: Vec<toml::Spanned<RuleDef>>,
}

/// One `[[rule]]` as written; the module docs of the rules stage say what each field does.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleDef {
    /// Recorded on every edge the rule makes; a later file's rule of the same name replaces it.
    pub(super) name: String,
    /// The relation its edges have.
    pub(super) relation: String,
    /// Slots, word elements, `^`, `$` and `~N`, separated by spaces.
    pub(super) pattern: String,
    /// The types `{head}` accepts (none: any).
    #[serde(default)]
    pub(super) head: Vec<String>,
    /// The types `{tail}` accepts (none: any).
    #[serde(default)]
    pub(super) tail: Vec<String>,
    /// `topic` or `recent`: the head comes from the document.
    #[serde(default)]
    pub(super) head_from: Option<String>,
    /// `topic` or `recent`: the tail comes from the document.
    #[serde(default)]
    pub(super) tail_from: Option<String>,
    /// The ending of the name of the entity taken from the document.
    #[serde(default)]
    pub(super) topic_suffix: Option<String>,
    /// The most characters between two elements (default 4).
    #[serde(default)]
    pub(super) max_gap: Option<usize>,
    /// Words that cancel a match.
    #[serde(default)]
    pub(super) unless: Vec<String>,
    /// `match` (default) or `clause`: where cancel words count.
    #[serde(default)]
    pub(super) unless_scope: Option<String>,
    /// Words inside which a cancel word does not count.
    #[serde(default)]
    pub(super) unless_except: Vec<String>,
    /// Higher wins when rules disagree about two entities.
    #[serde(default)]
    pub(super) priority: i32,
    /// Characters no gap may hold (default `,;:`).
    #[serde(default)]
    pub(super) barriers: Option<String>,
    /// Separators between repetitions of the pattern's part before its final slot.
    #[serde(default)]
    pub(super) chain: Vec<String>,
    /// What joins the items of an enumeration (default 、 和 及 与 以及).
    #[serde(default)]
    pub(super) separators: Option<Vec<String>>,
}

/// One rules file's text and the name errors give it.
#[derive(Clone, Copy)]
pub(super) struct Source<'a> {
    pub(super) text: &'a str,
    pub(super) file: &'a str,
}

impl Source<'_> {
    /// A rules error at byte offset `at` of this file.
    pub(super) fn error(&self, at: usize, message: String) -> Error {
        let (line, column) = line_column(self.text, at);
        Error::Rules { path: self.file.to_string(), line, column, message }
    }

    /// Parses the file and checks its word lists: none may hold a word that normalises to nothing.
    pub(super) fn read(&self) -> Result<RulesFile> {
        let parsed: RulesFile = toml::from_str(self.text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            self.error(at, e.message().trim().to_string())
        })?;
        for (name, list) in &parsed.words {
            if list.iter().any(|w| crate::read::text::normalize_name(w).is_empty()) {
                let at = self.text.find(&format!("\n{name}")).map_or(0, |i| i + 1);
                return Err(self.error(at, format!("word list '{name}' holds an empty word")));
            }
        }
        Ok(parsed)
    }

    /// Records the name of the rule starting at `at`; an error if an earlier rule of this file has it.
    pub(super) fn check_new_name(&self, names: &mut HashMap<String, usize>, name: &str, at: usize) -> Result<()> {
        match names.insert(name.to_string(), at) {
            Some(first) => {
                let (line, _) = line_column(self.text, first);
                Err(self.error(at, format!("rule name '{name}' is already used at line {line}")))
            }
            None => Ok(()),
        }
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

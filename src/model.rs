//! Plain data shared by every stage of the pipeline: documents, entities, mentions, relations and their evidence.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Index of an entity in its [`Dictionary`](crate::dict::Dictionary).
pub type EntityId = usize;

/// The relation name of sentence co-occurrence edges.
pub const CO_OCCURS: &str = "co-occurs";

/// One input text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The document id: the file name (`000_0c465170c85722f8.txt`), `stdin`, or a JSON Lines record's `id`.
    pub id: String,
    /// The decoded text, exactly as read (offsets in evidence point into it); for HTML, the text with tags removed.
    pub text: String,
    /// Other fields of the source (a JSON Lines record's `title`, `date`, `url` …; an HTML page's `title`).
    pub meta: BTreeMap<String, String>,
}

impl Document {
    /// A document without metadata.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document { id: id.into(), text: text.into(), meta: BTreeMap::new() }
    }

    /// Its id and metadata, without the text.
    pub fn info(&self) -> DocInfo {
        DocInfo { id: self.id.clone(), meta: self.meta.clone() }
    }
}

/// A document as the graph remembers it: its id and metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocInfo {
    /// Document id.
    pub id: String,
    /// Metadata (`title`, `date`, `url` …).
    #[serde(flatten)]
    pub meta: BTreeMap<String, String>,
}

/// Where an entry or a rule was defined, for messages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file (`builtin:companies.csv` for embedded dictionaries), shared by all its entries.
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: u64,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// The origin file recorded on entities found by discovery rather than read from a dictionary.
pub const DISCOVERED: &str = "discovered";

/// A dictionary entity: one node of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// The canonical name, as written in the dictionary.
    pub name: String,
    /// `company`, `official`, `district`, `park`, `organization`, or a user-defined lowercase word.
    pub kind: String,
    /// Other names of the same entity, as written in the dictionaries.
    pub aliases: Vec<String>,
    /// The entity this one lies in or belongs to (a park's district, an official's organization).
    pub parent: Option<String>,
    /// An official's post.
    pub title: Option<String>,
    /// Where the entity was first defined.
    pub origin: Origin,
}

impl Entity {
    /// Whether discovery found it in a document (no dictionary lists it).
    pub fn is_discovered(&self) -> bool {
        &*self.origin.file == DISCOVERED
    }

    /// `dictionary` or `discovered`, as every output format writes it.
    pub fn source(&self) -> &'static str {
        if self.is_discovered() {
            DISCOVERED
        } else {
            "dictionary"
        }
    }
}

/// A span of a document: byte offsets for slicing and character offsets for users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First character, counted in Unicode scalar values from the start of the original text.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// An entity found in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The entity found.
    pub entity: EntityId,
    /// Byte range in the normalised text.
    pub norm: std::ops::Range<usize>,
    /// Character range in the original text.
    pub span: Span,
}

/// Why one edge exists: one sentence of one document. The strings are shared (`Arc<str>`): every relation found in
/// a sentence points to the same copy of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Document id.
    pub doc: Arc<str>,
    /// The sentence, as written in the original text.
    pub sentence: Arc<str>,
    /// Character range of the head mention in the original text.
    pub head: Span,
    /// Character range of the tail mention in the original text.
    pub tail: Span,
    /// The rule that fired (`co-occurrence` for co-occurs edges).
    pub rule: Arc<str>,
    /// The words that triggered the rule (for `leads`, the post held), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// Where an argument not named in the sentence came from, for relations resting on the document context:
    /// `title`, `dateline`, `self-reference` (我市, 本区 …), `prominence` (the place the document names most) or
    /// `anaphora` (该项目, 公司 … pointing back). The argument's span is then that of the referring words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Arc<str>>,
    /// The document's date, if it has one (set when the evidence joins a graph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<crate::read::dates::Date>,
}

/// One extracted relation occurrence, before aggregation into the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// The source entity.
    pub head: EntityId,
    /// The relation name (`leads`, `located-in`, `invests-in`, `co-occurs`, or a user's own).
    pub relation: Arc<str>,
    /// The target entity.
    pub tail: EntityId,
    /// Where it was found.
    pub evidence: Evidence,
}

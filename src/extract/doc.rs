//! [`Doc`]: one document on its way through extraction, the structure every stage reads and extends.
//!
//! Each stage of [`Extractor::read`](super::Extractor::read) adds one layer, in this order: the normalised text,
//! dictionary mentions, discovered names (which also extend the document's own dictionary), sentences with the
//! mentions inside them, the document's context (its place, its title, its most-mentioned entities), candidate
//! pairs (what the rules matched), and the relations with their evidence. A stage reads only what earlier stages
//! wrote. Offsets are byte ranges into the normalised text until evidence records character spans of the original.

use std::ops::Range;
use std::sync::Arc;

use crate::dict::Dictionary;
use crate::model::{Document, Entity, EntityId, Mention, Relation, Span};
use crate::read::text::{CharCounter, NormText};

use super::context::DocContext;
use super::pairs::Candidate;
use super::scorer::stage::Decision;
use super::tokens::Tokens;

/// One sentence: its byte range in the normalised text and the range of the document's mentions inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the normalised text.
    pub range: Range<usize>,
    /// The indices of [`Doc::mentions`] that lie in it.
    pub mentions: Range<usize>,
}

/// One document and every layer the stages have added so far.
#[derive(Clone, Debug)]
pub struct Doc<'d> {
    /// The document as read.
    pub source: &'d Document,
    /// Its id, shared by all its evidence.
    pub id: Arc<str>,
    /// The dictionary the document is read with: the loaded one, and from the discovery stage on the names the
    /// document adds (ids from the loaded dictionary's length on).
    pub dict: Dictionary,
    /// Layer 1: the normalised text, with its map back to the original.
    pub norm: NormText,
    /// Layers 2 and 3: every kept mention, dictionary or discovered, in text order.
    pub mentions: Vec<Mention>,
    /// Layer 3: the entities the document discovered, which no dictionary lists (also in [`Doc::dict`]).
    pub discovered: Vec<Entity>,
    /// Layer 3: where each discovered mention stands (normalised bytes) and its kind of evidence.
    pub discovered_at: Vec<(Range<usize>, &'static str)>,
    /// Layer 3, with the trained tagger: the spans it added to the mentions (normalised bytes), in text order, with
    /// its confidence in each.
    pub tagged: Vec<(Range<usize>, f32)>,
    /// The words of the sentences segmented so far (for the trained stages).
    pub tokens: Tokens,
    /// Layer 4: the sentences, each with its mentions.
    pub sentences: Vec<Sentence>,
    /// Layer 5: what the whole document says about itself (its place and title).
    pub context: DocContext,
    /// Layer 5: entities by number of mentions (most first; ties: the one mentioned first).
    pub by_frequency: Vec<EntityId>,
    /// Layer 6: what the rules matched, sentence by sentence.
    pub candidates: Vec<Candidate>,
    /// Layer 8, with the trained scorer and when explaining: what it made of every candidate pair.
    pub decisions: Vec<Decision>,
    /// Layer 7: every relation found, co-occurrences included, in sentence order, then those resting on the
    /// whole document.
    pub relations: Vec<Relation>,
}

impl<'d> Doc<'d> {
    /// The first layer: the document's text normalised (see [`NormText`]).
    pub fn new(source: &'d Document, dict: &Dictionary) -> Self {
        Doc {
            source,
            id: source.id.as_str().into(),
            dict: dict.clone(),
            norm: NormText::new(&source.text),
            mentions: Vec::new(),
            discovered: Vec::new(),
            discovered_at: Vec::new(),
            tagged: Vec::new(),
            tokens: Tokens::default(),
            sentences: Vec::new(),
            context: DocContext::default(),
            by_frequency: Vec::new(),
            candidates: Vec::new(),
            relations: Vec::new(),
            decisions: Vec::new(),
        }
    }

    /// The character span in the original text of a byte range of the normalised text.
    pub fn span(&self, norm: Range<usize>) -> Span {
        span_with(&mut CharCounter::default(), &self.norm, &self.source.text, norm)
    }

    /// A sentence as written in the original text.
    pub fn sentence_text(&self, sentence: &Sentence) -> Arc<str> {
        self.source.text[self.norm.range_to_original(&self.source.text, sentence.range.clone())].into()
    }

    /// The mentions of one sentence.
    pub fn mentions_of(&self, sentence: &Sentence) -> &[Mention] {
        &self.mentions[sentence.mentions.clone()]
    }
}

/// The character span of a normalised byte range, counting with `chars` (ranges in increasing order count in one
/// pass over the text).
pub(crate) fn span_with(chars: &mut CharCounter, norm: &NormText, original: &str, range: Range<usize>) -> Span {
    let orig = norm.range_to_original(original, range);
    Span { start: chars.at(original, orig.start), end: chars.at(original, orig.end) }
}

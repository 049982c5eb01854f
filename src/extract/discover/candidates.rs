//! From a sentence to candidate names: tag it with jieba-rs (the known names loaded as words), then let every token
//! propose what its cue gives — a known name (`known_names.rs`), a name's ending (`suffix.rs`), a list's closer
//! (`lists.rs`), a post or a clause's subject (`people.rs`), a word the segmenter guessed (`pos.rs`). Also the
//! tests on tokens that the cues share.

use std::ops::Range;

use super::{known_names, lists, people, pos, suffix, Found};
use crate::dict::Dictionary;
use crate::extract::mentions::{organ_of_place, Matcher};
use crate::model::EntityId;
use crate::read::text::{is_han, NormText};

/// A token of a sentence: byte range in the normalised text, word, part-of-speech tag.
pub(super) type Token<'t> = (usize, usize, &'t str, &'t str);

/// A tagged sentence and what the cues read besides its tokens.
pub(super) struct Sentence<'a> {
    pub(super) dict: &'a Dictionary,
    pub(super) matcher: &'a Matcher,
    /// The whole normalised text (token ranges index it).
    pub(super) text: &'a str,
    /// The sentence's known mentions, in text order.
    pub(super) known: &'a [(EntityId, Range<usize>)],
    pub(super) tokens: Vec<Token<'a>>,
}

impl Sentence<'_> {
    /// Does a known mention overlap bytes `start..end`?
    pub(super) fn known_at(&self, start: usize, end: usize) -> bool {
        self.known.iter().any(|(_, r)| r.start < end && start < r.end)
    }

    /// Does a known place overlap bytes `start..end`?
    pub(super) fn known_place(&self, start: usize, end: usize) -> bool {
        self.known.iter().any(|(id, r)| r.start < end && start < r.end && self.dict.entity(*id).kind == "district")
    }
}

/// The known mentions of one sentence (known mentions come in text order and do not overlap). Only these matter
/// there: looking at a whole document's for every word would cost time with the square of its length.
pub(super) fn sentence_known<'k>(
    known: &'k [(EntityId, Range<usize>)],
    sentence: &Range<usize>,
) -> &'k [(EntityId, Range<usize>)] {
    let from = known.partition_point(|(_, r)| r.end <= sentence.start);
    let to = from + known[from..].partition_point(|(_, r)| r.start < sentence.end);
    &known[from..to]
}

/// The candidates of one sentence (a byte range of the normalised text), given the known mentions of the document.
pub fn sentence_candidates(
    dict: &Dictionary,
    matcher: &Matcher,
    norm: &NormText,
    known: &[(EntityId, Range<usize>)],
    sentence: Range<usize>,
) -> Vec<Found> {
    let known = sentence_known(known, &sentence);
    let tokens = tokens(matcher, &norm.text, sentence);
    let s = Sentence { dict, matcher, text: &norm.text, known, tokens };
    let mut found = Vec::new();
    for i in 0..s.tokens.len() {
        candidates_at(&s, i, &mut found);
    }
    found
}

/// The sentence's tokens, with a preposition the HMM glued onto the name after it split off (先后对金宏物流…: 对金宏).
fn tokens<'t>(matcher: &'t Matcher, text: &'t str, sentence: Range<usize>) -> Vec<Token<'t>> {
    let mut at = sentence.start;
    let mut tokens: Vec<Token> = Vec::new();
    for t in matcher.segmenter().tag(&text[sentence], true) {
        let start = at;
        at += t.word.len();
        let glued = t.word.chars().count() >= 3
            && t.word.starts_with(['对', '把', '被', '在', '从', '与', '给'])
            && !matcher.segmenter().has_word(t.word);
        if glued {
            let (p, rest) = t.word.split_at(t.word.chars().next().map_or(0, char::len_utf8));
            tokens.push((start, start + p.len(), p, "p"));
            tokens.push((start + p.len(), at, rest, t.tag));
        } else {
            tokens.push((start, at, t.word, t.tag));
        }
    }
    tokens
}

/// The candidates token `i` gives, cue after cue. A known name gives only what the cues on known names find; the
/// order of `found` is kept by later steps (the first of two equal spans wins).
fn candidates_at(s: &Sentence, i: usize, found: &mut Vec<Found>) {
    let (start, end, word, _) = s.tokens[i];
    if s.known_at(start, end) {
        // A place's own organ and post glued to its name by the segmenter (遵化 | 市委书记 after the kept 遵化市):
        // the name after it follows a post all the same.
        let organ = s
            .known
            .iter()
            .any(|(_, r)| r.start < start && start < r.end && r.end < end && organ_of_place(&s.text[r.clone()], word));
        if organ {
            people::names_after_post(s, i, found);
        }
        found.extend(known_names::other_places_zone(s, i));
        found.extend(known_names::with_company_word(s, i));
        return;
    }
    suffix::names_before_ending(s, i, found);
    lists::items_of_list_closed_at(s, i, found);
    people::names_after_post(s, i, found);
    people::subjects_before_verb(s, i, found);
    found.extend(pos::guessed_name(s, i));
}

/// A verb tag, but not a verb used as a noun (`vn`).
pub(super) fn is_verb(tag: &str) -> bool {
    tag.starts_with('v') && tag != "vn"
}

/// A proper-name part: tagged a name or abbreviation, or a word the segmenter did not know and guessed (unless it
/// guessed a verb, adjective or adverb: 筑牢).
pub(super) fn proper(matcher: &Matcher, word: &str, tag: &str) -> bool {
    ["nr", "ns", "nt", "nz", "j"].iter().any(|p| tag.starts_with(p))
        || tag == "eng"
        || (word.chars().all(is_han)
            && !matcher.segmenter().has_word(word)
            && !matches!(tag.chars().next(), Some('a' | 'v' | 'd')))
}

/// Can this word be part of a name? Nouns, proper nouns, abbreviations, letters, numbers, suffixes (型) and the
/// brackets and dots inside names; not verbs, prepositions, particles, pronouns or punctuation.
pub(super) fn name_like(word: &str, tag: &str) -> bool {
    if matches!(word, "(" | ")" | "·" | "-") {
        return true;
    }
    let first = tag.chars().next().unwrap_or('x');
    matches!(first, 'n' | 'j' | 'm' | 'q' | 'a' | 'g' | 'b' | 'l' | 'k') || tag == "eng" || tag == "vn"
}

//! People's names (type `official`): right after a post (the `title` cue: 书记X, 董事长X, and each further name of a
//! list after it: 市领导A、B、C), and opening a clause before a verb of official business (the `subject` cue: A主持,
//! A、B调研). A name is two or three characters, surname first; the posts, verbs and surnames are the lexicon's.

use std::ops::Range;

use super::candidates::{Sentence, Token};
use super::lexicon;
use super::words::CLAUSE_STARTS;
use super::Found;
use crate::read::text::is_han;

/// Adverbs that follow a name rather than end it (王明也表示, 李华已到任).
const FUNCTION_ADVERBS: &[&str] = &[
    "也", "都", "还", "就", "又", "再", "才", "已", "曾", "均", "正", "将", "亦", "仍", "便", "即", "却", "并", "不",
    "没",
];

/// Is this word a post after which a name follows (书记, or a word ending in one: 党委书记, 项目经理)?
pub(super) fn is_title(word: &str) -> bool {
    // Most words end in no post's last character: a quick test first (this runs for every word).
    let lex = lexicon();
    if !word.chars().next_back().is_some_and(|c| lex.post_chars.contains(c)) {
        return false;
    }
    lex.posts.iter().any(|t| t == word)
        || (word.chars().count() <= 6 && lex.posts.iter().any(|t| t.len() >= 6 && word.ends_with(t.as_str())))
}

/// The names right after a post (token `i`), and the list of names that may follow it (市领导A、B、C).
pub(super) fn names_after_post(s: &Sentence, i: usize, found: &mut Vec<Found>) {
    if !is_title(s.tokens[i].2) {
        return;
    }
    let tokens = &s.tokens;
    let mut j = i + 1;
    while tokens.get(j).is_some_and(|t| t.2.trim().is_empty()) {
        j += 1;
    }
    // A known place after the surname is part of the name (党委书记于 + 海南).
    let blocks = |a: usize, b: usize| {
        s.known.iter().any(|(id, r)| {
            r.start < b && a < r.end && !(s.dict.entity(*id).kind == "district" && a < r.start && r.end <= b)
        })
    };
    people_from(tokens, j, "title", &blocks, found);
}

/// Names (or a list of them) opening a clause at token `i` before a verb of official business (张三出席, A、B调研).
/// The segmenter must tag the first as a person.
pub(super) fn subjects_before_verb(s: &Sentence, i: usize, found: &mut Vec<Found>) {
    let tokens = &s.tokens;
    let clause_start = i == 0 || CLAUSE_STARTS.contains(&tokens[i - 1].2);
    if !clause_start || !tokens[i].3.starts_with("nr") {
        return;
    }
    let mut people = Vec::new();
    let next = people_from(tokens, i, "subject", &|a, b| s.known_at(a, b), &mut people);
    if tokens.get(next).is_some_and(|t| lexicon().subject_verbs.iter().any(|v| v == t.2)) {
        found.extend(people);
    }
}

/// A person's name starting at token `j`: a surname-led two- or three-character word, or a lone surname and one
/// or two characters (the segmenter sometimes splits a name: 郭/兴平). Returns its range, the name and the index
/// of the token after it.
fn person_at(tokens: &[Token], j: usize) -> Option<(Range<usize>, String, usize)> {
    let &(ns, ne, next, next_tag) = tokens.get(j)?;
    let lex = lexicon();
    let surname = next.chars().next().is_some_and(|c| lex.surnames.contains(c) || lex.rare_surnames.contains(c));
    let (name, name_end, after) = match tokens.get(j + 1) {
        Some(&(_, e2, w2, t2))
            if next.chars().count() == 1
                && surname
                && (1..=2).contains(&w2.chars().count())
                && w2.chars().all(is_han)
                && !["p", "c", "u", "uj", "ul", "v", "d", "r"].contains(&t2) =>
        {
            (format!("{next}{w2}"), e2, j + 2)
        }
        // Or a two-character name and one more character the segmenter left alone (李月/淑), before a verb or
        // punctuation.
        Some(&(_, e2, w2, t2))
            if next.chars().count() == 2
                && surname
                && w2.chars().count() == 1
                && w2.chars().all(is_han)
                && (t2 == "nr" || ["n", "ng", "a", "ag", "j", "g", "b", "e", "zg", "d"].contains(&t2))
                && (next_tag.starts_with("nr") || next_tag == "m" || t2 == "nr" || t2 == "d")
                && !FUNCTION_ADVERBS.contains(&w2)
                && tokens.get(j + 2).is_none_or(|t| t.3 == "x" || t.3.starts_with('v')) =>
        {
            (format!("{next}{w2}"), e2, j + 2)
        }
        _ => (next.to_string(), ne, j + 1),
    };
    let n = name.chars().count();
    ((2..=3).contains(&n) && name.chars().all(is_han) && (next_tag.starts_with("nr") || surname)).then_some((
        ns..name_end,
        name,
        after,
    ))
}

/// The names from token `j` on: one name, then more after each 、 (a list of leaders). Known names in the list are
/// passed over, not found again. Returns the index of the token after the list.
fn people_from(
    tokens: &[Token],
    mut j: usize,
    evidence: &'static str,
    known_at: &dyn Fn(usize, usize) -> bool,
    found: &mut Vec<Found>,
) -> usize {
    let mut after = j;
    while let Some((range, name, next)) = person_at(tokens, j) {
        if !known_at(range.start, range.end) {
            found.push(Found { range, name, evidence, kind: "official", alias: None });
        }
        after = next;
        if tokens.get(next).is_some_and(|t| t.2 == "、") {
            j = next + 1;
        } else {
            break;
        }
    }
    after
}

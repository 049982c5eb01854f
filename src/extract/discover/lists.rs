//! List items (the `list` cue): the items of a list closed by 等 and a head noun within a few words (A、B、C等7个项目,
//! 华为、腾讯等知名企业), or by a count alone (A、B、C三个项目: then at least two items). 项目 makes the items
//! projects, 企业 or 公司 companies; an item's own ending wins (大健康研究院 is an organization).

use std::ops::Range;

use super::accept::counted;
use super::candidates::{is_verb, name_like, proper, Sentence, Token};
use super::lexicon;
use super::people::is_title;
use super::words::{ends_company, GENERIC, NOT_IN_NAMES, PREDICATES};
use super::Found;
use crate::model::EntityId;
use crate::read::text::is_han;

/// Where a list closes: the token of 等 or of the count, and whether a lone item is too little (a count alone).
struct Closer {
    at: usize,
    needs_two: bool,
}

/// The items of the list closed at token `i`, if it closes one.
pub(super) fn items_of_list_closed_at(s: &Sentence, i: usize, found: &mut Vec<Found>) {
    let Some(closer) = closer_at(&s.tokens, i) else { return };
    let Some((kind, counted_closer)) = head_noun(&s.tokens, closer.at) else { return };
    let (start, items) = item_spans(s, closer.at);
    if items.is_empty() || (items.len() == 1 && (!counted_closer || closer.needs_two)) {
        return;
    }
    for (a, b) in items {
        found.extend(list_item(s, a..b, start, kind));
    }
}

/// Does token `i` close a list: 等, or a count before 个/家 and 项目/企业 (三/个/项目, or 三个/项目 as the segmenter
/// may join them) that follows no 等?
fn closer_at(tokens: &[Token], i: usize) -> Option<Closer> {
    let (_, _, word, tag) = tokens[i];
    let count_closer = tag == "m" && i > 0 && tokens[i - 1].3 != "x" && !matches!(tokens[i - 1].2, "等" | "等等") && {
        let (measure, head) = if word.ends_with(['个', '家']) { (i, i + 1) } else { (i + 1, i + 2) };
        tokens.get(measure).is_some_and(|t| t.2.ends_with(['个', '家']))
            && tokens.get(head).is_some_and(|t| t.2.ends_with("项目") || t.2.ends_with("企业"))
    };
    (word == "等" || word == "等等" || count_closer).then_some(Closer { at: i, needs_two: count_closer })
}

/// The type the head noun within a few words after the closer at `k` gives the items (项目: park; 企业, 公司:
/// company), and whether a count comes before it. None when the list is of kinds of business (等领域的企业).
fn head_noun(tokens: &[Token], k: usize) -> Option<(&'static str, bool)> {
    let mut counted_closer = false;
    for t in tokens.iter().skip(k + 1).take(6) {
        let class = t.3.starts_with('u') || matches!(t.2, "领域" | "行业" | "产业" | "方面" | "类" | "方向");
        if t.3 == "x" || is_verb(t.3) || class {
            return None;
        }
        counted_closer |= t.3 == "m" || t.3 == "q";
        if t.2.ends_with("项目") {
            return Some(("park", counted_closer));
        } else if t.2.ends_with("企业") || t.2.ends_with("公司") {
            return Some(("company", counted_closer));
        }
    }
    None
}

/// The items of the list before the closer at `k`, as token ranges (`a..b`), and the first item's first token.
/// The list lies in the clause before the closer, its items split by 、: items after the first 、 are whole; the
/// first starts after the last word that cannot be part of a name.
fn item_spans(s: &Sentence, k: usize) -> (usize, Vec<(usize, usize)>) {
    let tokens = &s.tokens;
    let is_break = |t: &Token| t.3 == "x" && !matches!(t.2, "、" | "(" | ")" | "·" | "-");
    let clause = (0..k).rev().find(|&j| is_break(&tokens[j])).map_or(0, |j| j + 1);
    let first_sep = (clause..k).find(|&j| tokens[j].2 == "、").unwrap_or(k);
    let mut start = first_sep;
    // A verb inside the first item follows a noun of it (星光模具制造): 模具 + 制造, not 推进 + ….
    let fits_first = |j: usize| {
        let (_, _, w, t) = tokens[j];
        name_like(w, t)
            || t.starts_with('v')
                && !PREDICATES.contains(&w)
                && j > clause
                && matches!(tokens[j - 1].3.chars().next(), Some('n'))
                && !s.known.iter().any(|(_, r)| r.start < tokens[j - 1].1 && tokens[j - 1].0 < r.end)
    };
    while start > clause && fits_first(start - 1) {
        start -= 1;
    }
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut from = start;
    for (j, t) in tokens.iter().enumerate().take(k + 1).skip(first_sep) {
        if j == k || t.2 == "、" {
            items.push((from, j));
            from = j + 1;
        }
    }
    (start, items.into_iter().filter(|(a, b)| a < b).collect())
}

/// One item (tokens `items`; the list's first item starts at token `start`) as a name of type `kind`, if it is
/// one: it needs a proper part, a dictionary company at its head, six characters, or a name's own ending after a
/// head of two characters; known names inside it may only be a place, or a company at its head.
fn list_item(s: &Sentence, items: Range<usize>, start: usize, kind: &'static str) -> Option<Found> {
    let (tokens, known) = (&s.tokens, s.known);
    let (mut a, b) = (items.start, items.end);
    // Generic words open no item; a verb opens none but the first (inside the list, 远航智能装备 is a name).
    let verb = |a: usize| a == start && is_verb(tokens[a].3);
    while a < b && (GENERIC.contains(&tokens[a].2) || verb(a)) {
        a += 1;
    }
    if a >= b {
        return None;
    }
    // An item that is a company and what it does (X有限公司产能扩大): the company.
    let company_end = (a..b).rev().find(|&k| k + 1 < b && ends_company(tokens[k].2));
    let (b, kind) = match company_end {
        Some(k) => (k + 1, "company"),
        None => (b, kind),
    };
    let range = tokens[a].0..tokens[b - 1].1;
    let name = &s.text[range.clone()];
    let chars = name.chars().count();
    if !(2..=25).contains(&chars)
        || counted(name)
        || !name.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric() || "()·-".contains(c))
        || tokens[a..b].iter().any(|t| NOT_IN_NAMES.contains(&t.2) || is_title(t.2))
    {
        return None;
    }
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    // Known names: an item that is one is known already; inside one, only a place or a company at its head.
    let inside: Vec<&(EntityId, Range<usize>)> = known.iter().filter(|(_, r)| overlaps(r, &range)).collect();
    if inside.iter().any(|(_, r)| *r == range) {
        return None;
    }
    let company_head = inside.iter().any(|(e, r)| r.start == range.start && s.dict.entity(*e).kind == "company");
    let fits = inside.iter().all(|(e, r)| {
        range.start <= r.start
            && r.end <= range.end
            && (s.dict.entity(*e).kind == "district" || s.dict.entity(*e).kind == "company" && r.start == range.start)
    });
    let proper = tokens[a..b]
        .iter()
        .any(|&(s0, e0, w, t)| !known.iter().any(|(_, r)| overlaps(r, &(s0..e0))) && proper(s.matcher, w, t));
    let own = own_ending(tokens, a..b, name);
    if !fits || !(proper || company_head || chars >= 6 || own.is_some_and(|o| o.1)) {
        return None;
    }
    if s.matcher.segmenter().has_word(name) && !proper {
        return None;
    }
    Some(Found { range, name: name.to_string(), evidence: "list", kind: own.map_or(kind, |o| o.0), alias: None })
}

/// The type an item's own ending gives (one of two characters or more), and whether that ending makes the item a
/// name by itself: a head of two characters before it that is no ending itself, no generic word and no verb (铁马机械
/// among other projects, not 基地项目).
fn own_ending(tokens: &[Token], item: Range<usize>, name: &str) -> Option<(&'static str, bool)> {
    let lex = lexicon();
    let (suffix, kind) =
        lex.endings.iter().find(|(suffix, _)| name.ends_with(suffix.as_str()) && suffix.chars().count() >= 2)?;
    let head = &name[..name.len() - suffix.len()];
    let ended = head.chars().count() >= 2
        && !lex.endings.iter().any(|(e, _)| head.ends_with(e.as_str()))
        && !GENERIC.contains(&head)
        && !tokens[item].iter().any(|t| is_verb(t.3));
    Some((kind, ended))
}

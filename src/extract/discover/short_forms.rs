//! Other forms of the entities discovered in a document, found anywhere in it once its sentences are done: a park's
//! forms (without its project, its leading place or its phase), a company's trade name (星河精工 for
//! 潍坊星河精工机械有限公司), and a bare zone word (高新区) standing for the zone of the article's own city. Each free
//! occurrence (outside every other mention) becomes a mention, with the evidence `short form` or `own zone`.

use std::ops::Range;

use super::words::INDUSTRIES;
use super::Discovered;
use crate::dict::Dictionary;
use crate::extract::mentions::Matcher;
use crate::model::{Entity, EntityId, Origin, DISCOVERED};
use crate::read::text::{is_han, NormText};

/// The other forms of the parks discovered in a document (their aliases) wherever else the document uses them.
pub(super) fn park_forms(dict: &Dictionary, norm: &NormText, known: &[(EntityId, Range<usize>)], out: &mut Discovered) {
    for k in 0..out.entities.len() {
        if out.entities[k].kind == "park" {
            for alias in out.entities[k].aliases.clone() {
                add_short_form(known, out, dict.len() + k, k, norm, alias);
            }
        }
    }
}

/// Short forms of the companies discovered in a document: their trade name (星河精工 for 潍坊星河精工机械有限公司,
/// without place and legal form) wherever else the document uses it, as an alias. A trade name that is a word of
/// the segmenter's dictionary (a common word) or a dictionary name is not taken.
pub(super) fn trade_names(
    dict: &Dictionary,
    matcher: &Matcher,
    norm: &NormText,
    known: &[(EntityId, Range<usize>)],
    out: &mut Discovered,
) {
    let base = dict.len();
    for k in 0..out.entities.len() {
        if out.entities[k].kind != "company" {
            continue;
        }
        let trade = crate::extract::context::names::trade_name(dict, &out.entities[k].name);
        // The trade name, or the trade name without its trade (星河精工 for 星河精工机械).
        let bare = INDUSTRIES.iter().find_map(|w| trade.strip_suffix(w)).map(str::to_string);
        for short in std::iter::once(trade.clone()).chain(bare) {
            if short == out.entities[k].name
                || short.chars().count() < 2
                || matcher.segmenter().has_word(&short)
                || dict.lookup(&short).is_some()
            {
                continue;
            }
            add_short_form(known, out, base + k, k, norm, short);
        }
    }
}

/// Zone words that, alone at a clause's start, name the article's city's own zone.
const OWN_ZONE_WORDS: &[&str] = &["高新区", "开发区", "经开区", "综保区", "保税区"];

/// A bare zone word opening a clause (,高新区围绕…; 在高新区) in an article that names one prefecture-level city and
/// not the listed zone's own: that city's zone (枣庄 + 高新区 → 枣庄高新区), named after the city's short form.
pub(super) fn own_city_zone(
    dict: &Dictionary,
    norm: &NormText,
    known: &[(EntityId, Range<usize>)],
    out: &mut Discovered,
) {
    if !OWN_ZONE_WORDS.iter().any(|w| norm.text.contains(w)) {
        return;
    }
    let is_city = |e: EntityId| {
        let entity = dict.entity(e);
        entity.kind == "district"
            && entity.name.ends_with('市')
            && dict.parent(e).is_some_and(|province| dict.entity(province).parent.is_none())
    };
    let mut cities: Vec<EntityId> = known.iter().map(|(e, _)| *e).filter(|&e| is_city(e)).collect();
    cities.sort_unstable();
    cities.dedup();
    let [city] = cities[..] else { return };
    let short = dict.entity(city).name.trim_end_matches('市').to_string();
    let overlaps = |r: &Range<usize>, m: &Range<usize>| r.start < m.end && m.start < r.end;
    for word in OWN_ZONE_WORDS {
        let name = format!("{short}{word}");
        if dict.lookup(&name).is_some() || out.entities.iter().any(|e| e.name == name) {
            continue;
        }
        let opens = |at: usize| {
            let before = norm.text[..at].chars().next_back();
            before.is_none_or(|c| !is_han(c)) || norm.text[..at].ends_with('在')
        };
        let free: Vec<Range<usize>> = norm
            .text
            .match_indices(word)
            .map(|(at, _)| at..at + word.len())
            .filter(|r| opens(r.start))
            .filter(|r| !out.mentions.iter().any(|(_, m, _)| overlaps(r, m)))
            .filter(|r| known.iter().all(|(e, m)| !overlaps(r, m) || dict.entity(*e).kind == "district" && m == r))
            .collect();
        if free.is_empty() {
            continue;
        }
        let id = dict.len() + out.entities.len();
        out.entities.push(Entity {
            name,
            kind: "district".into(),
            aliases: vec![word.to_string()],
            parent: Some(dict.entity(city).name.clone()),
            title: None,
            origin: Origin { file: DISCOVERED.into(), line: 0 },
            confidence: None,
        });
        out.mentions.extend(free.into_iter().map(|r| (id, r, "own zone")));
    }
}

/// Adds every free occurrence of `short` as a mention of entity `id` (the `k`-th discovered one), and it as an alias.
fn add_short_form(
    known: &[(EntityId, Range<usize>)],
    out: &mut Discovered,
    id: EntityId,
    k: usize,
    norm: &NormText,
    short: String,
) {
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    let mut added = false;
    for (at, _) in norm.text.match_indices(short.as_str()) {
        let range = at..at + short.len();
        let free = !known.iter().any(|(_, m)| overlaps(m, &range))
            && !out.mentions.iter().any(|(_, m, _)| overlaps(m, &range));
        if free {
            out.mentions.push((id, range, "short form"));
            added = true;
        }
    }
    if added && !out.entities[k].aliases.contains(&short) {
        out.entities[k].aliases.push(short);
    }
}

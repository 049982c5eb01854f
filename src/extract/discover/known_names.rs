//! Cues on a known name (a dictionary mention): a generic zone word after another place is that place's zone
//! (泰安 + 高新区, where 高新区 is the dictionary's short name of 潍坊高新区), and a company word right after a known
//! name makes another name for it (德纳 + 电机, the `boundary` cue).

use super::candidates::Sentence;
use super::Found;
use crate::extract::mentions::ZONE_WORDS;

/// Company words that, right after a known name, make another name for it (德纳电机, 歌尔电子).
const ALIAS_WORDS: &[&str] =
    &["电机", "电子", "集团", "公司", "股份", "新材料", "科技", "电器", "机械", "控股", "工厂"];

/// A zone written as another place and a generic zone word (泰安高新区, where 高新区 is the dictionary's alias of
/// 潍坊高新区): the zone of that place, unless the place is the known zone's own city. The same for a city's or a
/// district's body known by its local short name (石家庄 + 市发改委, where 市发改委 is 潍坊市发改委).
pub(super) fn other_places_zone(s: &Sentence, i: usize) -> Option<Found> {
    let (dict, known) = (s.dict, s.known);
    let (start, end, word, _) = s.tokens[i];
    let local_body = word.starts_with(['市', '区', '县']) && word.chars().count() >= 3;
    if i == 0 || !ZONE_WORDS.contains(&word) && !local_body {
        return None;
    }
    let zone = known.iter().find(|(_, r)| r.start == start && r.end == end)?.0;
    let kind = known_kind(&dict.entity(zone).kind);
    if !ZONE_WORDS.contains(&word) && kind != "organization" {
        return None;
    }
    let (place, range) = known.iter().find(|(_, r)| r.end == start)?;
    let zone_parent = dict.entity(zone).parent.as_deref()?;
    let place_entity = dict.entity(*place);
    if place_entity.kind != "district" || place_entity.name == zone_parent || dict.lookup(zone_parent) == Some(*place) {
        return None;
    }
    let name = s.text[range.start..end].to_string();
    Some(Found { range: range.start..end, name, evidence: "suffix", kind, alias: None })
}

/// A known name ending at token `i` and followed by a company word: another name for it (an alias).
pub(super) fn with_company_word(s: &Sentence, i: usize) -> Option<Found> {
    let end = s.tokens[i].1;
    let (entity, range) = s.known.iter().find(|(_, r)| r.end == end)?;
    let &(_, next_end, next, _) = s.tokens.get(i + 1)?;
    if !ALIAS_WORDS.contains(&next) || s.known_at(end, next_end) {
        return None;
    }
    let alias = s.text[range.start..next_end].to_string();
    let e = s.dict.entity(*entity);
    Some(Found {
        range: range.start..next_end,
        name: e.name.clone(),
        evidence: "boundary",
        kind: known_kind(&e.kind),
        alias: Some(alias),
    })
}

/// An entity type as a `'static` string (user-defined types become `other`).
fn known_kind(kind: &str) -> &'static str {
    crate::dict::KNOWN_TYPES.iter().find(|k| **k == kind).copied().unwrap_or("other")
}

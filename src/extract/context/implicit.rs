//! Relations that rest on the document's place rather than on one sentence.
//!
//! An article about one place lists what is being built there without saying where in each sentence: 此次集中开工的
//! 项目包括A、B、C; A项目总投资10亿元; 走进B产业园. Every park or project the article names is then `located-in`
//! the article's place, unless a rule already placed it somewhere in the document (位于X, 落户Y …): an explicit
//! location always wins over the context. Companies are not placed this way: an article about a place names
//! investors from elsewhere as often as its own firms. A discovered park or project is placed so only in a county,
//! district, town or zone (a city's article lists what its districts build), not when its name starts with another
//! place (深圳科技工业园), and not when it is only signed for (签约 without 落户, 开工 …).
//!
//! The relation's evidence is the sentence of the park's first mention, its rule `located-in/document-place`, and
//! its `context` the [`Source`](super::Source) of the place, with the tail span on the words that named the place.

use std::collections::BTreeSet;

use std::ops::Range;

use crate::dict::Dictionary;
use crate::extract::doc::Doc;
use crate::model::EntityId;

/// The rule name recorded on relations to the document's place.
pub const DOCUMENT_PLACE_RULE: &str = "located-in/document-place";
/// Entity types placed in the document's place.
const PLACED_TYPES: &[&str] = &["park", "project"];

/// Words that make a project only talked about: visited, negotiated, hoped for (签约 alone still counts: a signed
/// project is the place's, and 签约落户 says so).
const ONLY_TALKED_ABOUT: &[&str] = &["考察", "洽谈", "对接", "有望", "意向"];

/// One relation to the document's place: the head's first mention (index into the document's mentions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Implicit {
    /// Index of the head's first mention.
    pub mention: usize,
    /// The head entity.
    pub head: EntityId,
    /// The place.
    pub tail: EntityId,
}

/// The parks and projects to place in the document's place: every one mentioned, except the place itself and
/// those `located_elsewhere` (heads of a `located-in` relation the rules found).
///
/// Nor is a park placed there when the text says it lies elsewhere: every sentence naming it names another place
/// and not the document's (太湖龙之梦乐园 in a sentence about a visit to Huzhou), its name holds another place in
/// brackets (潍坊(上海)生物医药产业园), or every sentence naming it only talks about it (考察, 洽谈, 有望 …).
pub fn placed_in_document(doc: &Doc, located_elsewhere: &BTreeSet<EntityId>) -> Vec<Implicit> {
    let (dict, text, mentions) = (&doc.dict, doc.norm.text.as_str(), doc.mentions.as_slice());
    let Some(place) = &doc.context.place else {
        return Vec::new();
    };
    let place_name = crate::read::text::normalize_name(&dict.entity(place.entity).name);
    let is_district = |e: EntityId| dict.entity(e).kind == "district";
    // Another place: a district that is neither the document's nor a part of its name (潍坊 in 潍坊高新区, its city).
    let elsewhere = |e: EntityId, surface: &str| e != place.entity && is_district(e) && !place_name.contains(surface);
    let city_or_above =
        !dict.entity(place.entity).is_discovered() && dict.parent(place.entity).and_then(|p| dict.parent(p)).is_none();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        if m.entity == place.entity || located_elsewhere.contains(&m.entity) || !seen.insert(m.entity) {
            continue;
        }
        let entity = dict.entity(m.entity);
        // A discovered name is placed in a county, district, town or zone, not in a whole city or province: a
        // city's article lists what its districts build (a listed park goes by the dictionary's own parent).
        if !PLACED_TYPES.contains(&entity.kind.as_str()) || entity.is_discovered() && city_or_above {
            continue;
        }
        let bracketed = bracketed_places(&entity.name)
            .any(|p| dict.lookup(p).is_some_and(|e| elsewhere(e, &crate::read::text::normalize_name(p))));
        let naming: Vec<(Range<usize>, Range<usize>)> = doc
            .sentences
            .iter()
            .filter(|s| s.mentions.clone().any(|k| mentions[k].entity == m.entity))
            .map(|s| (s.range.clone(), s.mentions.clone()))
            .collect();
        let somewhere_else = naming.iter().all(|(_, ms)| {
            let here = ms.clone().any(|k| mentions[k].entity == place.entity);
            let other = ms.clone().any(|k| elsewhere(mentions[k].entity, &text[mentions[k].norm.clone()]));
            other && !here
        });
        let talked_about = naming.iter().all(|(r, _)| {
            let sentence = &text[r.clone()];
            ONLY_TALKED_ABOUT.iter().any(|w| sentence.contains(w))
                // A discovered name only signed for is not yet the place's (签约落户 is).
                || entity.is_discovered() && sentence.contains("签约") && !SETTLED.iter().any(|w| sentence.contains(w))
        });
        // A discovered name that starts with another place than the document's (深圳科技工业园 in an article about
        // 潍坊经济开发区) lies there, or at least not here.
        let named_elsewhere = entity.is_discovered()
            && super::names::leading_place(dict, &entity.name)
                .is_some_and(|p| p != place.entity && !related(dict, p, place.entity))
            && !bracketed_places(&entity.name).any(|p| dict.lookup(p).is_some_and(|e| related(dict, e, place.entity)));
        // 全市唯一的金融项目 in an article about a district: the sentence speaks of the city, not of the district.
        let other_level = naming.iter().all(|(r, _)| {
            super::SELF_REFERENCES.iter().any(|(w, level)| {
                text[r.clone()].contains(w) && !super::named_with_suffix(dict, place.entity, &level.to_string())
            })
        });
        if bracketed || somewhere_else || talked_about || other_level || named_elsewhere {
            continue;
        }
        out.push(Implicit { mention: i, head: m.entity, tail: place.entity });
    }
    out
}

/// Words that say a signed project settles here.
const SETTLED: &[&str] = &["落户", "落地", "入驻", "开工", "建设", "投产"];

/// Does one place lie in the other (either way, at any depth)?
fn related(dict: &Dictionary, a: EntityId, b: EntityId) -> bool {
    dict.lies_in(a, b) || dict.lies_in(b, a)
}

/// The bracketed parts of a name: 上海 in 潍坊(上海)生物医药产业园.
fn bracketed_places(name: &str) -> impl Iterator<Item = &str> {
    name.split(['(', '（']).skip(1).filter_map(|rest| rest.split([')', '）']).next()).filter(|p| !p.is_empty())
}

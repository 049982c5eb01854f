//! Stage 5, document context: what a whole article is about, for the relations a single sentence leaves implicit.
//!
//! A news article is about one place: its title names it (寿光五十个重点项目集中开工), its dateline does (本报潍坊讯),
//! or it speaks of itself as 我市 / 我区 / 本区 / 全县. Sentences then leave that place out: 市委书记X, a list of the
//! projects that started, a company visited. This stage decides the place once per document, with where the
//! decision came from ([`Source`]), and [`implicit`] derives the relations that rest on it. Every such relation
//! says so in its evidence (`context`), with the span of the words that named the place.

pub mod implicit;
pub mod names;
mod refer;

pub use refer::context_source;

use std::ops::Range;

use crate::dict::Dictionary;
use crate::model::{EntityId, Mention};
use crate::read::text::NormText;

use super::doc::Doc;

/// The stage: the document's place and title ([`DocContext`]) and its entities by number of mentions, which the
/// rules ask for (see [`crate::extract::rules::DocumentContext`]).
pub fn read(doc: &mut Doc) {
    // The place the user says the document is about (`--place`, a record's `place`), if the dictionaries hold it.
    let given = doc.source.meta.get("place").and_then(|p| doc.dict.lookup(p));
    let given = given.filter(|&e| doc.dict.entity(e).kind == "district");
    doc.context = DocContext::new(&doc.norm, &doc.dict, &doc.mentions, given);
    doc.by_frequency = by_frequency(&doc.mentions);
}

/// Entities by number of mentions (most first), ties broken by the first mention.
fn by_frequency(mentions: &[Mention]) -> Vec<EntityId> {
    // entity → (count, first position)
    let mut tally: std::collections::HashMap<EntityId, (usize, usize)> = std::collections::HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        tally.entry(m.entity).or_insert((0, i)).0 += 1;
    }
    let mut counts: Vec<(EntityId, usize, usize)> = tally.into_iter().map(|(e, (n, first))| (e, n, first)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts.into_iter().map(|c| c.0).collect()
}

/// Where the document's place was read from, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// The title (the first line of a text whose body follows on later lines).
    Title,
    /// The dateline: 本报潍坊讯, 新华社潍坊电, 潍坊报道 near the start of the body.
    Dateline,
    /// The article speaks of itself: 我市, 我区, 本区, 全县 … (the most-mentioned place of that level).
    SelfReference,
    /// Nothing says it: the place the document names most often (at least twice, and more than any other).
    Prominence,
}

impl Source {
    /// The name recorded in evidence (`context`).
    pub fn name(self) -> &'static str {
        match self {
            Source::Title => "title",
            Source::Dateline => "dateline",
            Source::SelfReference => "self-reference",
            Source::Prominence => "prominence",
        }
    }
}

/// The place a document is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The place (a `district` entity).
    pub entity: EntityId,
    /// Where it was read from.
    pub source: Source,
    /// The words that name it (normalised byte range): the title's or dateline's mention, or 我市 ….
    pub at: Range<usize>,
}

/// The longest first line that counts as a title.
const TITLE_CHARS: usize = 80;
/// How far into the body a dateline is looked for (bytes of normalised text).
const DATELINE_BYTES: usize = 400;
/// Words that end a dateline right after the place: 本报潍坊讯, 新华社潍坊电, 潍坊报道.
const DATELINE_ENDS: &[&str] = &["讯", "电", "报道", "消息"];
/// Words by which an article refers to its own place, with the level of place they mean.
pub(crate) const SELF_REFERENCES: &[(&str, char)] = &[
    ("我市", '市'),
    ("本市", '市'),
    ("全市", '市'),
    ("我区", '区'),
    ("本区", '区'),
    ("该区", '区'),
    ("全区", '区'),
    ("我县", '县'),
    ("本县", '县'),
    ("全县", '县'),
];

/// What the whole document says about itself.
#[derive(Clone, Debug, Default)]
pub struct DocContext {
    /// The place the document is about, if anything decides it.
    pub place: Option<Place>,
    /// The title's byte range in the normalised text, if the document has one.
    pub title: Option<Range<usize>>,
}

/// Does any name of the entity (canonical or alias) end with `suffix`?
pub fn named_with_suffix(dict: &Dictionary, entity: EntityId, suffix: &str) -> bool {
    let e = dict.entity(entity);
    e.name.ends_with(suffix) || e.aliases.iter().any(|a| a.ends_with(suffix))
}

/// The place a party committee or a zone's or street's own office governs: 唐山市委 → 唐山, 埕口镇党委 → 埕口镇,
/// 潍坊高新区党工委 → 潍坊高新区, 郑州航空港实验区管委会 → 郑州航空港实验区, 朱刘街道办事处 → 朱刘街道. Its head leads
/// the place (the annotation guidelines count 市委书记 and 管委会主任 as leading the place).
pub fn committee_place(dict: &Dictionary, entity: EntityId) -> Option<EntityId> {
    let name = crate::read::text::normalize_name(&dict.entity(entity).name);
    let stem = ["党工委", "党委", "管委会", "办事处", "委"].iter().find_map(|s| name.strip_suffix(s))?;
    if !stem.ends_with(['市', '区', '县', '镇', '乡', '省', '道']) {
        return None;
    }
    let place = |n: &str| dict.lookup(n).filter(|&e| e != entity && dict.entity(e).kind == "district");
    let last = stem.char_indices().next_back().map_or(0, |(i, _)| i);
    place(stem).or_else(|| place(&stem[..last]))
}

/// Does the entity fit a suffix spec as rules write it (`topic_suffix`): alternatives separated by `|`, and
/// exclusions marked `!` — "区|!开发区|!高新区" is a name ending in 区 but in none of 开发区, 高新区.
pub fn fits_suffix_spec(dict: &Dictionary, entity: EntityId, spec: &str) -> bool {
    let (mut wanted, mut any_wanted) = (false, false);
    for part in spec.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        match part.strip_prefix('!') {
            Some(not) => {
                if named_with_suffix(dict, entity, not) {
                    return false;
                }
            }
            None => {
                any_wanted = true;
                wanted |= named_with_suffix(dict, entity, part);
            }
        }
    }
    wanted || !any_wanted
}

impl DocContext {
    /// Reads the context of a normalised document from its mentions (in text order).
    pub fn new(norm: &NormText, dict: &Dictionary, mentions: &[Mention], given: Option<EntityId>) -> Self {
        let text = norm.text.as_str();
        let is_place = |m: &&Mention| dict.entity(m.entity).kind == "district";
        let title = title_range(text, norm.soft_breaks());
        let mut place = None;
        if let Some(t) = &title {
            // The first place in the title; a place named right after it is a part of it (潍坊诸城, 沈阳市辽中区).
            let mut in_title = mentions.iter().filter(|m| m.norm.end <= t.end).filter(is_place);
            if let Some(first) = in_title.next() {
                let mut chosen = first;
                for next in in_title {
                    if next.norm.start == chosen.norm.end {
                        chosen = next;
                    } else {
                        break;
                    }
                }
                place = Some(Place { entity: chosen.entity, source: Source::Title, at: chosen.norm.clone() });
            }
        }
        let body_start = title.as_ref().map_or(0, |t| t.end);
        if place.is_none() {
            let limit = body_start + DATELINE_BYTES;
            place = mentions
                .iter()
                .filter(|m| m.norm.start >= body_start && m.norm.end <= limit)
                .filter(is_place)
                .find(|m| {
                    let after = &text[m.norm.end..];
                    let after = after.trim_start_matches([' ', '市']);
                    DATELINE_ENDS.iter().any(|w| after.starts_with(w))
                        && text[..m.norm.start].rfind(['\n', '。']).is_none_or(|i| m.norm.start - i < 40)
                })
                .map(|m| Place { entity: m.entity, source: Source::Dateline, at: m.norm.clone() });
        }
        let counts = mention_counts(mentions, dict);
        if place.is_none() {
            // The first self-reference decides the level; the most-mentioned place of that level is meant.
            let first = SELF_REFERENCES
                .iter()
                .filter_map(|(w, level)| text[body_start..].find(w).map(|i| (body_start + i, *w, *level)))
                .min_by_key(|&(at, _, _)| at);
            if let Some((at, word, level)) = first {
                let level = level.to_string();
                let of_level: Vec<EntityId> =
                    counts.iter().map(|&(e, _)| e).filter(|&e| named_with_suffix(dict, e, &level)).collect();
                // The place the user gave, where it is of the level the self-reference speaks of (我县: a 县).
                let given = given.filter(|&e| named_with_suffix(dict, e, &level));
                place = given.or_else(|| own_place(dict, &of_level, &counts)).map(|entity| Place {
                    entity,
                    source: Source::SelfReference,
                    at: at..at + word.len(),
                });
            }
        }
        if place.is_none() {
            // Prominence alone does not make a discovered place the article's (齐鲁化工区 named twice in an article
            // about the district around it): a title, a dateline or a self-reference must.
            if let Some(&(entity, n)) = counts.first().filter(|c| !dict.entity(c.0).is_discovered()) {
                let runner_up = counts.get(1).map_or(0, |c| c.1);
                if n >= 2 && n > runner_up {
                    let first = mentions.iter().find(|m| m.entity == entity).map(|m| m.norm.clone());
                    place = first.map(|at| Place { entity, source: Source::Prominence, at });
                }
            }
        }
        DocContext { place, title }
    }
}

/// The place a self-reference (我市) means, of the places of its level the document names (most-mentioned first):
/// the most mentioned, unless one of the others lies in it and holds most of the other places the document names
/// that lie in it. A county-level city's own paper names its prefecture often (潍坊市 for 诸城's 我市), but the towns
/// and parks it names lie in the county-level city.
fn own_place(dict: &Dictionary, of_level: &[EntityId], counts: &[(EntityId, usize)]) -> Option<EntityId> {
    let &first = of_level.first()?;
    let others: Vec<EntityId> = counts.iter().map(|&(e, _)| e).filter(|e| !of_level.contains(e)).collect();
    let inside = |place: EntityId| others.iter().filter(|&&e| dict.lies_in(e, place)).count();
    let in_first = inside(first);
    let deeper = of_level[1..].iter().copied().filter(|&e| dict.lies_in(e, first)).max_by_key(|&e| inside(e));
    Some(deeper.filter(|&e| inside(e) * 2 > in_first).unwrap_or(first))
}

/// Places by number of mentions, most first (ties: the one mentioned first).
fn mention_counts(mentions: &[Mention], dict: &Dictionary) -> Vec<(EntityId, usize)> {
    let mut counts: Vec<(EntityId, usize, usize)> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        if dict.entity(m.entity).kind != "district" {
            continue;
        }
        match counts.iter_mut().find(|c| c.0 == m.entity) {
            Some(c) => c.1 += 1,
            None => counts.push((m.entity, 1, i)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts.into_iter().map(|(e, n, _)| (e, n)).collect()
}

/// The first line, if it is short, is not a sentence of the body (no 。) and more text follows. A line break between
/// two Chinese characters was removed by normalisation (`soft_breaks`), and ends the line all the same.
fn title_range(text: &str, soft_breaks: &[usize]) -> Option<Range<usize>> {
    let lead = text.len() - text.trim_start().len();
    let rest = &text[lead..];
    let hard = rest.find('\n');
    let soft = soft_breaks.iter().find(|&&b| b > lead).map(|&b| b - lead);
    let end = match (hard, soft) {
        (Some(h), Some(s)) => h.min(s),
        (h, s) => h.or(s)?,
    };
    let line = &rest[..end];
    let body_follows = !rest[end..].trim().is_empty();
    (body_follows && !line.contains('。') && line.chars().count() <= TITLE_CHARS && !line.trim().is_empty())
        .then(|| lead..lead + end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::mentions::Matcher;

    fn context(text: &str) -> (Dictionary, Option<(String, Source)>) {
        let mut dict = Dictionary::empty();
        let rows =
            "name,type,aliases,parent\n寿光,district,寿光市,潍坊\n潍坊,district,潍坊市,\n诸城,district,诸城市,潍坊\n\
                    奎文区,district,,潍坊\n星河产业园,park,,\n相州镇,district,,诸城\n枳沟镇,district,,诸城\n";
        dict.load_bytes(rows.as_bytes(), "t.csv", true).unwrap();
        let matcher = Matcher::new(&dict).unwrap();
        let norm = NormText::new(text);
        let mentions: Vec<Mention> = matcher
            .find(&norm.text)
            .into_iter()
            .map(|(entity, r)| Mention { entity, norm: r, span: crate::model::Span { start: 0, end: 0 } })
            .collect();
        let c = DocContext::new(&norm, &dict, &mentions, None);
        let place = c.place.map(|p| (dict.entity(p.entity).name.clone(), p.source));
        (dict, place)
    }

    #[test]
    fn the_place_comes_from_title_dateline_self_reference_or_prominence() {
        let table: &[(&str, Option<(&str, Source)>)] = &[
            ("寿光:十个项目开工\n潍坊的项目很多。潍坊很好。", Some(("寿光", Source::Title))),
            // A place named right after another in the title is a part of it.
            ("潍坊诸城冲刺千亿\n正文在此。", Some(("诸城", Source::Title))),
            ("项目建设提速\n本报潍坊讯 寿光的项目开工。", Some(("潍坊", Source::Dateline))),
            ("项目建设提速\n我市项目开工。寿光市有项目,潍坊市也有,潍坊市很多。", Some(("潍坊", Source::SelfReference))),
            ("全区项目建设提速。奎文区好,潍坊也好,奎文区更好。", Some(("奎文区", Source::SelfReference))),
            // A county-level city's paper: the towns it names lie in it, not only in the prefecture it names more.
            (
                "项目建设提速\n我市项目开工。潍坊市领导出席,潍坊市好,诸城市好。相州镇、枳沟镇项目开工。",
                Some(("诸城", Source::SelfReference)),
            ),
            (
                "项目建设提速\n我市项目开工。潍坊市领导出席,潍坊市好,诸城市好。奎文区项目开工。",
                Some(("潍坊", Source::SelfReference)),
            ),
            ("项目建设提速\n奎文区好,潍坊也好,奎文区更好。", Some(("奎文区", Source::Prominence))),
            // Once each: nothing decides.
            ("项目建设提速\n奎文区好,潍坊也好。", None),
            // A first line ending a sentence is no title.
            ("寿光的项目开工了。\n潍坊好。", None),
        ];
        for (text, want) in table {
            let (_, got) = context(text);
            let got = got.as_ref().map(|(n, s)| (n.as_str(), *s));
            assert_eq!(got, *want, "{text}");
        }
    }
}

//! From a document's strong candidates to its discovered entities. The dictionary always wins: a candidate that is
//! a dictionary name, or overlaps a dictionary mention other than a place inside it (潍坊 in 潍坊星河电子有限公司), is
//! left out. One entity stands for a name and its other forms: a park and its project (星宇新材料产业园项目), the
//! name with and without the place that leads it (高密市星宇新材料产业园), a park without its phase (…基地二期).

use std::collections::HashMap;
use std::ops::Range;

use super::{Discovered, Found};
use crate::dict::Dictionary;
use crate::model::{Entity, EntityId, Origin, DISCOVERED};
use crate::read::text::{normalize_name, NormText};

/// The entities discovered so far in a document, and every form of their names.
pub(super) struct Entities<'d> {
    dict: &'d Dictionary,
    /// Each form of a name taken so far, and its entity.
    names: HashMap<String, EntityId>,
    out: Discovered,
}

impl<'d> Entities<'d> {
    /// None yet; new entities get ids from the dictionary's length on.
    pub(super) fn new(dict: &'d Dictionary) -> Self {
        Entities { dict, names: HashMap::new(), out: Discovered::default() }
    }

    /// Adds one sentence's strong candidates (longest first, so that the longest of overlapping ones wins) as
    /// mentions, of a new entity or of one found before under this or another form; `known` are the sentence's
    /// dictionary mentions.
    pub(super) fn add_sentence(
        &mut self,
        norm: &NormText,
        known: &[(EntityId, Range<usize>)],
        sentence: &Range<usize>,
        found: Vec<Found>,
    ) {
        let mentions_before = self.out.mentions.len();
        for f in found {
            let name = normalize_name(&f.name);
            if self.dict.lookup(&name).is_some() {
                continue;
            }
            let crosses = self.out.mentions[mentions_before..]
                .iter()
                .any(|(_, r, _)| r.start < f.range.end && f.range.start < r.end);
            if blocked_by_known(self.dict, known, &f) || crosses || in_book_title(&norm.text, sentence, &f.range) {
                continue;
            }
            let id = self.entity_for(known, &f, name);
            self.out.mentions.push((id, f.range.clone(), f.evidence));
        }
    }

    /// The entity a candidate named `name` stands for: one found before under this name or another of its forms
    /// (which gains this name as an alias), or a new one.
    fn entity_for(&mut self, known: &[(EntityId, Range<usize>)], f: &Found, name: String) -> EntityId {
        // A park's project (星宇新材料产业园项目) and the park (星宇新材料产业园) are one entity.
        let stem = park_of_project(&name).filter(|s| self.dict.lookup(s).is_none());
        // The same name after a place (高密市星宇新材料产业园) is the same entity too.
        let unplaced = without_leading_place(self.dict, known, f, &name);
        let existing = self
            .names
            .get(&name)
            .or_else(|| stem.as_ref().and_then(|s| self.names.get(s)))
            .or_else(|| unplaced.as_ref().and_then(|u| self.names.get(u)))
            .copied();
        if let Some(id) = existing {
            let e = &mut self.out.entities[id - self.dict.len()];
            if e.name != name && !e.aliases.contains(&name) {
                e.aliases.push(name.clone());
            }
            self.names.insert(name, id);
            return id;
        }
        let mut aliases: Vec<String> = Vec::new();
        for form in stem.iter().chain(&unplaced).cloned().chain(without_phase(&name)) {
            if form != name && !aliases.contains(&form) && self.dict.lookup(&form).is_none() {
                aliases.push(form);
            }
        }
        self.out.entities.push(Entity {
            name: name.clone(),
            kind: f.kind.to_string(),
            aliases,
            parent: None,
            title: None,
            origin: Origin { file: DISCOVERED.into(), line: 0 },
            confidence: None,
        });
        let id = self.dict.len() + self.out.entities.len() - 1;
        self.names.insert(name, id);
        for form in stem.into_iter().chain(unplaced) {
            self.names.entry(form).or_insert(id);
        }
        id
    }

    /// What the sentences gave.
    pub(super) fn into_discovered(self) -> Discovered {
        self.out
    }
}

/// Does a dictionary mention block the candidate? Any that overlaps it does, except one inside it that may stand
/// in a name: a place anywhere, a company at the head of a park or company (联科 in 联科纳米碳材料, also after the
/// place that leads it), or another place's body known by the local short name of this city's (石家庄 + 市发改委).
fn blocked_by_known(dict: &Dictionary, known: &[(EntityId, Range<usize>)], f: &Found) -> bool {
    known.iter().any(|(e, r)| {
        let overlaps = r.start < f.range.end && f.range.start < r.end;
        let inside = f.range.start <= r.start && r.end <= f.range.end;
        let kind = dict.entity(*e).kind.as_str();
        let head =
            r.start == f.range.start || place_at(dict, known, f.range.start).is_some_and(|place| place.end == r.start);
        let local = kind == "organization" && f.kind == "organization" && r.end == f.range.end;
        let allowed =
            kind == "district" || (kind == "company" && matches!(f.kind, "park" | "company") && head) || local;
        overlaps && !(inside && allowed)
    })
}

/// Does `range` lie inside a title in 《》 (a plan's, a film's)? Its words are the title's, not a name in the text.
fn in_book_title(text: &str, sentence: &Range<usize>, range: &Range<usize>) -> bool {
    let before = &text[sentence.start..range.start];
    before.rfind('《').is_some_and(|open| before.rfind('》').is_none_or(|close| close < open))
}

/// A discovered name without the known place that starts it (星宇新材料产业园 for 高密市星宇新材料产业园), if the rest
/// is still a name of its type (four characters or more).
fn without_leading_place(
    dict: &Dictionary,
    known: &[(EntityId, Range<usize>)],
    f: &Found,
    name: &str,
) -> Option<String> {
    let place = place_at(dict, known, f.range.start)?;
    let rest = name.get(place.len()..)?;
    (f.kind == "park" && rest.chars().count() >= 4).then(|| rest.to_string())
}

/// A park's name without the phase at its end (中车交通城市运维装备北方基地 for …北方基地二期).
fn without_phase(name: &str) -> Option<String> {
    let stem = name.strip_suffix('期')?;
    let stem = stem.strip_suffix(['一', '二', '三', '四', '五'])?;
    (stem.chars().count() >= 4).then(|| stem.to_string())
}

/// The park a project is named after (星宇新材料产业园 for 星宇新材料产业园项目): a project's name whose stem ends
/// in a park's ending.
fn park_of_project(name: &str) -> Option<String> {
    let stem = name.strip_suffix("项目")?;
    let park = ["园", "基地", "中心", "综合体", "小镇", "工厂", "电站", "港", "城"].iter().any(|e| stem.ends_with(e));
    (park && stem.chars().count() >= 4).then(|| stem.to_string())
}

/// The known place that starts at `start` (高密市 in 高密市星宇新材料产业园, 云南 in 云南云内动力机械制造有限公司).
fn place_at(dict: &Dictionary, known: &[(EntityId, Range<usize>)], start: usize) -> Option<Range<usize>> {
    known.iter().find(|(e, r)| r.start == start && dict.entity(*e).kind == "district").map(|(_, r)| r.clone())
}

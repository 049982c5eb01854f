//! Discovery: names no dictionary lists, found by Chinese patterns.
//!
//! Candidates come from these kinds of evidence (cues), all read off jieba-rs's part-of-speech segmentation of each
//! sentence (with the known names loaded as words); the word lists they use are in `dictionaries/discovery.toml`
//! ([`Lexicon`], `lexicon.rs`), and each cue has its own file:
//! - **suffix** (`suffix.rs`): a run of name-like words ending in 有限公司, 集团, 产业园, 基地, 开发区, 局, 商会 … (the
//!   ending gives the type), never swallowing a verb or a place before it (在潍坊投资的X公司 → X公司); a company's
//!   short name before its project is split off (**before-project**: 诺盟化工 + 年产…项目);
//! - **title** (`people.rs`): a two- or three-character name, surname first, right after a post (书记, 董事长, 局长 …)
//!   is a person, and so is each further name of a list after it (市领导A、B、C);
//! - **subject** (`people.rs`): a person's name opening a clause before a verb of official business (A主持, A、B调研);
//! - **list** (`lists.rs`): the items of a list closed by 等 and 项目 or 企业 (A、B等N个项目);
//! - **pos** (`pos.rs`): words the segmenter had to guess that it tags as a person (`nr`), place (`ns`) or
//!   organization (`nt`);
//! - **boundary** (`known_names.rs`): a known name followed by a company word (德纳 + 电机) is another name for it;
//!   and a generic zone word after another place is that place's zone (泰安 + 高新区).
//!
//! `guanxi suggest` tallies all of them over a corpus ([`sentence_candidates`]). Extraction ([`discover`]) takes
//! the strong ones (suffix, title, subject, list, before-project; [`is_strong`], [`acceptable`]) as the document's
//! own entities: dictionary mentions always win where they overlap.
//!
//! The stage, sentence by sentence: a quick scan skips sentences that cannot hold a strong candidate
//! (`triggers.rs`); the rest are tagged and each token proposes candidates by cue (`candidates.rs`, the
//! dispatcher); the strong, acceptable ones become entities, one per name and its forms (`entities.rs`). Then the
//! whole document is searched for the entities' other forms: trade names, parks' forms, the own city's zone
//! (`short_forms.rs`). Word lists several cues share are in `words.rs`.

mod accept;
mod candidates;
mod entities;
mod known_names;
mod lexicon;
mod lists;
mod people;
mod pos;
mod short_forms;
mod stage;
mod suffix;
mod triggers;
mod words;

use std::ops::Range;

pub use accept::{acceptable, is_strong};
pub use candidates::sentence_candidates;
pub use lexicon::{lexicon, Lexicon, BUILTIN_LEXICON};
pub use stage::add;

use crate::dict::Dictionary;
use crate::extract::mentions::Matcher;
use crate::model::{Entity, EntityId};
use crate::read::text::{normalize_name, NormText};

/// One candidate name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Where it stands (normalised byte range).
    pub range: Range<usize>,
    /// The name as written (for an alias, the known entity's canonical name).
    pub name: String,
    /// The kind of evidence: `suffix` (or `suffix-loose`), `before-project`, `title`, `subject`, `list`, `pos` or
    /// `boundary`.
    pub evidence: &'static str,
    /// The guessed type.
    pub kind: &'static str,
    /// For another name of a known entity, that name.
    pub alias: Option<String>,
}

/// What discovery adds to one document: new entities (ids from the dictionary's length on, in order) and their
/// mentions, and the dictionary mentions a discovered name covers (a place inside it: 潍坊 in 潍坊星河电子有限公司).
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    /// The new entities.
    pub entities: Vec<Entity>,
    /// Their mentions: entity id, normalised byte range, and the kind of evidence (`suffix`, `title` …, and for
    /// the forms found in the whole document `short form` or `own zone`).
    pub mentions: Vec<(EntityId, Range<usize>, &'static str)>,
}

/// Names in a document that the dictionary does not list: strong candidates (a name before a suffix, a name after
/// a post) in each sentence. A candidate that is a dictionary name, or overlaps a dictionary mention other than a
/// place inside it, is left out: the dictionary always wins. One entity per distinct name.
pub fn discover(
    dict: &Dictionary,
    matcher: &Matcher,
    norm: &NormText,
    known: &[(EntityId, Range<usize>)],
    sentences: &[Range<usize>],
) -> Discovered {
    let mut entities = entities::Entities::new(dict);
    for sentence in sentences {
        let sentence_known = candidates::sentence_known(known, sentence);
        // Most of the time goes into tagging; a sentence without any ending, post, verb of business or 等 can hold
        // no strong candidate.
        if !triggers::may_hold_names(&norm.text, sentence, sentence_known) {
            continue;
        }
        let found = strong_candidates(dict, matcher, norm, sentence_known, sentence);
        entities.add_sentence(norm, sentence_known, sentence, found);
    }
    let mut out = entities.into_discovered();
    short_forms::park_forms(dict, norm, known, &mut out);
    short_forms::trade_names(dict, matcher, norm, known, &mut out);
    short_forms::own_city_zone(dict, norm, known, &mut out);
    out.mentions.sort_by_key(|(_, r, _)| r.start);
    out
}

/// Leaves out the names a stop list stops, with their mentions (each counted on its stop entry with `count`: where
/// the names become the document's, not where they are only hints); the others keep their order and get new ids.
pub fn drop_stopped(dict: &Dictionary, out: &mut Discovered, count: bool) {
    let list = dict.stop_list();
    if !list.has_user_entries() {
        return;
    }
    let stopping: Vec<_> = out.entities.iter().map(|e| list.stopping(&normalize_name(&e.name))).collect();
    if stopping.iter().all(Option::is_none) {
        return;
    }
    let base = dict.len();
    let mut new_id = Vec::with_capacity(stopping.len());
    let mut next = base;
    for s in &stopping {
        new_id.push(next);
        next += usize::from(s.is_none());
    }
    out.mentions.retain(|(e, _, _)| match stopping[*e - base] {
        Some(entry) => {
            if count {
                entry.count();
            }
            false
        }
        None => true,
    });
    for (e, _, _) in &mut out.mentions {
        *e = new_id[*e - base];
    }
    let mut i = 0;
    out.entities.retain(|_| {
        i += 1;
        stopping[i - 1].is_none()
    });
}

/// The candidates of a sentence that may become entities (strong, acceptable, no other name of a known entity),
/// longest first: where candidates overlap, the longest wins (星河精工机械有限公司 over 星河精工机械).
fn strong_candidates(
    dict: &Dictionary,
    matcher: &Matcher,
    norm: &NormText,
    known: &[(EntityId, Range<usize>)],
    sentence: &Range<usize>,
) -> Vec<Found> {
    let mut found: Vec<Found> = sentence_candidates(dict, matcher, norm, known, sentence.clone())
        .into_iter()
        .filter(|f| is_strong(f) && f.alias.is_none() && acceptable(f))
        .collect();
    found.sort_by_key(|f| (std::cmp::Reverse(f.range.len()), f.range.start));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text;

    /// Checks each text's discovered (name, type) pairs, in any order.
    fn check_discovered(table: &[(&str, &[(&str, &str)])]) {
        for (text, want) in table {
            let mut got = discovered(text);
            got.sort();
            let mut want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
            want.sort();
            assert_eq!(got, want, "{text}");
        }
    }

    fn discovered(text: &str) -> Vec<(String, String)> {
        let dict = Dictionary::builtin().unwrap();
        let matcher = Matcher::new(&dict).unwrap();
        let norm = NormText::new(text);
        let known = matcher.find(&norm.text);
        let ranges: Vec<_> = known.iter().map(|(_, r)| r.clone()).collect();
        let sentences = text::sentences(&norm, &ranges);
        let d = discover(&dict, &matcher, &norm, &known, &sentences);
        d.entities.into_iter().map(|e| (e.name, e.kind)).collect()
    }

    #[test]
    fn short_forms_of_discovered_companies_are_their_mentions() {
        let dict = Dictionary::builtin().unwrap();
        let matcher = Matcher::new(&dict).unwrap();
        let norm = NormText::new("潍坊星河精工机械有限公司开业。星河精工订单饱满。");
        let known = matcher.find(&norm.text);
        let sentences = text::sentences(&norm, &known.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>());
        let d = discover(&dict, &matcher, &norm, &known, &sentences);
        assert_eq!(d.entities.len(), 1);
        assert_eq!(d.entities[0].aliases, ["星河精工"]);
        let short: Vec<&str> =
            d.mentions.iter().filter(|m| m.2 == "short form").map(|m| &norm.text[m.1.clone()]).collect();
        assert_eq!(short, ["星河精工"]);
    }

    #[test]
    fn names_before_suffixes_and_after_posts() {
        let table: &[(&str, &[(&str, &str)])] = &[
            // The short form later in the document is the same company (an alias, no new entity).
            (
                "潍坊星河精工机械有限公司董事长张大伟表示,公司将在寿光市建设年产5万吨新材料项目。星河精工订单饱满。",
                &[("潍坊星河精工机械有限公司", "company"), ("张大伟", "official"), ("年产5万吨新材料项目", "park")],
            ),
            // A count is no name; a listed name is not discovered again; a verb phrase is no name.
            ("今年全市12个重大项目开工。", &[]),
            ("我们要大力开展园区招商。", &[]),
            ("歌尔股份有限公司发布新品。", &[]),
        ];
        check_discovered(table);
    }

    #[test]
    fn companies_before_projects_zones_and_other_cities_bodies() {
        let table: &[(&str, &[(&str, &str)])] = &[
            // A trade name and a trade word before a capacity-named project: the company, then its project.
            ("宏达化工年产5万吨环保树脂项目昨日开工。", &[("宏达化工", "company"), ("年产5万吨环保树脂项目", "park")]),
            // 石化, 钢构, 铝业 and 橡胶 are trade words too.
            ("金鼎石化年产10万吨沥青项目开工。", &[("金鼎石化", "company"), ("年产10万吨沥青项目", "park")]),
            // Products listed with 、 inside a capacity-named project.
            (
                "金禾化工年产2万吨阻燃剂、增塑剂系列产品项目昨日开工。",
                &[("金禾化工", "company"), ("年产2万吨阻燃剂、增塑剂系列产品项目", "park")],
            ),
            // A company's short name inside a project's name, with its province: split where the product starts.
            (
                "落户工业园的山东泰和生物科技功能饮料灌装项目开工。",
                &[("山东泰和生物科技", "company"), ("功能饮料灌装项目", "park")],
            ),
            // Too little after the trade word to be a product: one name.
            ("青禾生物经济项目签约。", &[("青禾生物经济项目", "park")]),
            // A zone's generic name before a project is where it lies: the zone of the place before it.
            (
                "在淄博市高新区精密轴承研发基地项目现场,工人们正在施工。",
                &[("淄博市高新区", "district"), ("精密轴承研发基地项目", "park")],
            ),
            // Another city's body known by the local short name of Weifang's.
            ("石家庄市发改委主任王大明出席。", &[("石家庄市发改委", "organization"), ("王大明", "official")]),
            // An item of a count-closed list with a name's own ending.
            ("落户园区的铁牛机械、宏远管桩二期两个项目开工。", &[("铁牛机械", "company"), ("宏远管桩二期", "park")]),
            // A bare zone word at a clause's start in an article about one other city: that city's zone.
            ("枣庄讯 近日,高新区签约一批项目。", &[("枣庄高新区", "district")]),
            // ... not after another word (省级高新区 is a rank, not a zone).
            ("枣庄讯 兖州区获批省级高新区。", &[]),
            // A known place after a surname that follows a post is part of the name.
            ("镇党委书记于海南参加活动。", &[("于海南", "official")]),
            // A project named by a capacity per year, and one right after its company, may hold verbs.
            (
                "宏达化工股份有限公司5万吨/年异丁烯项目开工。",
                &[("宏达化工股份有限公司", "company"), ("5万吨/年异丁烯项目", "park")],
            ),
            (
                "蓝天新材料有限公司催化剂搬迁入园升级改造项目开工。",
                &[("蓝天新材料有限公司", "company"), ("催化剂搬迁入园升级改造项目", "park")],
            ),
            // A company's name ends at its legal form.
            (
                "金禾现代农机装备有限公司农业机器人研发中心投用。",
                &[("金禾现代农机装备有限公司", "company"), ("农业机器人研发中心", "park")],
            ),
        ];
        check_discovered(table);
    }
}

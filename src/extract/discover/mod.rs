//! Discovery: names no dictionary lists, found by Chinese patterns.
//!
//! Candidates come from these kinds of evidence, all read off jieba-rs's part-of-speech segmentation of each
//! sentence (with the known names loaded as words); the word lists they use are in `dictionaries/discovery.toml`
//! ([`Lexicon`]):
//! - **suffix**: a run of name-like words ending in 有限公司, 集团, 产业园, 基地, 开发区, 局, 商会 … (the ending gives
//!   the type), never swallowing a verb or a place before it (在潍坊投资的X公司 → X公司);
//! - **title**: a two- or three-character name, surname first, right after a post (书记, 董事长, 局长 …) is a person,
//!   and so is each further name of a list after it (市领导A、B、C);
//! - **subject**: a person's name opening a clause before a verb of official business (A主持, A、B调研);
//! - **list**: the items of a list closed by 等 and 项目 or 企业 (A、B等N个项目);
//! - **pos**: words the segmenter had to guess that it tags as a person (`nr`), place (`ns`) or organization (`nt`);
//! - **boundary**: a known name followed by a company word (德纳 + 电机) is another name for it.
//!
//! `guanxi suggest` tallies all of them over a corpus. Extraction ([`discover`]) takes the strong ones (suffix,
//! title, subject, list) as the document's own entities: dictionary mentions always win where they overlap.

mod lexicon;
mod stage;

use std::ops::Range;

pub use lexicon::{lexicon, Lexicon, BUILTIN_LEXICON};
pub use stage::add;

use crate::dict::Dictionary;
use crate::extract::mentions::{Matcher, ZONE_WORDS};
use crate::model::{Entity, EntityId, Origin, DISCOVERED};
use crate::read::text::{is_han, NormText};

/// Words that never start a name: a candidate made only of these before its suffix is a common noun phrase.
const GENERIC: &[&str] = &[
    "公司",
    "该公司",
    "由",
    "为",
    "其",
    "本",
    "重点",
    "相关",
    "各类",
    "全区",
    "全市",
    "全省",
    "全县",
    "我市",
    "本市",
    "我区",
    "当地",
    "该",
    "上述",
    "其他",
    "周边",
    "各",
    "所有",
    "一批",
    "特色",
    "省级",
    "市级",
    "国家级",
    "专业",
    "企业",
    "工业",
    "产业",
    "园区",
    "城市",
    "新",
    "现代",
    "优质",
    "龙头",
    "主导",
    "新兴",
    "高新技术",
    "中心",
    "一个",
    "多个",
    "两个",
    "三个",
    "区域",
    "农业",
    "经济",
    "社会",
    "发展",
    "建设",
    "项目",
    "全国",
    "国家",
    "本地",
    "外地",
    "辖区",
    "这个",
    "这些",
    "每个",
    "市场",
    "县级",
    "区级",
];

/// Common words ending in a one-character suffix (区 县 市 镇 局): never names by themselves.
const COMMON_ENDINGS: &[&str] = &[
    "城市",
    "地区",
    "社区",
    "小区",
    "辖区",
    "全区",
    "市区",
    "城区",
    "山区",
    "片区",
    "景区",
    "新区",
    "全市",
    "全县",
    "县市区",
    "本市",
    "城镇",
    "乡镇",
    "集镇",
    "当局",
    "全局",
    "大局",
    "格局",
    "布局",
    "新局",
    "结局",
    "开局",
    "强市",
    "我市",
    "该市",
    "各区",
    "各县",
    "各市",
    "郊区",
    "街区",
    "园区",
    "商区",
    "厂区",
    "校区",
    "专区",
    "示范区",
    "先行区",
    "样板区",
    "核心区",
];

/// Words jieba's dictionary tags as places that are not place names.
const COMMON_PLACE_WORDS: &[&str] = &[
    "城市",
    "全国",
    "国内",
    "国际",
    "海外",
    "境外",
    "省内",
    "全省",
    "全市",
    "中华",
    "中国",
    "世界",
    "全球",
    "亚洲",
    "中外",
    "沿海",
    "内地",
    "本地",
    "外地",
    "各地",
    "当地",
    "农村",
    "城乡",
    "乡村",
    "东方",
    "西方",
    "南方",
    "北方",
    "中部",
    "西部",
    "东部",
    "桥头堡",
    "上市",
    "新旧",
    "海洋",
];

/// Words the segmenter may tag as nouns or names that never stand inside a name found by discovery (大力开展 is
/// tagged an organization).
const NOT_IN_NAMES: &[&str] = &[
    "大力开展",
    "开展",
    "推进",
    "加快",
    "全力",
    "积极",
    "聚力",
    "着力",
    "持续",
    "不断",
    "充分",
    "发挥",
    "优先",
    "保障",
    "推动",
    "突破",
    "招商",
    "引资",
    "招商引资",
    "重点",
    "一批",
    "各类",
    "相关",
    "上述",
    "其他",
    "所有",
    "全省",
    "全市",
    "全国",
    "首个",
    "首家",
];

/// Verbs that, after a name or another such verb, are a predicate rather than part of a name (安丘建设苏州(安丘)科技
/// 产业园); elsewhere they may be part of one (潍坊市城市建设发展投资集团).
const PREDICATES: &[&str] = &[
    "建设",
    "投资",
    "投资建设",
    "打造",
    "兴建",
    "落户",
    "入驻",
    "引进",
    "签约",
    "依托",
    "推进",
    "建成",
    "开工",
    "集聚",
    "成立",
    "设立",
    "举办",
    "参观",
    "调研",
    "考察",
];

/// Company words that, right after a known name, make another name for it (德纳电机, 歌尔电子).
const ALIAS_WORDS: &[&str] =
    &["电机", "电子", "集团", "公司", "股份", "新材料", "科技", "电器", "机械", "控股", "工厂"];

/// A token of a sentence: byte range in the normalised text, word, part-of-speech tag.
type Token<'t> = (usize, usize, &'t str, &'t str);

/// One candidate name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Where it stands (normalised byte range).
    pub range: Range<usize>,
    /// The name as written (for an alias, the known entity's canonical name).
    pub name: String,
    /// The kind of evidence: `suffix`, `title`, `pos` or `boundary`.
    pub evidence: &'static str,
    /// The guessed type.
    pub kind: &'static str,
    /// For another name of a known entity, that name.
    pub alias: Option<String>,
}

/// Kinds of evidence strong enough to make an entity during extraction.
const STRONG: &[&str] = &["suffix", "title", "subject", "list", "before-project"];

/// What discovery adds to one document: new entities (ids from the dictionary's length on, in order) and their
/// mentions, and the dictionary mentions a discovered name covers (a place inside it: 潍坊 in 潍坊星河电子有限公司).
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    /// The new entities.
    pub entities: Vec<Entity>,
    /// Their mentions: entity id, normalised byte range, and the kind of evidence (`suffix`, `title`).
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
    let mut out = Discovered::default();
    let mut names: std::collections::HashMap<String, EntityId> = std::collections::HashMap::new();
    let origin = Origin { file: DISCOVERED.into(), line: 0 };
    let document_known = known;
    for sentence in sentences {
        // Most of the time goes into tagging; a sentence without any ending, post, verb of business or 等 can hold
        // no strong candidate.
        let known = sentence_known(document_known, sentence);
        if !may_hold_names(&norm.text, sentence, known) {
            continue;
        }
        let mentions_before = out.mentions.len();
        let mut found: Vec<Found> = sentence_candidates(dict, matcher, norm, known, sentence.clone())
            .into_iter()
            .filter(|f| is_strong(f) && f.alias.is_none() && acceptable(f))
            .collect();
        // Where candidates overlap, the longest wins (星河精工机械有限公司 over 星河精工机械).
        found.sort_by_key(|f| (std::cmp::Reverse(f.range.len()), f.range.start));
        for f in found {
            let name = crate::read::text::normalize_name(&f.name);
            if dict.lookup(&name).is_some() {
                continue;
            }
            // Known names inside: a place anywhere, a company at the head of a project (联科 in 联科纳米碳材料).
            let blocked = known.iter().any(|(e, r)| {
                let overlaps = r.start < f.range.end && f.range.start < r.end;
                let inside = f.range.start <= r.start && r.end <= f.range.end;
                let kind = dict.entity(*e).kind.as_str();
                let head = r.start == f.range.start
                    || place_at(dict, known, f.range.start).is_some_and(|place| place.end == r.start);
                // Another place's body known by the local short name of this city's (石家庄 + 市发改委).
                let local = kind == "organization" && f.kind == "organization" && r.end == f.range.end;
                let allowed =
                    kind == "district" || (kind == "company" && matches!(f.kind, "park" | "company") && head) || local;
                overlaps && !(inside && allowed)
            });
            let crosses =
                out.mentions[mentions_before..].iter().any(|(_, r, _)| r.start < f.range.end && f.range.start < r.end);
            // Inside a title in 《》 (a plan's, a film's): words of the title, not a name in the text.
            let before = &norm.text[sentence.start..f.range.start];
            let in_title = before.rfind('《').is_some_and(|open| before.rfind('》').is_none_or(|close| close < open));
            if blocked || crosses || in_title {
                continue;
            }
            // A park's project (星宇新材料产业园项目) and the park (星宇新材料产业园) are one entity.
            let stem = park_of_project(&name).filter(|s| dict.lookup(s).is_none());
            // The same name after a place (高密市星宇新材料产业园) is the same entity too.
            let unplaced = without_leading_place(dict, known, &f, &name);
            let existing = names
                .get(&name)
                .or_else(|| stem.as_ref().and_then(|s| names.get(s)))
                .or_else(|| unplaced.as_ref().and_then(|u| names.get(u)))
                .copied();
            let id = match existing {
                Some(id) => {
                    let e = &mut out.entities[id - dict.len()];
                    if e.name != name && !e.aliases.contains(&name) {
                        e.aliases.push(name.clone());
                    }
                    names.insert(name, id);
                    id
                }
                None => {
                    let mut aliases: Vec<String> = Vec::new();
                    for form in stem.iter().chain(&unplaced).cloned().chain(without_phase(&name)) {
                        if form != name && !aliases.contains(&form) && dict.lookup(&form).is_none() {
                            aliases.push(form);
                        }
                    }
                    out.entities.push(Entity {
                        name: name.clone(),
                        kind: f.kind.to_string(),
                        aliases,
                        parent: None,
                        title: None,
                        origin: origin.clone(),
                    });
                    let id = dict.len() + out.entities.len() - 1;
                    names.insert(name, id);
                    for form in stem.into_iter().chain(unplaced) {
                        names.entry(form).or_insert(id);
                    }
                    id
                }
            };
            out.mentions.push((id, f.range.clone(), f.evidence));
        }
    }
    // The park's other forms elsewhere in the document are its mentions.
    for k in 0..out.entities.len() {
        if out.entities[k].kind == "park" {
            for alias in out.entities[k].aliases.clone() {
                add_short_form(known, &mut out, dict.len() + k, k, norm, alias);
            }
        }
    }
    short_forms(dict, matcher, norm, known, &mut out);
    own_city_zone(dict, norm, known, &mut out);
    out.mentions.sort_by_key(|(_, r, _)| r.start);
    out
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

/// Short forms of the companies discovered in a document: their trade name (星河精工 for 潍坊星河精工机械有限公司,
/// without place and legal form) wherever else the document uses it, as an alias. A trade name that is a word of
/// the segmenter's dictionary (a common word) or a dictionary name is not taken.
fn short_forms(
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

/// Words a company's name holds that the segmenter may read as verbs or time words (山东神驰控股有限公司,
/// 置业发展有限公司, 现代农业集团).
const COMPANY_WORDS: &[&str] = &[
    "控股",
    "投资",
    "建设",
    "发展",
    "置业",
    "贸易",
    "制造",
    "开发",
    "运营",
    "管理",
    "服务",
    "有限",
    "有限责任",
    "股份",
    "股份有限",
    "中",
    "现代",
];

/// Trades that end a company's trade name and that its short form leaves out.
const INDUSTRIES: &[&str] = &[
    "机械",
    "电子",
    "科技",
    "新材料",
    "化工",
    "实业",
    "制药",
    "医药",
    "生物",
    "能源",
    "物流",
    "电器",
    "纸业",
    "重工",
    "装备",
    "智能",
    "环保",
    "食品",
    "纺织",
    "汽车",
    "动力",
    "精密",
    "石化",
    "钢构",
    "铝业",
    "橡胶",
];

/// Zone words that, alone at a clause's start, name the article's city's own zone.
const OWN_ZONE_WORDS: &[&str] = &["高新区", "开发区", "经开区", "综保区", "保税区"];

/// A bare zone word opening a clause (,高新区围绕…; 在高新区) in an article that names one prefecture-level city and
/// not the listed zone's own: that city's zone (枣庄 + 高新区 → 枣庄高新区), named after the city's short form.
fn own_city_zone(dict: &Dictionary, norm: &NormText, known: &[(EntityId, Range<usize>)], out: &mut Discovered) {
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

/// Is this candidate's evidence strong enough to make an entity during extraction (a suffix, a post, a clause's
/// subject, a list item)?
pub fn is_strong(f: &Found) -> bool {
    STRONG.contains(&f.evidence)
}

/// Does a phrase start with a count (12个重大项目, 三家企业, 一批项目)? Then it is no name.
fn counted(name: &str) -> bool {
    crate::read::text::starts_with_count(name, "个家项批大条座所只")
}

/// A candidate good enough to stand as an entity: not a city or town guessed from a one-character ending.
pub fn acceptable(f: &Found) -> bool {
    if f.name.matches('(').count() != f.name.matches(')').count() {
        return false;
    }
    if f.name.ends_with("项目") {
        let stem = &f.name[..f.name.len() - "项目".len()];
        let counted_before = stem.ends_with(['个', '批']) || stem.contains("亿元") || stem.contains("万元");
        if counted_before || stem.contains("项目") || stem.ends_with("系列") || stem.ends_with(['及', '和']) {
            return false;
        }
    }
    match f.kind {
        "district" => {
            !f.name.ends_with('市')
                && f.name.chars().count() >= 3
                && !["立区", "强区", "兴区", "活区", "地区", "市区", "城区"].iter().any(|e| f.name.ends_with(e))
        }
        "company" => !f.name.ends_with("子公司") && !f.name.contains('与'),
        "park" => !f.name.ends_with("项目") || !PROJECT_GENERIC.iter().any(|g| f.name.ends_with(&format!("{g}项目"))),
        _ => true,
    }
}

/// Words that, right before 项目, make a kind of project rather than a project's name (重点项目, 文旅项目).
const PROJECT_GENERIC: &[&str] = &[
    "重点",
    "重大",
    "省级",
    "市级",
    "续建",
    "新建",
    "在建",
    "新开工",
    "开工",
    "文旅",
    "产业",
    "工业",
    "上下游",
    "补链",
    "招商",
    "既招",
    "签约",
    "优质",
    "发挥",
    "引进",
    "县",
    "区",
    "市",
    "合作",
    "办学",
    "样板",
    "制造业",
    "综合体",
    "意向",
    "谋划",
    "奏响",
    "吹响",
];

/// Does a sentence hold any word a strong candidate needs: a name ending, a post, a verb whose subject is an official
/// (see [`Lexicon`]), or 等? One Aho–Corasick scan, built once. An ending counts only after a head that may start a
/// name: not at a clause's start or after a particle or conjunction (项目建成后, 经营和项目), not as the end of a common
/// word (全区, 城区, 重点项目), not after a count outside a list (12个项目), and not at the end of a longer known name
/// (有限公司 in a listed company's name) unless that name is a generic local one (高新区, 市发改委: another place may
/// lead it). Most of the time of discovery goes into tagging the sentences that pass.
fn may_hold_names(text: &str, sentence: &Range<usize>, known: &[(EntityId, Range<usize>)]) -> bool {
    static TRIGGERS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    let lex = lexicon();
    let triggers = TRIGGERS.get_or_init(|| {
        let words = lex.endings.iter().map(|e| e.0.as_str()).chain(lex.posts.iter().map(String::as_str));
        let all = words.chain(lex.subject_verbs.iter().map(String::as_str)).chain(["等"]);
        aho_corasick::AhoCorasick::builder().kind(Some(aho_corasick::AhoCorasickKind::DFA)).build(all).ok()
    });
    let Some(triggers) = triggers else { return true };
    let s = &text[sentence.clone()];
    let listed = s.contains('、');
    let verbs_from = lex.endings.len() + lex.posts.len();
    // A known name starting at byte `at` of the sentence (spaces skipped), and where it ends.
    let known_at = |at: usize| {
        let at = sentence.start + at + (s.len() - at - s[at..].trim_start().len());
        known.iter().find(|(_, r)| r.start == at).map(|(_, r)| r.end - sentence.start)
    };
    let known_end = |at: usize| known.iter().any(|(_, r)| r.end == sentence.start + at);
    let found: Vec<aho_corasick::Match> = triggers.find_overlapping_iter(s).collect();
    found.iter().any(|m| {
        let pattern = m.pattern().as_usize();
        let clause = || {
            let from = s[..m.start()].rfind(|c: char| CLAUSE_STARTS.iter().any(|b| b.starts_with(c) && c != '、'));
            from.map_or(0, |f| f + s[f..].chars().next().map_or(0, char::len_utf8))
        };
        if pattern >= verbs_from + lex.subject_verbs.len() {
            // 等 closes a list; one whose items are all known names holds nothing new.
            let from = clause();
            let items: Vec<&str> = s[from..m.start()].split('、').collect();
            let mut at = from;
            let all_known = items.iter().enumerate().all(|(k, item)| {
                let (start, end) = (at, at + item.len());
                at = end + '、'.len_utf8();
                known_end(end) && (k == 0 || known_at(start) == Some(end))
            });
            return !all_known;
        }
        if pattern >= verbs_from {
            // A verb of official business needs names before it, back to the clause's start (刘晓波主持, A、B调研):
            // two or three characters each, surname first (not 会议强调), not all of them known.
            let from = clause();
            let chunk = &s[from..m.start()];
            let names = chunk.split('、').all(|name| {
                (2..=3).contains(&name.chars().count())
                    && name.chars().next().is_some_and(|f| lex.surnames.contains(f) || lex.rare_surnames.contains(f))
            });
            return names && known_at(from) != Some(m.start());
        }
        if pattern >= lex.endings.len() {
            // A post followed by a known name (董事长张三) finds nothing new, unless a list of names goes on; a post
            // that begins a longer one (董事 in 董事长) is that one.
            let post = |p: usize| (lex.endings.len()..verbs_from).contains(&p);
            if found.iter().any(|o| o.start() == m.start() && o.end() > m.end() && post(o.pattern().as_usize())) {
                return false;
            }
            return match known_at(m.end()) {
                Some(end) => s[end..].starts_with('、'),
                None => true,
            };
        }
        let (start, end) = (sentence.start + m.start(), sentence.start + m.end());
        let in_known = known
            .iter()
            .any(|(_, r)| r.start < start && end <= r.end && !crate::extract::mentions::local_form(&text[r.clone()]));
        if in_known {
            return false;
        }
        let before = &s[..m.start()];
        let mut chars = before.char_indices().rev();
        let Some((_, prev)) = chars.next().filter(|&(_, c)| is_han(c) && !"和与及的了在对把是为将从向被等".contains(c))
        else {
            return false;
        };
        // A count before it (12个项目) names nothing, unless a list ends there (A、B三个项目).
        if "个批家项".contains(prev) && !listed {
            return false;
        }
        let word = chars.next().map_or("", |(k, _)| &before[k..]);
        let ending = &s[m.range()];
        // A zone's word after a head (泰安 + 高新区, 滨海 + 新区) names a zone, though 新区 alone is a common word.
        let upto = &s[..m.end()];
        let zone = ZONE_WORDS
            .iter()
            .any(|z| upto.strip_suffix(z).and_then(|head| head.chars().next_back()).is_some_and(is_han));
        let common = PROJECT_GENERIC.contains(&word)
            || !zone
                && COMMON_ENDINGS.iter().any(|w| {
                    w.len() > ending.len() && w.ends_with(ending) && before.ends_with(&w[..w.len() - ending.len()])
                });
        !common
    })
}

/// The known mentions of one sentence (known mentions come in text order and do not overlap). Only these matter
/// there: looking at a whole document's for every word would cost time with the square of its length.
fn sentence_known<'k>(
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
    let s = &norm.text[sentence.clone()];
    let mut at = sentence.start;
    let mut tokens: Vec<Token> = Vec::new();
    for t in matcher.segmenter().tag(s, true) {
        let start = at;
        at += t.word.len();
        // The HMM may glue a preposition onto the name after it (先后对金宏物流…: 对金宏): split it off.
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
    let mut found = Vec::new();
    for i in 0..tokens.len() {
        candidates_at(dict, matcher, norm, known, &tokens, i, &mut found);
    }
    found
}

/// The candidates token `i` gives.
fn candidates_at(
    dict: &Dictionary,
    matcher: &Matcher,
    norm: &NormText,
    known: &[(usize, std::ops::Range<usize>)],
    tokens: &[Token],
    i: usize,
    found: &mut Vec<Found>,
) {
    let known_at = |start: usize, end: usize| known.iter().any(|(_, r)| r.start < end && start < r.end);
    let (start, end, word, tag) = tokens[i];
    if known_at(start, end) {
        // A zone known by a generic short name (高新区, 开发区) right after another place is that place's own zone
        // (泰安高新区 is not the dictionary's 潍坊高新区).
        if let Some(place) = other_places_zone(dict, norm, known, tokens, i) {
            found.push(place);
        }
        // A known name followed by a company word: another name for it.
        if let Some((entity, range)) = known.iter().find(|(_, r)| r.end == end) {
            if let Some(&(_, next_end, next, _)) = tokens.get(i + 1) {
                if ALIAS_WORDS.contains(&next) && !known_at(end, next_end) {
                    let alias = norm.text[range.start..next_end].to_string();
                    let e = dict.entity(*entity);
                    found.push(Found {
                        range: range.start..next_end,
                        name: e.name.clone(),
                        evidence: "boundary",
                        kind: known_kind(&e.kind),
                        alias: Some(alias),
                    });
                }
            }
        }
        return;
    }
    // Suffixes: extend left over the words of a name.
    let lex = lexicon();
    let suffix_end = word.chars().next_back().is_some_and(|c| lex.ending_chars.contains(c));
    let ending = lex.endings.iter().filter(|_| suffix_end).find(|(suffix, _)| word.ends_with(suffix.as_str()));
    if let Some((suffix, kind)) = ending.map(|(s, k)| (s.as_str(), *k)) {
        // Known places may stand inside a name (苏州(安丘)科技产业园); other known names end it.
        let known_place = |s: usize, e: usize| {
            known.iter().any(|(id, r)| r.start < e && s < r.end && dict.entity(*id).kind == "district")
        };
        let is_verb = |t: &str| t.starts_with('v') && t != "vn";
        let in_brackets = |j: usize| j > 0 && tokens[j - 1].2 == "(" && tokens.get(j + 1).is_some_and(|t| t.2 == ")");
        let mut first = i;
        while first > 0 {
            let j = first - 1;
            let (ps, pe, pw, pt) = tokens[j];
            // Projects named by product and capacity are long (年产40万吨…和5万吨…项目).
            let longest = if suffix == "项目" { 40 } else { 20 };
            if norm.text[ps..end].chars().count() > longest {
                break;
            }
            // A project's or a zone's name starts after the company before it (X有限公司年产5万吨…项目), after a
            // place word (园内), after a conjunction or preposition, and at 年产.
            // A company's name ends at its legal form: none runs on after one (X有限公司 + 工业机器人).
            if kind != "company" && ends_company(pw)
                || kind == "company" && pw.ends_with("有限公司") && suffix != "分公司"
                || pw.chars().count() <= 3 && pw.ends_with('内')
                || matches!(pw, "与" | "对" | "同" | "跟" | "向" | "把" | "被" | "将")
                || (norm.text[tokens[first].0..end].starts_with("年产") && !matches!(pw, "和" | "及"))
            {
                break;
            }
            // A zone's generic name (高新区, 开发区) before a project or base is where it lies, not part of its name
            // (高密市高新区 + 机械设计总院基地项目), known or not.
            if (suffix.ends_with("项目") || suffix.ends_with("基地")) && ZONE_WORDS.contains(&pw) {
                break;
            }
            if known_at(ps, pe) {
                // A known place in brackets is inside the name; any other known name may start it, and ends
                // the search.
                if in_brackets(j) && known_place(ps, pe) {
                    first = j;
                    continue;
                }
                if kind == "park" || kind == "company" || known_place(ps, pe) {
                    first = j;
                }
                break;
            }
            // Products listed inside a capacity-named project (年产4万吨消毒剂、发泡剂项目): 、 back to 年产.
            if suffix == "项目" && pw == "、" {
                let capacity = (j.saturating_sub(8)..j).rev().find(|&y| {
                    tokens[y].2.starts_with("年产")
                        && tokens[y + 1..j].iter().all(|t| {
                            name_like(t.2, t.3) && !t.2.ends_with("项目") && !known_at(t.0, t.1) && t.2 != "、"
                        })
                });
                if let Some(y) = capacity {
                    first = y;
                    continue;
                }
            }
            // A construction verb after a name or another verb is a predicate: the name starts after it.
            let predicate = PREDICATES.contains(&pw)
                && j > 0
                && (known_at(tokens[j - 1].0, tokens[j - 1].1)
                    || PREDICATES.contains(&tokens[j - 1].2)
                    || is_verb(tokens[j - 1].3)
                    || tokens[j - 1].3.starts_with('p'));
            // Two verbs in a row are a predicate too.
            let after_verb = first < i && is_verb(tokens[first].3);
            let one_char_adverb = pt == "d" && pw.chars().count() == 1;
            // 及, 和 and / join the products of one project (研发及产业化项目, 20万吨/年异壬醇项目).
            let joins = suffix == "项目"
                && (matches!(pw, "及" | "和" | "/")
                    && first < i
                    && j > 0
                    && name_like(tokens[j - 1].2, tokens[j - 1].3)
                    && !tokens[j - 1].2.ends_with("项目"));
            let fits = name_like(pw, pt)
                || (is_verb(pt) && !after_verb)
                || pt.starts_with('f')
                || one_char_adverb
                || joins
                || (kind == "company" && COMPANY_WORDS.contains(&pw));
            if predicate || !fits {
                break;
            }
            first = j;
        }
        // A known place right before a known company that starts the name is part of it (云南 + 云内动力 + …有限公司).
        if first > 0
            && first < i
            && known_at(tokens[first].0, tokens[first].1)
            && !known_place(tokens[first].0, tokens[first].1)
        {
            let (ps, pe, _, _) = tokens[first - 1];
            if known_place(ps, pe) {
                first -= 1;
            }
        }
        // Drop generic words and verbs at the front; right after a company a generic noun starts its project's name
        // (X有限公司 + 农业机器人研发中心).
        let after_company = |f: usize| {
            f > 0
                && (ends_company(tokens[f - 1].2)
                    || known.iter().any(|(e, r)| r.end == tokens[f].0 && dict.entity(*e).kind == "company"))
        };
        while first < i
            && (GENERIC.contains(&tokens[first].2) && !(kind == "park" && after_company(first))
                || is_verb(tokens[first].3)
                || PREDICATES.contains(&tokens[first].2))
        {
            first += 1;
        }
        // A company's short name before its project (诺盟化工 + 年产…项目, 华盛生物科技 + 饮料蛋白项目): a trade name and
        // a trade word, then what the project makes; not when the rest is a park's name (…智能制造基地项目).
        if suffix == "项目" {
            let split = (first + 1..i).find(|&s| {
                // The company may lead with its province (山东 + 华盛 + 生物科技).
                let leads = |c: usize| c == first || c == first + 1 && known_place(tokens[first].0, tokens[first].1);
                company_before(matcher, tokens, &known_at, s).is_some_and(leads) && product_after(norm, tokens, s, i)
            });
            let before = (first > 0).then(|| company_before(matcher, tokens, &known_at, first)).flatten();
            if let Some(s) = split {
                found.push(company_found(norm, tokens, first, s));
                first = s;
            } else if let Some(c) = before {
                found.push(company_found(norm, tokens, c, first));
            }
        }
        let name = &norm.text[tokens[first].0..end];
        // A zone named after a company (卡特彼勒工业区) is a park; one named after its place (曹妃甸工业区) a district.
        let company_at_head =
            known.iter().any(|(e, r)| r.start == tokens[first].0 && dict.entity(*e).kind == "company");
        let kind = if kind == "district" && suffix.ends_with("区") && company_at_head { "park" } else { kind };
        let prefix_chars = name.chars().count().saturating_sub(suffix.chars().count());
        // A name needs a proper part (a name jieba knows or guessed), or, for descriptive names, some length;
        // a one-character suffix always needs a proper part and no common word.
        // A place written in full (高柳镇, 寿光市) is a proper part too; a short alias (保税) is not.
        let full_place = |s: usize, e: usize| {
            known_place(s, e) && ["镇", "乡", "街道", "区", "县", "市"].iter().any(|x| norm.text[s..e].ends_with(x))
        };
        let place_and_nouns = tokens[first..i].iter().enumerate().all(|(k, t)| {
            if k == 0 {
                full_place(t.0, t.1)
            } else {
                t.3.starts_with('n') && !known_at(t.0, t.1)
            }
        });
        let proper = tokens[first..i].iter().any(|&(_, _, w, t)| proper(matcher, w, t))
            || (i > first && place_and_nouns)
            || (word.chars().count() > suffix.chars().count() && proper(matcher, word, tag));
        let acceptable = if suffix.chars().count() == 1 || suffix == "中心" {
            proper && !COMMON_ENDINGS.contains(&word)
        } else {
            proper || (prefix_chars >= 4 && kind == "park")
        };
        // A company needs a trade name besides its place (河北有限公司 is a fragment).
        let only_place = tokens[first..i].iter().all(|t| known_place(t.0, t.1) || matches!(t.2, "(" | ")"));
        if acceptable
            && !(kind == "company" && only_place && word.chars().count() == suffix.chars().count())
            && prefix_chars >= 2
            && name.chars().all(|c| {
                is_han(c) || c.is_ascii_alphanumeric() || "()·/-".contains(c) || c == '、' && name.starts_with("年产")
            })
            && !counted(name)
        {
            // Strict: every word before the suffix is a noun, a proper name, a number or a measure (no verb,
            // adverb or generic word), and some word is proper — or the name states a capacity (年产…).
            // A trade name the segmenter reads as a verb right after the leading place (山东 + 远航 + 橡胶科技有限公司).
            let trade_verb = |k: usize| {
                k == first + 1
                    && kind == "company"
                    && known_place(tokens[first].0, tokens[first].1)
                    && !PREDICATES.contains(&tokens[k].2)
            };
            // A capacity-named project may list its products and hold a verb (年产…超高性能轮胎、…项目, 20万吨/年…
            // 项目); so may a project right after its company (X有限公司 + 汽车尾气催化材料搬迁入园升级改造项目).
            let measured = name.starts_with(|c: char| c.is_ascii_digit())
                && ["万吨", "吨", "万套", "套", "台", "千瓦", "兆瓦"].iter().any(|q| name.contains(q));
            let company_project = suffix == "项目" && prefix_chars >= 4 && after_company(first);
            let capacity = name.starts_with("年产") || measured || company_project;
            let clean = tokens[first..i].iter().enumerate().all(|(k, &(_, _, w, t))| {
                trade_verb(first + k)
                    || capacity && (w == "、" || t.starts_with('v') && !PREDICATES.contains(&w))
                    || (kind == "company" && COMPANY_WORDS.contains(&w))
                    || !NOT_IN_NAMES.contains(&w)
                        && (matches!(t.chars().next(), Some('n' | 'j' | 'm' | 'q' | 'a' | 'b' | 'k' | 'g'))
                            || t == "eng"
                            || t == "vn"
                            || t.is_empty()
                            || matches!(w, "(" | ")" | "·")
                            || (suffix == "项目" && matches!(w, "及" | "和" | "/")))
            });
            // A project may be named by what it makes (清洁能源项目): four characters or more of nouns.
            let strict = clean
                && (proper || capacity || (suffix == "项目" && prefix_chars >= 4))
                && !(kind == "park" && tokens[first..i].iter().any(|t| PREDICATES.contains(&t.2)));
            found.push(Found {
                range: tokens[first].0..end,
                name: name.to_string(),
                evidence: if strict { "suffix" } else { "suffix-loose" },
                kind,
                alias: None,
            });
        }
    }
    // Lists closed by 等 and a head noun (A、B、C等7个项目, 华为、腾讯等知名企业): every item is a name.
    // Or closed by a count alone (A、B、C三个项目): then at least two items.
    let count_closer = tag == "m" && i > 0 && tokens[i - 1].3 != "x" && !matches!(tokens[i - 1].2, "等" | "等等") && {
        // 三/个/项目, or 三个/项目 as the segmenter may join them.
        let (measure, head) = if word.ends_with(['个', '家']) { (i, i + 1) } else { (i + 1, i + 2) };
        tokens.get(measure).is_some_and(|t| t.2.ends_with(['个', '家']))
            && tokens.get(head).is_some_and(|t| t.2.ends_with("项目") || t.2.ends_with("企业"))
    };
    if word == "等" || word == "等等" || count_closer {
        list_items(dict, matcher, norm, known, tokens, Closer { at: i, needs_two: count_closer }, found);
    }
    // Titles: the names right after a post, and the list of names that may follow it (市领导A、B、C).
    if is_title(word) {
        let mut j = i + 1;
        while tokens.get(j).is_some_and(|t| t.2.trim().is_empty()) {
            j += 1;
        }
        // A known place after the surname is part of the name (党委书记于 + 海南).
        let blocks = |s: usize, e: usize| {
            known.iter().any(|(id, r)| {
                r.start < e && s < r.end && !(dict.entity(*id).kind == "district" && s < r.start && r.end <= e)
            })
        };
        people_from(tokens, j, "title", &blocks, found);
    }
    // Subjects: names (or a list of them) at the start of a clause before a verb of official business (张三出席,
    // A、B调研). The segmenter must tag the first as a person.
    let clause_start = i == 0 || CLAUSE_STARTS.contains(&tokens[i - 1].2);
    if clause_start && tag.starts_with("nr") {
        let mut people = Vec::new();
        let next = people_from(tokens, i, "subject", &known_at, &mut people);
        if tokens.get(next).is_some_and(|t| lexicon().subject_verbs.iter().any(|v| v == t.2)) {
            found.extend(people);
        }
    }
    // Part of speech: words the segmenter guessed (its own dictionary's tags are often wrong for names: 城市 is
    // a place, 楼宇 a person), and the place names it knows.
    let n = word.chars().count();
    let guessed = !matcher.segmenter().has_word(word);
    let place_word = tag == "ns" && !COMMON_PLACE_WORDS.contains(&word);
    if word.chars().all(is_han) && (guessed || place_word) {
        let surname = word.chars().next().is_some_and(|c| lexicon().surnames.contains(c));
        let kind = match tag {
            // A person's name starts with a surname (双引, a slogan's short form, does not).
            "nr" | "nrfg" | "nrt" if (2..=3).contains(&n) && surname => Some("official"),
            "ns" if n >= 2 && !COMMON_ENDINGS.contains(&word) => Some("district"),
            "nt" if n >= 3 => Some("organization"),
            _ => None,
        };
        if let Some(kind) = kind {
            found.push(Found { range: start..end, name: word.to_string(), evidence: "pos", kind, alias: None });
        }
    }
}

/// The company right before token `at` (诺盟化工 before 年产…项目): a trade name of one or two words with a proper
/// part and two characters at least, then one or more trade words (化工, 生物科技); its first token.
fn company_before(
    matcher: &Matcher,
    tokens: &[Token],
    known_at: &dyn Fn(usize, usize) -> bool,
    at: usize,
) -> Option<usize> {
    let trade = |k: usize| is_trade(tokens[k].2) && !known_at(tokens[k].0, tokens[k].1);
    let mut k = at;
    while k > 0 && trade(k - 1) {
        k -= 1;
    }
    if k == at {
        return None;
    }
    let mut start = k;
    while start > 0 && k - start < 2 {
        let (s, e, w, t) = tokens[start - 1];
        if known_at(s, e) || !t.starts_with('n') && !proper(matcher, w, t) || GENERIC.contains(&w) {
            break;
        }
        start -= 1;
    }
    let head = &tokens[start..k];
    let chars: usize = head.iter().map(|t| t.2.chars().count()).sum();
    (chars >= 2 && head.iter().any(|t| proper(matcher, t.2, t.3))).then_some(start)
}

/// A trade word, or several written as one (生物科技).
fn is_trade(word: &str) -> bool {
    let mut rest = word;
    while !rest.is_empty() {
        match INDUSTRIES.iter().find(|t| rest.starts_with(*t)) {
            Some(t) => rest = &rest[t.len()..],
            None => return false,
        }
    }
    !word.is_empty()
}

/// Do tokens `s..=i` (`i` ends with 项目) name a project by what it makes: no park's ending before 项目, and four
/// characters or more besides 项目 (艾草生物经济项目 is one name: 经济 is too little to be a product)?
fn product_after(norm: &NormText, tokens: &[Token], s: usize, i: usize) -> bool {
    let rest = &norm.text[tokens[s].0..tokens[i].1];
    let Some(what) = rest.strip_suffix("项目") else { return false };
    what.chars().count() >= 4
        && !lexicon().endings.iter().any(|(e, _)| what.ends_with(e.as_str()))
        && tokens[s..=i].iter().all(|t| name_like(t.2, t.3) || t.3.starts_with('v'))
}

/// A company found before its project, tokens `a..b`.
fn company_found(norm: &NormText, tokens: &[Token], a: usize, b: usize) -> Found {
    let range = tokens[a].0..tokens[b - 1].1;
    Found {
        name: norm.text[range.clone()].to_string(),
        range,
        evidence: "before-project",
        kind: "company",
        alias: None,
    }
}

/// Does a word end a company's name (…有限公司, …集团)?
fn ends_company(word: &str) -> bool {
    ["公司", "集团"].iter().any(|c| word.ends_with(c))
}

/// Where a list closes: the token of 等 or of the count, and whether a lone item is too little (a count alone).
struct Closer {
    at: usize,
    needs_two: bool,
}

/// The items of a list closed at token `k` (等) by a head noun within a few words: 项目 makes them projects, 企业 or
/// 公司 companies (an item's own ending wins: 大健康研究院 is an organization). Items are separated by 、; the first
/// starts after a verb, preposition, conjunction, particle or punctuation. An item needs a proper part, a dictionary
/// company at its head, or six characters; a lone item needs a count in the closer (韩国新型显示屏等8个项目).
fn list_items(
    dict: &Dictionary,
    matcher: &Matcher,
    norm: &NormText,
    known: &[(EntityId, Range<usize>)],
    tokens: &[Token],
    closer: Closer,
    found: &mut Vec<Found>,
) {
    let (k, two_or_more) = (closer.at, closer.needs_two);
    let mut kind = None;
    let mut counted_closer = false;
    for t in tokens.iter().skip(k + 1).take(6) {
        // 等领域的企业, 等行业: the items are kinds of business, not names.
        let class = t.3.starts_with('u') || matches!(t.2, "领域" | "行业" | "产业" | "方面" | "类" | "方向");
        if t.3 == "x" || t.3.starts_with('v') && t.3 != "vn" || class {
            break;
        }
        counted_closer |= t.3 == "m" || t.3 == "q";
        if t.2.ends_with("项目") {
            kind = Some("park");
        } else if t.2.ends_with("企业") || t.2.ends_with("公司") {
            kind = Some("company");
        }
        if kind.is_some() {
            break;
        }
    }
    let Some(kind) = kind else { return };
    // The clause before 等; its items are split by 、. Items after the first 、 are whole; the first starts after
    // the last word that cannot be part of a name.
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
                && !known.iter().any(|(_, r)| r.start < tokens[j - 1].1 && tokens[j - 1].0 < r.end)
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
    let items: Vec<(usize, usize)> = items.into_iter().filter(|(a, b)| a < b).collect();
    if items.is_empty() || (items.len() == 1 && (!counted_closer || two_or_more)) {
        return;
    }
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    for (mut a, b) in items {
        // Generic words open no item; a verb opens none but the first (inside the list, 远航智能装备 is a name).
        let verb = |a: usize| a == start && tokens[a].3.starts_with('v') && tokens[a].3 != "vn";
        while a < b && (GENERIC.contains(&tokens[a].2) || verb(a)) {
            a += 1;
        }
        if a >= b {
            continue;
        }
        // An item that is a company and what it does (X有限公司产能扩大): the company.
        let company_end = (a..b).rev().find(|&k| k + 1 < b && ends_company(tokens[k].2));
        let (b, kind) = match company_end {
            Some(k) => (k + 1, "company"),
            None => (b, kind),
        };
        let range = tokens[a].0..tokens[b - 1].1;
        let name = &norm.text[range.clone()];
        let chars = name.chars().count();
        if !(2..=25).contains(&chars)
            || counted(name)
            || !name.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric() || "()·-".contains(c))
            || tokens[a..b].iter().any(|t| NOT_IN_NAMES.contains(&t.2) || is_title(t.2))
        {
            continue;
        }
        // Known names: an item that is one is known already; inside one, only a place or a company at its head.
        let inside: Vec<&(EntityId, Range<usize>)> = known.iter().filter(|(_, r)| overlaps(r, &range)).collect();
        if inside.iter().any(|(_, r)| *r == range) {
            continue;
        }
        let company_head = inside.iter().any(|(e, r)| r.start == range.start && dict.entity(*e).kind == "company");
        let fits = inside.iter().all(|(e, r)| {
            range.start <= r.start
                && r.end <= range.end
                && (dict.entity(*e).kind == "district" || dict.entity(*e).kind == "company" && r.start == range.start)
        });
        let proper = tokens[a..b]
            .iter()
            .any(|&(s, e, w, t)| !known.iter().any(|(_, r)| overlaps(r, &(s..e))) && proper(matcher, w, t));
        let own =
            lexicon().endings.iter().find(|(suffix, _)| name.ends_with(suffix.as_str()) && suffix.chars().count() >= 2);
        // An item with a name's own ending and a head of two characters before it that is no ending itself (铁马机械
        // among other projects, not 基地项目) is a name too.
        let ended = own.is_some_and(|(suffix, _)| {
            let head = &name[..name.len() - suffix.len()];
            head.chars().count() >= 2
                && !lexicon().endings.iter().any(|(e, _)| head.ends_with(e.as_str()))
                && !GENERIC.contains(&head)
                && !tokens[a..b].iter().any(|t| t.3.starts_with('v') && t.3 != "vn")
        });
        let own = own.map(|s| s.1);
        if !fits || !(proper || company_head || chars >= 6 || ended) || matcher.segmenter().has_word(name) && !proper {
            continue;
        }
        found.push(Found { range, name: name.to_string(), evidence: "list", kind: own.unwrap_or(kind), alias: None });
    }
}

/// A zone written as another place and a generic zone word (泰安高新区, where 高新区 is the dictionary's alias of
/// 潍坊高新区): the zone of that place, unless the place is the known zone's own city. The same for a city's or a
/// district's body known by its local short name (石家庄 + 市发改委, where 市发改委 is 潍坊市发改委).
fn other_places_zone(
    dict: &Dictionary,
    norm: &NormText,
    known: &[(EntityId, Range<usize>)],
    tokens: &[Token],
    i: usize,
) -> Option<Found> {
    let (start, end, word, _) = tokens[i];
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
    let name = norm.text[range.start..end].to_string();
    Some(Found { range: range.start..end, name, evidence: "suffix", kind, alias: None })
}

/// Is this word a post after which a name follows (书记, or a word ending in one: 党委书记, 项目经理)?
fn is_title(word: &str) -> bool {
    // Most words end in no post's last character: a quick test first (this runs for every word).
    let lex = lexicon();
    if !word.chars().next_back().is_some_and(|c| lex.post_chars.contains(c)) {
        return false;
    }
    lex.posts.iter().any(|t| t == word)
        || (word.chars().count() <= 6 && lex.posts.iter().any(|t| t.len() >= 6 && word.ends_with(t.as_str())))
}

/// Words before a clause's subject.
const CLAUSE_STARTS: &[&str] = &[",", "。", ";", ":", "、", "!", "?", " ", "\n"];

/// Adverbs that follow a name rather than end it (王明也表示, 李华已到任).
const FUNCTION_ADVERBS: &[&str] = &[
    "也", "都", "还", "就", "又", "再", "才", "已", "曾", "均", "正", "将", "亦", "仍", "便", "即", "却", "并", "不",
    "没",
];

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

/// A proper-name part: tagged a name or abbreviation, or a word the segmenter did not know and guessed (unless it
/// guessed a verb, adjective or adverb: 筑牢).
fn proper(matcher: &Matcher, word: &str, tag: &str) -> bool {
    ["nr", "ns", "nt", "nz", "j"].iter().any(|p| tag.starts_with(p))
        || tag == "eng"
        || (word.chars().all(is_han)
            && !matcher.segmenter().has_word(word)
            && !matches!(tag.chars().next(), Some('a' | 'v' | 'd')))
}

/// An entity type as a `'static` string (user-defined types become `other`).
fn known_kind(kind: &str) -> &'static str {
    crate::dict::KNOWN_TYPES.iter().find(|k| **k == kind).copied().unwrap_or("other")
}

/// Can this word be part of a name? Nouns, proper nouns, abbreviations, letters, numbers, suffixes (型) and the
/// brackets and dots inside names; not verbs, prepositions, particles, pronouns or punctuation.
fn name_like(word: &str, tag: &str) -> bool {
    if matches!(word, "(" | ")" | "·" | "-") {
        return true;
    }
    let first = tag.chars().next().unwrap_or('x');
    matches!(first, 'n' | 'j' | 'm' | 'q' | 'a' | 'g' | 'b' | 'l' | 'k') || tag == "eng" || tag == "vn"
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

    #[test]
    fn sentences_that_cannot_hold_a_new_name_are_not_tagged() {
        let dict = Dictionary::builtin().unwrap();
        let matcher = Matcher::new(&dict).unwrap();
        let table: &[(&str, bool)] = &[
            // An ending after a head, a post before an unknown name, a verb of business after a name, a list.
            ("宏达化工年产5万吨树脂项目开工。", true),
            ("董事长王大明介绍。", true),
            ("王大明调研。", true),
            ("星光模具、蓝海物流等企业入驻。", true),
            // Endings in common words, after a count or at a clause's start; no head before them.
            ("今年以来,全区经济运行稳中有进。", false),
            ("截至目前,已有12个项目完成备案。", false),
            ("项目建成后,年产值可达9亿元。", false),
            ("加快推进重点项目建设。", false),
            // A verb of business after no name; an ending inside a listed name.
            ("会议强调,要做好各项工作。", false),
            ("歌尔股份有限公司发布新品。", false),
            // A count closing a list still counts.
            ("金桥机械、银河物流两个项目开工。", true),
            // A post before a listed official finds nothing new; before a list of names it may.
            ("会上,董事长郭兴平讲话。", false),
            ("会上,董事长郭兴平、王大明讲话。", true),
            // A generic local name may be another place's (石家庄 + 市发改委).
            ("石家庄市发改委发布通知。", true),
            ("泰安高新区新签约项目12个。", true),
        ];
        for (text, want) in table {
            let norm = NormText::new(text);
            let known = matcher.find(&norm.text);
            assert_eq!(may_hold_names(&norm.text, &(0..norm.text.len()), &known), *want, "{text}");
        }
    }
}

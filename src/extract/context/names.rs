//! What names say by themselves.
//!
//! **A company's own projects.** Chinese project names lead with their investor's trade name: 欣旺达动力电池项目 is
//! 欣旺达's, 中材曹妃甸产业基地 is 中材集团's, 万盛新材料项目 is 山东万盛新材料有限公司's. When a document names a park
//! or project whose name starts with a company's trade name (the name without a leading place and without its
//! legal form: 山东 … 有限公司, (高密), 集团), that company `invests-in` it, provided the document names the company
//! on its own as well. A company named only inside a project's name (青啤数字化工厂, 复星童涵春堂, 国家电网维修中心) is
//! a reading the name leaves open: the project may be a brand's licensee, a subsidiary or a client's building, and
//! annotators mark it optional at best. When several companies fit, the longest trade name wins (经典重工 over 经典集团);
//! when the text names another investor of the project by a rule (由A投资建设的B), the name is not taken as evidence
//! (a parent group sharing a prefix with its subsidiary's project). The trade name must be at least two characters
//! and the project's name must go on after it.
//!
//! **A place in the name.** 临淄区医疗中心建设项目, 兖州高新区, 庙子镇工业园: a park, zone or company whose name starts
//! with a district, county, town or zone lies there (`located-in`). A city at the head of a name is not taken
//! this way: 潍坊银行, 青岛光电产业园 and 潍坊(上海)生物医药产业园 carry the city's name as a brand, and projects named
//! after their city are often built in one of its districts.
//!
//! Evidence is the sentence of the named entity's first mention, with `context` `"name"`: the relation rests on the
//! name. The span of the company or place is its own mention, or the part of the name that names it.

use std::collections::BTreeSet;

use crate::dict::Dictionary;
use crate::model::{EntityId, Mention};

/// The rule name recorded on relations read from a project's name.
pub const OWN_PROJECT_RULE: &str = "invests-in/own-project-name";
/// The rule name recorded on places read from a name.
pub const PLACE_IN_NAME_RULE: &str = "located-in/place-in-name";
/// Entity types placed by a place at the head of their name.
const PLACED_BY_NAME: &[&str] = &["park", "project", "district", "company"];
/// Places that name where something lies when they lead its name: districts, counties, towns and zones, not cities
/// (a `topic_suffix` spec: see [`super::fits_suffix_spec`]).
const PLACE_PREFIXES: &str = "区|县|镇|乡|街道";
/// The context recorded on them.
pub const NAME_CONTEXT: &str = "name";

/// Types of the investor and of its project.
const OWNER_TYPES: &[&str] = &["company"];
const PROJECT_TYPES: &[&str] = &["park", "project"];

/// Legal forms and group words that follow a trade name, longest first (removed repeatedly from the end).
const LEGAL_FORMS: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "控股集团",
    "投资集团",
    "产业集团",
    "集团公司",
    "集团",
    "公司",
    "股份",
];

/// Province-level names that lead a company's name (山东 … 有限公司) without being its trade name. Places in the
/// dictionary are removed as well.
const PROVINCES: &[&str] = &[
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "中国",
];

/// The shortest trade name, in characters.
const MIN_TRADE_NAME: usize = 2;

/// One company's own project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owned {
    /// Index of the company's first mention.
    pub owner_mention: usize,
    /// Index of the project's first mention.
    pub project_mention: usize,
    /// The company.
    pub owner: EntityId,
    /// The project.
    pub project: EntityId,
}

/// The projects named after a company the document names (欣旺达 … 欣旺达动力电池项目). Projects whose investor a rule
/// found are skipped (`invested`: tails of the `invests-in` relations found so far).
pub fn own_projects(dict: &Dictionary, mentions: &[Mention], invested: &BTreeSet<EntityId>) -> Vec<Owned> {
    let mut firsts: Vec<(EntityId, usize)> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        if !firsts.iter().any(|f| f.0 == m.entity) {
            firsts.push((m.entity, i));
        }
    }
    let of_type = |e: EntityId, types: &[&str]| types.contains(&dict.entity(e).kind.as_str());
    // Companies' trade names cost lookups: only worked out when a project may be theirs.
    if !firsts.iter().any(|f| of_type(f.0, PROJECT_TYPES) && !invested.contains(&f.0)) {
        return Vec::new();
    }
    let owners: Vec<(EntityId, usize, Vec<String>)> = firsts
        .iter()
        .filter(|f| of_type(f.0, OWNER_TYPES))
        .map(|&(e, i)| (e, i, names(dict, e).map(|n| trade_name(dict, &n)).collect()))
        .collect();
    let mut out = Vec::new();
    for &(project, at) in firsts.iter().filter(|f| of_type(f.0, PROJECT_TYPES)) {
        if invested.contains(&project) {
            continue;
        }
        let project_names: Vec<String> = names(dict, project).flat_map(|n| [without_place(dict, &n), n]).collect();
        // (length of the trade name, owner, its first mention) of every company whose trade name leads the name.
        let mut fits: Vec<(usize, EntityId, usize)> = owners
            .iter()
            .filter(|o| o.0 != project)
            .filter_map(|(e, i, trades)| {
                let best = trades
                    .iter()
                    .filter(|t| t.chars().count() >= MIN_TRADE_NAME)
                    .filter(|t| project_names.iter().any(|p| p.starts_with(t.as_str()) && p.len() > t.len()))
                    .map(|t| t.chars().count())
                    .max()?;
                Some((best, *e, *i))
            })
            .collect();
        fits.sort_by_key(|f| std::cmp::Reverse(f.0));
        if let Some(&(len, owner, owner_mention)) = fits.first() {
            // Two different companies with trade names of the same length: the name does not decide.
            if fits.get(1).is_some_and(|f| f.0 == len) {
                continue;
            }
            out.push(Owned { owner_mention, project_mention: at, owner, project });
        }
    }
    out
}

/// One entity placed by its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    /// Index of the entity's first mention.
    pub mention: usize,
    /// How many characters of its name name the place.
    pub prefix_chars: usize,
    /// The entity.
    pub entity: EntityId,
    /// The place.
    pub place: EntityId,
}

/// The entities whose name starts with a district, county, town or zone (see [`place_prefix`]), at their first
/// mention.
pub fn places_in_names(dict: &Dictionary, mentions: &[Mention]) -> Vec<Placed> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        if !seen.insert(m.entity) {
            continue;
        }
        if let Some((prefix_chars, place)) = place_prefix(dict, m.entity) {
            out.push(Placed { mention: i, prefix_chars, entity: m.entity, place });
        }
    }
    out
}

/// The district, county, town or zone an entity's name (or alias) starts with, the longest one, with at least three
/// characters of name after it (综合保税区北区 is a part of the zone, not something lying in it); with its length in
/// characters. Only parks, projects, districts and companies are placed so.
pub fn place_prefix(dict: &Dictionary, entity: EntityId) -> Option<(usize, EntityId)> {
    if !PLACED_BY_NAME.contains(&dict.entity(entity).kind.as_str()) {
        return None;
    }
    let mut best: Option<(usize, EntityId)> = None;
    for name in names(dict, entity) {
        // A place, then three more characters at least.
        for (chars, rest, place) in leading_entities(dict, &name) {
            let fits = rest.chars().count() >= 3
                && place != entity
                && dict.entity(place).kind == "district"
                && super::fits_suffix_spec(dict, place, PLACE_PREFIXES);
            if fits && best.is_none_or(|b| chars > b.0) {
                best = Some((chars, place));
            }
        }
    }
    best
}

/// The longest district the name starts with (深圳 in 深圳科技工业园), if any, and if no longer name of another kind
/// starts it (宁德时代新能源电池项目 starts with a company, not with 宁德).
pub fn leading_place(dict: &Dictionary, name: &str) -> Option<EntityId> {
    let name = crate::read::text::normalize_name(name);
    let (_, _, e) = leading_entities(dict, &name).filter(|&(_, rest, _)| !rest.is_empty()).last()?;
    (dict.entity(e).kind == "district").then_some(e)
}

/// The dictionary entities a name (normalised) starts with: every prefix of two characters or more (the whole name
/// included) that is a name or alias, with its length in characters and the rest of the name, shortest first.
fn leading_entities<'n>(dict: &'n Dictionary, name: &'n str) -> impl Iterator<Item = (usize, &'n str, EntityId)> + 'n {
    name.char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .enumerate()
        .skip(MIN_TRADE_NAME - 1)
        .filter_map(move |(k, end)| dict.lookup_normalized(&name[..end]).map(|e| (k + 1, &name[end..], e)))
}

/// The entity's canonical name and aliases, normalised.
fn names(dict: &Dictionary, e: EntityId) -> impl Iterator<Item = String> + '_ {
    let entity = dict.entity(e);
    std::iter::once(&entity.name).chain(&entity.aliases).map(|n| crate::read::text::normalize_name(n))
}

/// A company name without brackets, legal form and leading place: 山东万盛新材料有限公司 → 万盛新材料,
/// 新华制药(高密)有限公司 → 新华制药.
pub fn trade_name(dict: &Dictionary, name: &str) -> String {
    let mut n: String = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => n.push(c),
            _ => {}
        }
    }
    let mut n = n.as_str();
    while let Some(rest) = LEGAL_FORMS.iter().find_map(|f| n.strip_suffix(f)).filter(|r| long_enough(r)) {
        n = rest;
    }
    without_place(dict, n)
}

/// A name without a leading place (a province, or a district of the dictionary), if enough remains.
fn without_place(dict: &Dictionary, name: &str) -> String {
    let mut n = name;
    // 山东省潍坊市 …: up to two places in a row.
    for _ in 0..2 {
        let province = PROVINCES.iter().find_map(|p| {
            let rest = n.strip_prefix(p)?;
            Some(rest.strip_prefix('省').or_else(|| rest.strip_prefix('市')).unwrap_or(rest))
        });
        // The longest district of up to seven characters.
        let district = || {
            leading_entities(dict, n)
                .take_while(|&(chars, _, _)| chars <= 7)
                .filter(|&(_, _, e)| dict.entity(e).kind == "district")
                .last()
                .map(|(_, rest, _)| rest)
        };
        match province.or_else(district).filter(|r| long_enough(r)) {
            Some(rest) => n = rest,
            None => break,
        }
    }
    n.to_string()
}

fn long_enough(s: &str) -> bool {
    s.chars().count() >= MIN_TRADE_NAME
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> Dictionary {
        let mut dict = Dictionary::empty();
        let rows = "name,type,aliases\n潍坊,district,潍坊市\n高密,district,高密市\n长春,district,\n\
                    欣旺达,company,\n欣旺达动力电池项目,park,\n山东万盛新材料有限公司,company,\n万盛新材料项目,park,\n\
                    新华制药(高密)有限公司,company,\n新华制药二期项目,park,\n经典集团,company,\n经典重工,company,\n\
                    经典重工装配式建筑项目,park,\n长春新区智能产业园,park,\n旭阳集团,company,\n长春旭阳智能产业园,park,\n\
                    中材集团,company,\n中材产业基地,park,\n";
        dict.load_bytes(rows.as_bytes(), "t.csv", true).unwrap();
        dict
    }

    #[test]
    fn places_at_the_head_of_a_name() {
        let mut d = Dictionary::empty();
        let rows = "name,type,aliases\n潍坊,district,潍坊市\n临淄区,district,\n庙子镇,district,\n\
                    临淄区医疗中心项目,park,\n庙子镇工业园,park,\n潍坊银行,company,\n临淄区委,organization,\n\
                    临淄区北区,park,\n";
        d.load_bytes(rows.as_bytes(), "t.csv", true).unwrap();
        let mentions: Vec<Mention> = ["临淄区医疗中心项目", "庙子镇工业园", "潍坊银行", "临淄区委", "临淄区北区"]
            .iter()
            .map(|n| Mention {
                entity: d.lookup(n).unwrap(),
                norm: 0..0,
                span: crate::model::Span { start: 0, end: 0 },
            })
            .collect();
        let got: Vec<(String, String, usize)> = places_in_names(&d, &mentions)
            .into_iter()
            .map(|p| (d.entity(p.entity).name.clone(), d.entity(p.place).name.clone(), p.prefix_chars))
            .collect();
        // Not a city (潍坊银行), not an organization (临淄区委), not with less than three characters after the place.
        let want = [("临淄区医疗中心项目", "临淄区", 3), ("庙子镇工业园", "庙子镇", 3)];
        let want: Vec<(String, String, usize)> =
            want.iter().map(|(a, b, n)| (a.to_string(), b.to_string(), *n)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn trade_names_drop_place_brackets_and_legal_form() {
        let d = dict();
        let table = [
            ("山东万盛新材料有限公司", "万盛新材料"),
            ("新华制药(高密)有限公司", "新华制药"),
            ("中材集团", "中材"),
            ("潍坊市星河电子股份有限公司", "星河电子"),
            ("欣旺达", "欣旺达"),
            // Too little would remain: kept.
            ("山东集团", "山东"),
            ("华为公司", "华为"),
        ];
        for (name, want) in table {
            assert_eq!(trade_name(&d, name), want, "{name}");
        }
    }

    #[test]
    fn projects_named_after_a_company_of_the_document() {
        let d = dict();
        let id = |n: &str| d.lookup(n).unwrap();
        let mention = |n: &str| Mention { entity: id(n), norm: 0..0, span: crate::model::Span { start: 0, end: 0 } };
        type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
        let table: &[Case] = &[
            (&["欣旺达", "欣旺达动力电池项目"], &[("欣旺达", "欣旺达动力电池项目")]),
            (&["万盛新材料项目", "山东万盛新材料有限公司"], &[("山东万盛新材料有限公司", "万盛新材料项目")]),
            (&["新华制药(高密)有限公司", "新华制药二期项目"], &[("新华制药(高密)有限公司", "新华制药二期项目")]),
            // The longest trade name wins.
            (&["经典集团", "经典重工", "经典重工装配式建筑项目"], &[("经典重工", "经典重工装配式建筑项目")]),
            // A place before the trade name in the project's name.
            (&["旭阳集团", "长春旭阳智能产业园"], &[("旭阳集团", "长春旭阳智能产业园")]),
            // The company is named only in the project's name: the name leaves it open.
            (&["欣旺达动力电池项目"], &[]),
            (&["中材产业基地"], &[]),
            // No company of that name.
            (&["旭阳集团", "长春新区智能产业园"], &[]),
        ];
        for (names, want) in table {
            let mentions: Vec<Mention> = names.iter().map(|n| mention(n)).collect();
            let got: Vec<(String, String)> = own_projects(&d, &mentions, &BTreeSet::new())
                .into_iter()
                .map(|o| (d.entity(o.owner).name.clone(), d.entity(o.project).name.clone()))
                .collect();
            let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
            assert_eq!(got, want, "{names:?}");
        }
        // A project whose investor a rule found is left alone.
        let mentions = vec![mention("中材集团"), mention("中材产业基地")];
        let invested = BTreeSet::from([id("中材产业基地")]);
        assert!(own_projects(&d, &mentions, &invested).is_empty());
    }
}

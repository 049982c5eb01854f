//! The dictionaries' own tests: the built-in set, merging files, conflicts, encodings and bad files.

use super::load::misspelled_type;
use super::*;

#[test]
fn the_builtin_gazetteer_is_large_linked_and_free_of_conflicts() {
    let mut d = Dictionary::builtin().unwrap();
    assert!(d.len() >= 500, "{} entries", d.len());
    assert_eq!(d.take_warnings(), Vec::<String>::new());
    // Every district and park has a parent that is itself an entry, up to the province.
    for e in d.entities().iter().filter(|e| e.kind == "district" || e.kind == "park") {
        match &e.parent {
            None => assert!(
                e.name.ends_with('省')
                    || e.name.ends_with("自治区")
                    || ["北京市", "天津市", "上海市", "重庆市"].contains(&e.name.as_str()),
                "{} has no parent",
                e.name
            ),
            Some(p) => assert!(d.lookup(p).is_some(), "{}: parent {p} is not an entry", e.name),
        }
    }
    // Each of Weifang's 12 county-level divisions has its township-level divisions.
    let counties = [
        "潍城区",
        "寒亭区",
        "坊子区",
        "奎文区",
        "临朐县",
        "昌乐县",
        "青州市",
        "诸城市",
        "寿光市",
        "安丘市",
        "高密市",
        "昌邑市",
    ];
    for c in counties {
        assert_eq!(d.entity(d.lookup(c).unwrap()).parent.as_deref(), Some("潍坊市"));
        let towns = d.entities().iter().filter(|e| e.parent.as_deref() == Some(c) && e.name.starts_with(c)).count();
        assert!(towns >= 5 || c == "奎文区" && towns >= 4, "{c}: {towns} townships");
    }
}

#[test]
fn gazetteer_names_resolve_by_their_region() {
    let d = Dictionary::builtin().unwrap();
    let m = crate::extract::mentions::Matcher::new(&d).unwrap();
    let found =
        |text: &str| -> Vec<String> { m.find(text).into_iter().map(|(e, _)| d.entity(e).name.clone()).collect() };
    let cases: &[(&str, &[&str])] = &[
        // A township written with its county is one mention of the qualified entry.
        ("项目落户寿光市侯镇。", &["寿光市侯镇"]),
        // Alone, a unique township name is its alias.
        ("侯镇的企业", &["寿光市侯镇"]),
        // 城关街道 exists in two counties: only the qualified names are entries.
        ("潍城区城关街道与临朐县城关街道", &["潍城区城关街道", "临朐县城关街道"]),
        ("城关街道", &[]),
        // 高新区 in a Weifang text is Weifang's; other cities' zones go by their full names.
        ("潍坊的高新区与青岛高新技术产业开发区", &["潍坊市", "潍坊高新技术产业开发区", "青岛高新技术产业开发区"]),
        // In a text that names no place of Weifang, 高新区 is some other city's.
        ("高新区与青岛高新技术产业开发区", &["青岛高新技术产业开发区"]),
        // 市中区 exists in Jinan and Zaozhuang: only qualified.
        ("济南市市中区", &["济南市市中区"]),
        // County-level cities elsewhere in Shandong go by their short names too.
        ("胶州的企业来到潍坊", &["胶州市", "潍坊市"]),
    ];
    for (text, expected) in cases {
        assert_eq!(found(text), *expected, "{text}");
    }
}

fn load(files: &[(&str, &str, bool)]) -> Dictionary {
    let mut d = Dictionary::empty();
    for (name, text, user) in files {
        d.load_bytes(text.as_bytes(), name, *user).unwrap();
    }
    d
}

fn name_of(d: &Dictionary, surface: &str) -> Option<String> {
    d.lookup(surface).map(|id| d.entity(id).name.clone())
}

#[test]
fn the_builtin_dictionaries_load_cleanly() {
    let mut d = Dictionary::builtin().unwrap();
    let warnings = d.take_warnings();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let table = [
        ("综保区", "潍坊综合保税区"),
        ("保税区", "潍坊综合保税区"),
        ("综合保税区", "潍坊综合保税区"),
        ("市商务局", "潍坊市商务局"),
        ("圣和", "山东圣和薄膜新材料有限公司"),
        ("潍坊", "潍坊市"),
        ("高新区", "潍坊高新技术产业开发区"),
        ("中南高科·鸢都汇智产业园", "中南高科•鸢都汇智产业园"),
    ];
    for (surface, want) in table {
        assert_eq!(name_of(&d, surface).as_deref(), Some(want), "surface {surface}");
    }
}

#[test]
fn the_same_name_in_two_files_is_one_entity() {
    let d = load(&[
        ("a.csv", "name,type,aliases\n潍坊综合保税区,district,综保区\n", false),
        ("b.csv", "name,type,aliases,parent\n潍坊综合保税区,district,保税区|综保区,潍坊市\n", true),
    ]);
    assert_eq!(d.len(), 1);
    let e = d.entity(0);
    assert_eq!(e.aliases, vec!["综保区", "保税区"]);
    assert_eq!(e.parent.as_deref(), Some("潍坊市"));
}

#[test]
fn a_row_named_by_an_alias_of_the_same_type_joins_that_entity() {
    let d = load(&[
        ("a.csv", "name,type,aliases\n山东圣和薄膜新材料有限公司,company,圣和\n", false),
        ("b.csv", "name,type,aliases\n圣和,company,圣和新材料\n", true),
    ]);
    assert_eq!(d.len(), 1);
    assert_eq!(name_of(&d, "圣和新材料").as_deref(), Some("山东圣和薄膜新材料有限公司"));
}

#[test]
fn alias_conflicts_warn_and_the_user_wins() {
    let mut d = load(&[
        ("builtin", "name,type,aliases\n潍坊高新技术产业开发区,district,高新区\n", false),
        ("mine.csv", "name,type,aliases\n寿光高新区,district,高新区\n", true),
    ]);
    assert_eq!(name_of(&d, "高新区").as_deref(), Some("寿光高新区"));
    let w = d.take_warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("builtin:2") && w[0].contains("mine.csv:2"), "{w:?}");
}

#[test]
fn among_equals_the_first_claim_stands() {
    let mut d = load(&[
        ("a.csv", "name,type,aliases\n甲公司,company,甲甲\n", true),
        ("b.csv", "name,type,aliases\n乙公司,company,甲甲\n", true),
    ]);
    assert_eq!(name_of(&d, "甲甲").as_deref(), Some("甲公司"));
    assert_eq!(d.take_warnings().len(), 1);
}

#[test]
fn reads_gbk_and_bom() {
    let text = "name,type,aliases\n潍坊市商务局,organization,市商务局\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    for bytes in [gbk.into_owned(), bom] {
        let mut d = Dictionary::empty();
        d.load_bytes(&bytes, "x.csv", true).unwrap();
        assert_eq!(name_of(&d, "市商务局").as_deref(), Some("潍坊市商务局"));
    }
}

#[test]
fn bad_files_are_errors_with_line_and_column() {
    let table = [
        ("name,type\n甲,company\n", "x.csv:1: the header must have the columns name,type,aliases (missing 'aliases')"),
        ("name,type,aliases,name\n", "x.csv:1:4: column 'name' appears twice in the header"),
        ("name,type,aliases\n甲公司,company\n", "x.csv:2: expected 3 fields as in the header, found 2"),
        ("name,type,aliases\n ,company,\n", "x.csv:2:1: empty name"),
        ("name,type,aliases\n甲公司,Big Company,\n", "x.csv:2:2: type 'big company' is not a lowercase word"),
        ("name,type,aliases\n\"甲公司,company,\n", "x.csv:2"),
    ];
    for (text, want) in table {
        let e = Dictionary::empty().load_bytes(text.as_bytes(), "x.csv", true).unwrap_err().to_string();
        assert!(e.starts_with(want), "{text:?}: got {e:?}, want {want:?}");
    }
}

#[test]
fn unknown_columns_and_single_characters_warn() {
    let mut d = load(&[("x.csv", "name,type,aliases,source\n甲公司,company,甲,web\n", true)]);
    let w = d.take_warnings();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("unknown column 'source'"));
    assert!(w[1].contains("single character"));
}

#[test]
fn weak_aliases_are_marked_and_give_way_to_regular_ones() {
    let d = load(&[(
        "x.csv",
        "name,type,aliases,weak_aliases\n潍坊综合保税区,district,综保区,保税\n保税物流中心,park,保税,\n",
        true,
    )]);
    let weak: Vec<(&str, bool)> = d.surfaces().map(|(s, _, w)| (s, w)).collect();
    assert!(weak.contains(&("综保区", false)));
    // 保税 is weak for the zone, claimed first; the park's later regular claim does not take it (first wins).
    assert!(weak.contains(&("保税", true)));
}

#[test]
fn misspelled_types_warn_with_the_closest_built_in_type() {
    let table = [
        ("distrct", Some("district")),
        ("compnay", Some("company")),
        ("organisation", Some("organization")),
        ("parks", Some("park")),
        ("district", None),
        ("product", None),
        ("bank", None),
    ];
    for (kind, want) in table {
        assert_eq!(misspelled_type(kind), want, "{kind}");
    }
    let mut d = Dictionary::empty();
    d.load_bytes("name,type,aliases\n寿光,distrct,\n".as_bytes(), "t.csv", true).unwrap();
    let w = d.take_warnings();
    assert!(w.iter().any(|w| w.starts_with("t.csv:2:2: type 'distrct'") && w.contains("'district'")), "{w:?}");
}

#[test]
fn types_are_lowercased_and_user_types_allowed() {
    let d = load(&[("x.csv", "name,type,aliases\n甲公司,Company,\n乙项目,project,\n", true)]);
    assert_eq!(d.entity(0).kind, "company");
    assert_eq!(d.entity(1).kind, "project");
}

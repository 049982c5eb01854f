//! The matcher's tests: mentions, word boundaries, weak and local aliases, rivals, and the cost of checks.
use super::*;

/// Names nested two hundred deep, on runs of their one character: the characters segmented per character of
/// text stay under a bound that does not depend on the names' length (they grew with its cube before).
#[test]
fn word_boundary_checks_cost_a_bounded_amount_per_character() {
    let rows: String = (1..=200).map(|k| format!("{},company,\n", "华".repeat(k))).collect();
    let matcher = Matcher::new(&dict(&rows)).unwrap();
    for n in [200, 800] {
        matcher.segmented.store(0, std::sync::atomic::Ordering::Relaxed);
        let _ = matcher.candidates(&"华".repeat(n));
        let per_char = matcher.segmented.load(std::sync::atomic::Ordering::Relaxed) / n;
        // At most 1 + MAX_SHORTER checks a place, each of two windows of WINDOW + LONG_HIT characters.
        assert!(per_char <= (1 + MAX_SHORTER) * 2 * (WINDOW + LONG_HIT + 1), "{n}: {per_char} a character");
    }
}

fn dict(rows: &str) -> Dictionary {
    let mut d = Dictionary::empty();
    d.load_bytes(format!("name,type,aliases\n{rows}").as_bytes(), "t.csv", true).unwrap();
    d
}

/// (dictionary rows, text, expected mentions as surface text → canonical name)
type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)]);
const CASES: &[Case] = &[
    ("坊子区,district,坊子", "潍坊子公司的产品", &[]),
    ("高密市,district,高密", "高密度聚乙烯", &[]),
    ("高密市,district,高密", "高密的企业", &[("高密", "高密市")]),
    ("坊子区,district,坊子", "坊子区的企业", &[("坊子区", "坊子区")]),
    ("保税北区,district,\n麦维,company,", "保税北区麦维年产30万吨", &[("保税北区", "保税北区"), ("麦维", "麦维")]),
    ("江南,official,\n江南大学,organization,", "江南大学的教授", &[("江南大学", "江南大学")]),
    (
        "潍坊综合保税区,district,综保区|保税区|综合保税区",
        "据综保区相关负责人介绍,保税区和综合保税区",
        &[("综保区", "潍坊综合保税区"), ("保税区", "潍坊综合保税区"), ("综合保税区", "潍坊综合保税区")],
    ),
    ("潍坊市,district,潍坊\n潍坊银行,company,", "潍坊银行在潍坊", &[("潍坊银行", "潍坊银行"), ("潍坊", "潍坊市")]),
    ("圣和,company,", "ABC圣和DEF", &[("圣和", "圣和")]),
    // A longer entry that cuts a word gives way to the shorter one at the same place.
    ("潍坊,district,\n潍坊高,company,", "潍坊高新技术企业", &[("潍坊", "潍坊")]),
];

#[test]
fn finds_mentions() {
    for (rows, text, want) in CASES {
        let d = dict(rows);
        let m = Matcher::new(&d).unwrap();
        let got: Vec<(&str, &str)> =
            m.find(text).into_iter().map(|(id, r)| (&text[r], d.entity(id).name.as_str())).collect();
        assert_eq!(&got, want, "text {text:?} with dictionary {rows:?}");
    }
}

/// Remembered word-boundary verdicts give what a fresh check gives: every case again, with all of them
/// remembered by one matcher, in both orders.
#[test]
fn remembered_verdicts_are_the_verdicts() {
    let rows: String = CASES.iter().map(|c| c.0).collect::<Vec<_>>().join("\n");
    let d = dict(&rows);
    let fresh = |text: &str| Matcher::new(&d).unwrap().candidates(text);
    let shared = Matcher::new(&d).unwrap();
    for text in CASES.iter().map(|c| c.1).chain(CASES.iter().rev().map(|c| c.1)) {
        assert_eq!(shared.candidates(text), fresh(text), "{text}");
    }
    assert!(!shared.verdicts.lock().unwrap().is_empty(), "nothing was remembered");
}

#[test]
fn weak_aliases_count_only_beside_a_regular_name() {
    let mut d = Dictionary::empty();
    d.load_bytes("name,type,aliases,weak_aliases\n潍坊综合保税区,district,综保区,保税\n".as_bytes(), "t.csv", true)
        .unwrap();
    let m = Matcher::new(&d).unwrap();
    assert_eq!(m.find("产业园在保税建成。").len(), 0);
    assert_eq!(m.find("综保区的产业园在保税建成。").len(), 2);
}

#[test]
fn a_place_s_own_organ_after_its_name_is_no_cut() {
    // (place, word the segmenter cut across its end, is it the place's organ)
    let table = [
        ("海勃湾区", "区委书记", true),
        ("江华县", "县长", true),
        ("永康市", "市政府", true),
        ("高新区", "区委", true),
        ("高密市", "市场", false),
        ("奎文区", "区域", false),
        ("星河公司", "司长", false),
    ];
    for (place, word, want) in table {
        assert_eq!(organ_of_place(place, word), want, "{place} {word}");
    }
    let d = dict("海勃湾区,district,");
    let m = Matcher::new(&d).unwrap();
    assert_eq!(m.find("海勃湾区委书记到企业调研").len(), 1);
}

#[test]
fn rejected_candidates_say_why() {
    let d = dict("高密市,district,高密");
    let m = Matcher::new(&d).unwrap();
    let c = m.candidates("高密度");
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].verdict, Verdict::WordBoundary("高密度".into()));
}

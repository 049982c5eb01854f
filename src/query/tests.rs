//! Confidences in query answers: which edges a least confidence follows, and how answers show them.

use super::*;
use crate::model::Span;

fn c(p: f64) -> Option<Confidence> {
    Some(Confidence::from_probability(p))
}

/// 甲 leads 乙公司 (0.9), 乙公司 is located in 丙市 (0.4), 甲 and 丙市 co-occur (no confidence); 乙公司 is a
/// discovered name the tagger gave 0.8.
fn graph() -> Graph {
    let mut g = Graph::new();
    let node = |name: &str, kind: &str, confidence: Option<Confidence>| Node {
        name: name.into(),
        kind: kind.into(),
        aliases: Vec::new(),
        parent: None,
        title: None,
        mentions: 1,
        documents: 1,
        discovered: confidence.is_some(),
        confidence,
    };
    let ev = |sentence: &str, confidence: Option<Confidence>| Evidence {
        doc: "a".into(),
        sentence: sentence.into(),
        head: Span { start: 0, end: 1 },
        tail: Span { start: 2, end: 3 },
        rule: "r".into(),
        trigger: None,
        context: None,
        date: None,
        confidence,
    };
    let a = g.add_node(node("甲", "official", None));
    let b = g.add_node(node("乙公司", "company", c(0.8)));
    let z = g.add_node(node("丙市", "district", None));
    g.add_evidence(a, "leads", b, 1, &[ev("甲任乙公司董事长。", c(0.9))]);
    g.add_evidence(b, "located-in", z, 1, &[ev("乙公司位于丙市。", c(0.4))]);
    g.add_evidence(a, CO_OCCURS, z, 1, &[ev("甲在丙市。", None)]);
    g
}

#[test]
fn a_least_confidence_leaves_out_edges_below_it_and_never_those_without_one() {
    let edge = |confidence| Edge { confidence, ..Edge::new("leads".into(), 1) };
    let table = [
        (c(0.9), None, true),
        (c(0.9), c(0.9), true),
        (c(0.899), c(0.9), false),
        (None, c(1.0), true),
        (c(0.0), c(0.0), true),
        (c(1.0), c(1.0), true),
    ];
    for (confidence, min, keeps) in table {
        let filter = EdgeFilter { min_confidence: min, ..Default::default() };
        assert_eq!(filter.keeps(&edge(confidence)), keeps, "{confidence:?} at least {min:?}");
    }
    let g = graph();
    let index = Index::new(&g);
    let start = g.node_index("甲").unwrap();
    let reached = |relations: &[&str], min: f64| -> Vec<String> {
        let relations = relations.iter().map(|r| r.to_string()).collect();
        let filter = EdgeFilter { relations, min_confidence: c(min), ..Default::default() };
        neighbors(&index, start, 3, &filter, &[]).into_iter().map(|r| format!("{} {}", r.relation, r.entity)).collect()
    };
    // Through leads (0.9), then located-in (0.4); the co-occurrence has no confidence and always counts.
    let typed = ["leads", "located-in"];
    assert_eq!(reached(&typed, 0.0), ["leads 乙公司", "located-in 丙市"]);
    assert_eq!(reached(&typed, 0.4), ["leads 乙公司", "located-in 丙市"]);
    assert_eq!(reached(&typed, 0.401), ["leads 乙公司"]);
    assert_eq!(reached(&typed, 0.95), [] as [&str; 0]);
    assert_eq!(reached(&[], 1.0), ["co-occurs 丙市"]);
}

#[test]
fn answers_show_confidences_where_there_are_some() {
    let g = graph();
    let index = Index::new(&g);
    let (a, z) = (g.node_index("甲").unwrap(), g.node_index("丙市").unwrap());
    let rows = neighbors(&index, a, 1, &EdgeFilter::default(), &[]);
    let mut out = Vec::new();
    print::neighbors(&mut out, &rows).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "entity  type      relation   direction  weight  confidence  depth  via\n\
         丙市    district  co-occurs  both       1       -           1      甲\n\
         乙公司  company   leads      out        1       0.900       1      甲\n"
    );
    // Without confidences, the table has no such column.
    let unscored: Vec<Neighbor> = rows.iter().filter(|r| r.confidence.is_none()).cloned().collect();
    let mut out = Vec::new();
    print::neighbors(&mut out, &unscored).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "entity  type      relation   direction  weight  depth  via\n\
         丙市    district  co-occurs  both       1       1      甲\n"
    );
    let json = serde_json::to_string(&rows).unwrap();
    assert!(json.contains(r#""weight":1,"confidence":0.9,"depth":1"#), "{json}");
    assert_eq!(json.matches("confidence").count(), 1, "{json}");
    // A path through typed edges: each hop with its confidence.
    let only_typed = EdgeFilter { relations: vec!["leads".into(), "located-in".into()], ..Default::default() };
    let paths = shortest_paths(&index, a, z, &only_typed, 5);
    let mut out = Vec::new();
    print::paths(&mut out, &g, "甲", "丙市", &paths).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("  甲 -[leads]-> 乙公司 (weight 1, confidence 0.900)\n"), "{text}");
    assert!(text.contains("  乙公司 -[located-in]-> 丙市 (weight 1, confidence 0.400)\n"), "{text}");
    // The card of the discovered name: its own confidence and its edges'; below 0.5 its located-in is left out.
    let b = g.node_index("乙公司").unwrap();
    let card_text = |min: f64| {
        let mut out = Vec::new();
        let filter = EdgeFilter { min_confidence: c(min), ..Default::default() };
        print::card(&mut out, &g, &card(&index, b, &filter)).unwrap();
        String::from_utf8(out).unwrap()
    };
    let text = card_text(0.0);
    assert!(text.contains("  mentions:  1 in 1 document\n  confidence: 0.800\n"), "{text}");
    assert!(text.contains("  乙公司 <-[leads]- 甲 (weight 1, confidence 0.900)\n"), "{text}");
    assert!(text.contains("  乙公司 -[located-in]-> 丙市 (weight 1, confidence 0.400)\n"), "{text}");
    assert!(!card_text(0.5).contains("located-in"));
    let json = serde_json::to_string(&card(&index, b, &EdgeFilter::default())).unwrap();
    assert!(json.contains(r#""documents":1,"confidence":0.8,"#), "{json}");
    assert!(json.contains(r#""direction":"out","weight":1,"confidence":0.4,"#), "{json}");
}

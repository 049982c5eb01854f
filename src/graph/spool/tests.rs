//! The spool's tests: runs of a bounded size, and runs merged as they pile up giving what memory gives.

use super::*;
use crate::model::{Confidence, Span};
use crate::read::dates::Date;

fn evidence(n: usize) -> Evidence {
    Evidence {
        doc: format!("d{n}").into(),
        sentence: format!("第{n}句。").into(),
        head: Span { start: n, end: n + 2 },
        tail: Span { start: n + 3, end: n + 5 },
        rule: "co-occurrence".into(),
        trigger: n.is_multiple_of(3).then(|| "位于".to_string()),
        context: n.is_multiple_of(4).then(|| "title".into()),
        // Every other piece dated, in years 2001 to 2013, in no order.
        date: n
            .is_multiple_of(2)
            .then(|| Date::parse(&format!("{}-0{}-1{}", 2001 + n * 7 % 13, 1 + n % 9, n % 10)))
            .flatten(),
        // Four pieces in five scored, in no order.
        confidence: (!n.is_multiple_of(5)).then(|| Confidence::from_thousandths((n * 37 % 1001) as u16)).flatten(),
    }
}

fn edges(spool: &Spool, order: &Order) -> Vec<Folded> {
    spool
        .finished(|| Order { node: order.node.clone(), relation: order.relation.clone(), keep: order.keep.clone() })
        .unwrap()
        .iter()
        .collect::<io::Result<_>>()
        .unwrap()
}

/// A budget of nothing still writes runs of at least [`MIN_RUN`] relations: the number of runs (files written and
/// merged) grows with the input divided by it, not with the input.
#[test]
fn a_zero_budget_spills_in_runs_of_a_bounded_least_size() {
    let order = Order { node: (0..40).collect(), relation: vec![0], keep: vec![3] };
    let mut spool = Spool::new(0);
    let mut spills = 0;
    for n in 0..10_000usize {
        let ev = evidence(n);
        if spool.push(
            ((n % 40) as u32, ((n + 1) % 40) as u32, 0),
            1,
            std::slice::from_ref(&ev),
            Added::Occurrence,
            ev.confidence,
        ) {
            spool.spill(&order).unwrap();
            spills += 1;
        }
    }
    assert_eq!(spills, 10_000 / MIN_RUN);
}

/// A spool that spills at every relation keeps few runs (open files) and gives what one folded in memory
/// gives: the same edges in the same order, weights summed, the first pieces of evidence in input order, and the
/// highest confidence of all the pieces, kept or not.
#[test]
fn runs_are_merged_as_they_pile_up_and_fold_like_memory() {
    // Nodes ranked in reverse of their numbers, so that rank order is not key order.
    let order = Order { node: (0..40).rev().collect(), relation: vec![1, 0], keep: vec![3, 1] };
    let (mut spilled, mut memory) = (Spool::new(0), Spool::new(1 << 30));
    spilled.min_run = 1;
    let mut distinct = std::collections::BTreeSet::new();
    // The highest confidence pushed to each edge, worked out here.
    let mut highest: std::collections::BTreeMap<Key, Option<Confidence>> = Default::default();
    for n in 0..2_000usize {
        let mut key = ((n % 40) as u32, ((n / 40 * 3 + n) % 40) as u32, (n % 3 % 2) as u32);
        if n % 4 == 0 {
            // A few edges with many pieces each, among which the first- and last-dated are rarely the first.
            key = ((n / 4 % 5) as u32, 39, (n / 4 % 2) as u32);
        }
        distinct.insert(key);
        let ev = [evidence(n)];
        let c = ev[0].confidence;
        let best = highest.entry(key).or_default();
        *best = (*best).max(c);
        assert!(spilled.push(key, 1 + n as u64 % 5, &ev, Added::Occurrence, c));
        spilled.spill(&order).unwrap();
        assert!(!memory.push(key, 1 + n as u64 % 5, &ev, Added::Occurrence, c));
    }
    // 2,000 spills: 7 runs of level 2 and 13 of level 1 remain.
    assert!(spilled.runs.len() <= 3 * FAN_IN, "{} runs", spilled.runs.len());
    assert!(spilled.runs.iter().any(|(level, _)| *level >= 2));
    let (a, b) = (edges(&spilled, &order), edges(&memory, &order));
    assert!(distinct.len() > 200, "{}", distinct.len());
    assert_eq!(b.len(), distinct.len());
    assert_eq!(a, b);
    let total: u64 = a.iter().map(|e| e.weight).sum();
    assert_eq!(total, (0..2_000u64).map(|n| 1 + n % 5).sum::<u64>());
    // Dated sentences are counted by year, and the first- and last-dated evidence are kept beside the first.
    let dated: u64 = a.iter().filter_map(|e| e.time.as_ref()).flat_map(|t| t.years.iter().map(|y| y.1)).sum();
    assert_eq!(dated, (0..2_000u64).filter(|n| n % 2 == 0).map(|n| 1 + n % 5).sum::<u64>());
    for Folded { evidence, time, .. } in &a {
        let Some(t) = time else { continue };
        let dates: Vec<Date> = evidence.iter().filter_map(|e| e.date).collect();
        assert_eq!(dates.iter().min(), Some(&t.first));
        assert_eq!(dates.iter().max(), Some(&t.last));
    }
    let beyond = |e: &&Folded| e.evidence.len() > order.keep[e.key.2 as usize];
    assert!(a.iter().any(|e| beyond(&e)), "no edge kept a first- or last-dated piece beyond its first ones");
    // Each edge is as confident as the most confident piece pushed to it, even where that piece was not kept.
    for e in &a {
        assert_eq!(e.confidence, highest[&e.key], "{:?}", e.key);
    }
    let unkept = |e: &&Folded| e.evidence.iter().map(|p| p.confidence).max().flatten() < e.confidence;
    assert!(a.iter().any(|e| unkept(&e)), "no edge's highest confidence came from a piece it did not keep");
    assert!(a.iter().any(|e| e.confidence.is_none()), "no edge without a confidence");
}

//! Each relation's threshold: the probability at which the scorer's held-out decisions score the best F1, counted
//! the way `guanxi eval` counts (the guidelines' forms and chains), over every document and condition.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Read, TrainSet};
use crate::eval::Report;
use crate::extract::scorer::Relation;
use crate::extract::Extraction;
use crate::model::{Evidence, Relation as Found, Span};

/// The thresholds tried: 0.05, 0.10 … 0.95.
fn grid() -> impl Iterator<Item = f32> {
    (1..20).map(|i| i as f32 * 0.05)
}

/// A relation's thresholds: for pairs a dictionary lists at both ends, and for the others.
pub type Thresholds = BTreeMap<Relation, (f32, f32)>;

/// For each relation, the thresholds of the best held-out F1: one for every pair first, then one for pairs a
/// dictionary lists at both ends and again one for the rest, each chosen with the other fixed (the higher one on a
/// tie). With precision targets (pairs a dictionary lists, the others), each class's thresholds are then raised
/// together, by steps of 0.0125, until the held-out precision of that class's decisions over every relation reaches
/// its target (or as far as 0.999).
pub fn choose(
    reads: &[Read],
    probabilities: &[Vec<f32>],
    sets: &[TrainSet],
    precision: Option<(f64, f64)>,
) -> Thresholds {
    let best = best_f1(reads, probabilities, sets);
    let Some((listed_target, other_target)) = precision else { return best };
    let raise = |listed: bool, target: f64| {
        (0..=80).map(|step| step as f32 * 0.0125).find(|&d| {
            let report = score(reads, probabilities, sets, &|r, l| match (l, listed) {
                (true, true) | (false, false) => (pick(&best, r, l) + d).min(0.999),
                _ => f32::INFINITY,
            });
            report.overall().precision().unwrap_or(1.0) >= target
        })
    };
    let (dl, d_o) = (raise(true, listed_target).unwrap_or(1.0), raise(false, other_target).unwrap_or(1.0));
    best.iter().map(|(r, (l, o))| (*r, ((l + dl).min(0.999), (o + d_o).min(0.999)))).collect()
}

/// The threshold of a pair.
pub fn pick(thresholds: &Thresholds, r: Relation, listed: bool) -> f32 {
    thresholds.get(&r).map_or(f32::INFINITY, |(l, o)| if listed { *l } else { *o })
}

/// Each relation's thresholds of the best held-out F1, the other relations left out while they are chosen.
fn best_f1(reads: &[Read], probabilities: &[Vec<f32>], sets: &[TrainSet]) -> Thresholds {
    let mut out = Thresholds::new();
    for r in Relation::ALL {
        let f1 = |listed: f32, other: f32| {
            let report = score(reads, probabilities, sets, &|x, l| {
                if x != r {
                    f32::INFINITY
                } else if l {
                    listed
                } else {
                    other
                }
            });
            report.relations.get(r.name()).and_then(|c| c.f1()).unwrap_or(0.0)
        };
        let best_of = |f: &dyn Fn(f32) -> f64| {
            grid().fold((0.5f32, -1.0f64), |best, g| {
                let v = f(g);
                if v >= best.1 {
                    (g, v)
                } else {
                    best
                }
            })
        };
        let both = best_of(&|g| f1(g, g)).0;
        let listed = best_of(&|g| f1(g, both)).0;
        let other = best_of(&|g| f1(listed, g)).0;
        out.insert(r, (listed, other));
    }
    out
}

/// The report of the held-out decisions at some thresholds.
pub fn score(
    reads: &[Read],
    probabilities: &[Vec<f32>],
    sets: &[TrainSet],
    threshold: &dyn Fn(Relation, bool) -> f32,
) -> Report {
    let reads: Vec<&Read> = reads.iter().collect();
    let probabilities: Vec<&Vec<f32>> = probabilities.iter().collect();
    score_refs(&reads, &probabilities, sets, threshold)
}

/// [`score`] over some of the documents.
pub fn score_refs(
    reads: &[&Read],
    probabilities: &[&Vec<f32>],
    sets: &[TrainSet],
    threshold: &dyn Fn(Relation, bool) -> f32,
) -> Report {
    let mut report = Report { counts_only: true, ..Report::default() };
    let evidence = placeholder();
    for (r, probs) in reads.iter().zip(probabilities) {
        let mut relations: Vec<Found> = Vec::new();
        for (i, p) in r.instances.iter().zip(probs.iter()) {
            if *p >= threshold(i.relation, i.listed) {
                relations.push(Found {
                    head: i.head,
                    relation: i.relation.name().into(),
                    tail: i.tail,
                    evidence: evidence.clone(),
                });
            }
        }
        let extraction = Extraction { relations, ..r.extraction.clone() };
        let p = r.prepared;
        report.add(p.pipeline, (p.gold, &sets[p.set].forms), p.doc, &extraction);
    }
    report
}

/// Evidence for relations that are only counted.
fn placeholder() -> Evidence {
    let empty: Arc<str> = "".into();
    Evidence {
        doc: empty.clone(),
        sentence: empty.clone(),
        head: Span { start: 0, end: 0 },
        tail: Span { start: 0, end: 0 },
        rule: empty,
        trigger: None,
        context: None,
        date: None,
        confidence: None,
    }
}

//! Training the scorer: one logistic regression per relation, by AdaGrad over the examples in a shuffled order
//! (a fixed seed: same data, same model), with an L2 penalty applied to the features of each example as it is
//! visited. Thresholds are chosen afterwards, on held-out scores ([`choose_threshold`]).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::model::{Model, RelationModel};
use super::Relation;

/// One training example: a candidate's feature names and whether the relation holds.
#[derive(Clone, Debug)]
pub struct Example {
    /// The relation.
    pub relation: Relation,
    /// Its features (`template:value`).
    pub names: Vec<String>,
    /// Whether it holds.
    pub label: bool,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Passes over the data.
    pub epochs: usize,
    /// AdaGrad's base rate.
    pub rate: f64,
    /// L2 penalty.
    pub l2: f64,
    /// Seed of the shuffling.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config { epochs: 20, rate: 0.02, l2: 1e-4, seed: 7 }
    }
}

/// Trains one model per relation present in the examples; thresholds start at 0.5.
pub fn train(examples: &[Example], config: &Config) -> Model {
    let mut relations = BTreeMap::new();
    for r in Relation::ALL {
        let mine: Vec<&Example> = examples.iter().filter(|e| e.relation == r).collect();
        if !mine.is_empty() {
            relations.insert(r, train_one(&mine, config));
        }
    }
    let training = BTreeMap::from([
        ("epochs".to_string(), config.epochs.to_string()),
        ("rate".to_string(), config.rate.to_string()),
        ("l2".to_string(), config.l2.to_string()),
        ("seed".to_string(), config.seed.to_string()),
        ("examples".to_string(), examples.len().to_string()),
    ]);
    Model::new(relations, training)
}

fn train_one(examples: &[&Example], config: &Config) -> RelationModel {
    let data: Vec<(&[String], bool)> = examples.iter().map(|e| (e.names.as_slice(), e.label)).collect();
    RelationModel { bias: 0.0, threshold: 0.5, threshold_listed: None, weights: logistic(&data, config) }
}

/// A logistic regression over named binary features: feature name → weight (weights of about 0 left out). Used
/// by the relation scorer and by the entity resolver.
pub fn logistic(examples: &[(&[String], bool)], config: &Config) -> BTreeMap<String, f32> {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let encoded: Vec<(Vec<usize>, f64)> = examples
        .iter()
        .map(|(feats, label)| {
            let mut f: Vec<usize> = feats
                .iter()
                .map(|n| {
                    *index.entry(n.as_str()).or_insert_with(|| {
                        names.push(n.as_str());
                        names.len() - 1
                    })
                })
                .collect();
            f.sort_unstable();
            f.dedup();
            (f, if *label { 1.0 } else { 0.0 })
        })
        .collect();
    let mut w = vec![0.0f64; names.len()];
    let mut g2 = vec![1e-8f64; names.len()];
    let mut order: Vec<usize> = (0..encoded.len()).collect();
    let mut rng = crate::extract::tagger::train::Rng(config.seed);
    for _ in 0..config.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let (f, y) = &encoded[i];
            let z: f64 = f.iter().map(|&j| w[j]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let g = p - y;
            for &j in f {
                let grad = g + config.l2 * w[j];
                g2[j] += grad * grad;
                w[j] -= config.rate * grad / g2[j].sqrt();
            }
        }
    }
    names.iter().zip(&w).filter(|(_, w)| w.abs() > 1e-6).map(|(n, w)| (n.to_string(), *w as f32)).collect()
}

/// The threshold that maximises F1 over held-out (probability, holds) points, where `unreachable` positives
/// were never candidates (they count as misses at any threshold). Ties go to the higher threshold.
pub fn choose_threshold(points: &[(f32, bool)], unreachable: usize) -> (f32, f64) {
    let mut sorted: Vec<(f32, bool)> = points.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = sorted.iter().filter(|p| p.1).count() + unreachable;
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut best = (1.0f32, 0.0f64);
    for (i, &(p, y)) in sorted.iter().enumerate() {
        if y {
            tp += 1;
        } else {
            fp += 1;
        }
        // Only cut between distinct probabilities.
        if sorted.get(i + 1).is_some_and(|n| n.0 == p) {
            continue;
        }
        let f1 = 2.0 * tp as f64 / (tp + fp + positives).max(1) as f64;
        if f1 > best.1 {
            best = (p, f1);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(names: &[&str], label: bool) -> Example {
        Example { relation: Relation::Leads, names: names.iter().map(|s| s.to_string()).collect(), label }
    }

    #[test]
    fn learns_which_feature_decides_and_is_deterministic() {
        let mut data = Vec::new();
        for _ in 0..20 {
            data.push(ex(&["bias:", "rule:leads/a", "bw:书记"], true));
            data.push(ex(&["bias:", "bw:会见"], false));
            data.push(ex(&["bias:", "bw:书记", "same:1"], false));
        }
        let a = train(&data, &Config::default());
        let b = train(&data, &Config::default());
        let (mut sa, mut sb) = (Vec::new(), Vec::new());
        a.save(&mut sa).unwrap();
        b.save(&mut sb).unwrap();
        assert_eq!(sa, sb);
        let w = &a.relations[&Relation::Leads].weights;
        assert!(w["rule:leads/a"] > 0.5, "{w:?}");
        assert!(w["same:1"] < 0.0, "{w:?}");
    }

    #[test]
    fn thresholds_maximise_f1() {
        // (points, unreachable, threshold)
        type Row<'a> = (&'a [(f32, bool)], usize, f32);
        let table: [Row; 4] = [
            (&[(0.9, true), (0.8, true), (0.3, false), (0.2, true)], 0, 0.2),
            (&[(0.9, true), (0.8, true), (0.3, false), (0.25, false), (0.2, true)], 0, 0.8),
            (&[(0.9, true), (0.6, false), (0.5, true), (0.4, true)], 0, 0.4),
            (&[(0.9, false), (0.1, false)], 3, 1.0),
        ];
        for (points, unreachable, want) in table {
            assert_eq!(choose_threshold(points, unreachable).0, want, "{points:?}");
        }
    }
}

//! The scorer's model: one logistic regression per relation, and its file format.
//!
//! # File format
//!
//! One JSON object (keys sorted, so the same model gives the same bytes):
//!
//! ```json
//! {"format": "guanxi-relation-scorer", "version": 1,
//!  "relations": {"leads": {"bias": -2.1, "threshold": 0.45, "weights": {"rule:leads/org-title-person": 3.2, …}}, …},
//!  "training": {"epochs": "20", …}}
//! ```
//!
//! A weight's key is the feature's text (`template:value`, see [`super::features`]); features absent from the
//! model weigh nothing. Weights are rounded to 1e-5.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::features::key_of_name;
use super::Relation;

const FORMAT: &str = "guanxi-relation-scorer";
/// The format version this code reads and writes.
pub const VERSION: u32 = 1;

/// Named weights, strongest first.
pub type Weighted = Vec<(String, f32)>;

/// One relation's logistic regression.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RelationModel {
    /// The intercept (the `bias:` feature also carries weight; this is kept for clarity and is usually 0).
    pub bias: f32,
    /// Probability at or above which the relation holds.
    pub threshold: f32,
    /// The threshold for a pair whose two ends a dictionary lists (the rest are the tagger's), when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_listed: Option<f32>,
    /// Feature name → weight.
    pub weights: BTreeMap<String, f32>,
}

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    version: u32,
    relations: BTreeMap<String, RelationModel>,
    #[serde(default)]
    training: BTreeMap<String, String>,
}

/// A trained scorer model.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// Per relation, as stored.
    pub relations: BTreeMap<Relation, RelationModel>,
    /// Training settings and data summary.
    pub training: BTreeMap<String, String>,
    /// Per relation: key → weight, for scoring.
    index: BTreeMap<Relation, FxHashMap<u64, f32>>,
}

impl Model {
    /// A model from per-relation parts.
    pub fn new(relations: BTreeMap<Relation, RelationModel>, training: BTreeMap<String, String>) -> Model {
        let index = relations
            .iter()
            .map(|(r, m)| (*r, m.weights.iter().map(|(name, w)| (key_of_name(name), *w)).collect()))
            .collect();
        Model { relations, training, index }
    }

    /// The probability of a relation given its feature keys.
    pub fn probability(&self, relation: Relation, keys: &[u64]) -> f32 {
        let (Some(m), Some(index)) = (self.relations.get(&relation), self.index.get(&relation)) else { return 0.0 };
        let z: f32 = m.bias + keys.iter().filter_map(|k| index.get(k)).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Whether the model learned a weight for a rule (its name as the feature has it, with `@source` where an
    /// argument came from the document context). A rule it never saw fire, such as one a user added to their rules
    /// file, is not the model's to overrule.
    pub fn knows_rule(&self, relation: Relation, rule: &str) -> bool {
        self.index.get(&relation).is_some_and(|index| index.contains_key(&key_of_name(&format!("rule:{rule}"))))
    }

    /// The relation's threshold (1 if the model has no such relation: it never holds).
    pub fn threshold(&self, relation: Relation) -> f32 {
        self.relations.get(&relation).map_or(1.0, |m| m.threshold)
    }

    /// The threshold of a pair: the relation's, or its own for a pair whose two ends a dictionary lists.
    pub fn threshold_for(&self, relation: Relation, listed: bool) -> f32 {
        self.relations.get(&relation).map_or(1.0, |m| m.threshold_listed.filter(|_| listed).unwrap_or(m.threshold))
    }

    /// Sets a relation's threshold.
    pub fn set_threshold(&mut self, relation: Relation, threshold: f32) {
        if let Some(m) = self.relations.get_mut(&relation) {
            m.threshold = threshold;
        }
    }

    /// Sets a relation's threshold for pairs whose two ends a dictionary lists.
    pub fn set_threshold_listed(&mut self, relation: Relation, threshold: Option<f32>) {
        if let Some(m) = self.relations.get_mut(&relation) {
            m.threshold_listed = threshold;
        }
    }

    /// Of the named features, the `k` with the largest |weight|, with their weights.
    pub fn strongest(&self, relation: Relation, names: &[String], k: usize) -> Vec<(String, f32)> {
        let Some(m) = self.relations.get(&relation) else { return vec![] };
        let mut v: Vec<(String, f32)> =
            names.iter().filter_map(|n| m.weights.get(n).map(|w| (n.clone(), *w))).collect();
        v.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(&b.0)));
        v.dedup_by(|a, b| a.0 == b.0);
        v.truncate(k);
        v
    }

    /// The `k` most positive and most negative features of each relation.
    pub fn top_features(&self, k: usize) -> Vec<(Relation, Weighted, Weighted)> {
        self.relations
            .iter()
            .map(|(r, m)| {
                let mut v: Vec<(String, f32)> = m.weights.iter().map(|(n, w)| (n.clone(), *w)).collect();
                v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let pos = v.iter().take(k).cloned().collect();
                let neg = v.iter().rev().take(k).cloned().collect();
                (*r, pos, neg)
            })
            .collect()
    }

    /// Writes the model as JSON.
    pub fn save(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let relations = self
            .relations
            .iter()
            .map(|(r, m)| {
                let weights =
                    m.weights.iter().map(|(n, w)| (n.clone(), round(*w))).filter(|(_, w)| *w != 0.0).collect();
                (
                    r.name().to_string(),
                    RelationModel {
                        bias: round(m.bias),
                        threshold: round(m.threshold),
                        threshold_listed: m.threshold_listed.map(round),
                        weights,
                    },
                )
            })
            .collect();
        let file = File { format: FORMAT.into(), version: VERSION, relations, training: self.training.clone() };
        serde_json::to_writer(&mut *out, &file).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(input: &mut dyn std::io::Read) -> std::io::Result<Model> {
        let bad = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidData, m);
        let file: File = serde_json::from_reader(input).map_err(|e| bad(e.to_string()))?;
        if file.format != FORMAT {
            return Err(bad(format!("not a relation scorer model ({})", file.format)));
        }
        if file.version != VERSION {
            return Err(bad(format!("relation scorer version {}; this build reads {VERSION}", file.version)));
        }
        let mut relations = BTreeMap::new();
        for (name, m) in file.relations {
            let r = Relation::from_name(&name).ok_or_else(|| bad(format!("unknown relation {name}")))?;
            relations.insert(r, m);
        }
        Ok(Model::new(relations, file.training))
    }
}

fn round(x: f32) -> f32 {
    (x * 1e5).round() / 1e5
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::scorer::features::key;

    fn tiny() -> Model {
        let weights = BTreeMap::from([("rule:leads/x".to_string(), 2.0), ("bias:".to_string(), -1.0)]);
        let m = RelationModel { bias: 0.0, threshold: 0.5, threshold_listed: None, weights };
        Model::new(BTreeMap::from([(Relation::Leads, m)]), BTreeMap::new())
    }

    #[test]
    fn probabilities_follow_the_weights() {
        let m = tiny();
        // (keys, probability)
        let table = [
            (vec![key("bias", "")], 1.0 / (1.0 + 1f32.exp())),
            (vec![key("bias", ""), key("rule", "leads/x")], 1.0 / (1.0 + (-1f32).exp())),
            (vec![key("unknown", "x")], 0.5),
        ];
        for (keys, p) in table {
            assert!((m.probability(Relation::Leads, &keys) - p).abs() < 1e-6);
        }
        assert_eq!(m.probability(Relation::InvestsIn, &[]), 0.0);
        assert_eq!(m.threshold(Relation::InvestsIn), 1.0);
    }

    #[test]
    fn saves_and_loads_byte_for_byte() {
        let m = tiny();
        let mut a = Vec::new();
        m.save(&mut a).unwrap();
        let back = Model::load(&mut a.as_slice()).unwrap();
        let mut b = Vec::new();
        back.save(&mut b).unwrap();
        assert_eq!(a, b);
        assert!(String::from_utf8(a).unwrap().starts_with("{\"format\":\"guanxi-relation-scorer\",\"version\":1,"));
    }

    #[test]
    fn explains_with_the_strongest_features() {
        let m = tiny();
        let names = vec!["bias:".to_string(), "rule:leads/x".to_string(), "other:1".to_string()];
        assert_eq!(m.strongest(Relation::Leads, &names, 1), vec![("rule:leads/x".to_string(), 2.0)]);
    }
}

//! The relation scorer: how likely a candidate pair holds `leads`, `located-in` or `invests-in`.
//!
//! A candidate is plain data ([`Candidate`]): the relation asked, the two arguments (name, type, where the entity
//! came from, and where the sentence names it, if it does), the sentence with its jieba words and the other
//! mentions in it, the rules of `dictionaries/rules.toml` that fired for this pair there, and facts from the
//! document (its place and where that came from, a dictionary parent link, the pair stated in another sentence).
//! [`features`] turns it into named features; one logistic regression per relation ([`model`], trained by
//! [`train`]) turns those into a probability, and lists the features that weighed most (for `explain`).
//!
//! A document's relation holds with the highest probability of any of its candidates (one per sentence that
//! names both, and one per sentence naming the head when the tail comes from the document's context); the
//! per-relation threshold is chosen by cross-validation and stored in the model.

pub mod candidates;
pub mod features;
pub mod model;
pub mod stage;
pub mod train;

use std::ops::Range;

pub use model::Model;

/// The three typed relations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// official → district, organization, company.
    Leads,
    /// company, park, district → district, park.
    LocatedIn,
    /// company, official, organization → park, company.
    InvestsIn,
}

impl Relation {
    /// All three, in table order.
    pub const ALL: [Relation; 3] = [Relation::InvestsIn, Relation::Leads, Relation::LocatedIn];

    /// The relation's name in graphs and gold files.
    pub fn name(self) -> &'static str {
        match self {
            Relation::Leads => "leads",
            Relation::LocatedIn => "located-in",
            Relation::InvestsIn => "invests-in",
        }
    }

    /// The relation of a name.
    pub fn from_name(name: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether the guidelines allow this pair of types.
    pub fn allows(self, head: &str, tail: &str) -> bool {
        match self {
            Relation::Leads => head == "official" && matches!(tail, "district" | "organization" | "company"),
            Relation::LocatedIn => {
                matches!(head, "company" | "park" | "district") && matches!(tail, "district" | "park")
            }
            Relation::InvestsIn => {
                matches!(head, "company" | "official" | "organization") && matches!(tail, "park" | "company")
            }
        }
    }
}

/// One argument of a candidate.
#[derive(Clone, Debug, Default)]
pub struct Arg<'a> {
    /// The entity's canonical name.
    pub name: &'a str,
    /// Its type.
    pub kind: &'a str,
    /// Where the entity comes from: `dictionary`, `tagger`, `discovered`.
    pub source: &'a str,
    /// Where the sentence names it (byte range of the sentence); `None` when the argument comes from the document
    /// context (the document's place).
    pub span: Option<Range<usize>>,
    /// How sure the entity stage is of the entity (1 for dictionary entities; the tagger's span confidence).
    pub confidence: f32,
}

/// A candidate pair, as plain data.
#[derive(Clone, Debug)]
pub struct Candidate<'a> {
    /// The relation asked.
    pub relation: Relation,
    /// Its head.
    pub head: Arg<'a>,
    /// Its tail.
    pub tail: Arg<'a>,
    /// The sentence (normalised).
    pub sentence: &'a str,
    /// Its jieba words: (byte start, byte end, part-of-speech tag).
    pub tokens: &'a [(usize, usize, &'a str)],
    /// Every mention in the sentence: byte range and type.
    pub mentions: &'a [(Range<usize>, &'a str)],
    /// Names of the rules that fired for this pair (and relation) in this sentence.
    pub rules: &'a [&'a str],
    /// When the tail comes from the document: where its place was read (`title`, `dateline`, `self-reference`,
    /// `prominence`).
    pub context: Option<&'a str>,
    /// Document facts about the pair, as short flags (`dict-lies-in`, `stated-elsewhere`, `tail-is-place` …).
    pub facts: &'a [&'a str],
}

/// A probability and, when asked, the features that weighed most.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// The probability that the relation holds.
    pub probability: f32,
    /// The features with the largest |weight| that fired, with their weights (for `explain`).
    pub top: Vec<(String, f32)>,
}

/// A trained scorer.
#[derive(Clone, Debug)]
pub struct Scorer {
    /// The model.
    pub model: Model,
}

impl Scorer {
    /// A scorer over a model.
    pub fn new(model: Model) -> Scorer {
        Scorer { model }
    }

    /// Scores a candidate; with `explain`, also names its `explain` strongest features.
    pub fn score(&self, c: &Candidate, explain: usize) -> Scored {
        let mut sink = features::Keys::default();
        features::extract(c, &mut sink);
        let probability = self.model.probability(c.relation, &sink.keys);
        let top = if explain > 0 {
            let mut namer = features::Names::default();
            features::extract(c, &mut namer);
            self.model.strongest(c.relation, &namer.names, explain)
        } else {
            vec![]
        };
        Scored { probability, top }
    }

    /// Scores candidates of one (head, relation, tail) read from several sentences as one: the union of their
    /// features (how pairs whose tail comes from the document are scored, see [`candidates`]).
    pub fn score_group(&self, group: &[Candidate], explain: usize) -> Scored {
        let Some(first) = group.first() else { return Scored { probability: 0.0, top: vec![] } };
        let mut sink = features::Keys::default();
        for c in group {
            features::extract(c, &mut sink);
        }
        sink.keys.sort_unstable();
        sink.keys.dedup();
        let probability = self.model.probability(first.relation, &sink.keys);
        let top = if explain > 0 {
            let mut namer = features::Names::default();
            for c in group {
                features::extract(c, &mut namer);
            }
            namer.names.sort();
            namer.names.dedup();
            self.model.strongest(first.relation, &namer.names, explain)
        } else {
            vec![]
        };
        Scored { probability, top }
    }

    /// Whether the relation holds: the probability reaches the relation's threshold.
    pub fn holds(&self, c: &Candidate) -> bool {
        self.score(c, 0).probability >= self.model.threshold(c.relation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_allow_the_guidelines_types() {
        // (relation, head, tail, allowed)
        let table = [
            (Relation::Leads, "official", "district", true),
            (Relation::Leads, "official", "park", false),
            (Relation::Leads, "company", "company", false),
            (Relation::LocatedIn, "park", "district", true),
            (Relation::LocatedIn, "company", "park", true),
            (Relation::LocatedIn, "official", "district", false),
            (Relation::LocatedIn, "district", "company", false),
            (Relation::InvestsIn, "official", "company", true),
            (Relation::InvestsIn, "organization", "park", true),
            (Relation::InvestsIn, "district", "park", false),
        ];
        for (r, h, t, want) in table {
            assert_eq!(r.allows(h, t), want, "{} {h} {t}", r.name());
        }
        for r in Relation::ALL {
            assert_eq!(Relation::from_name(r.name()), Some(r));
        }
    }
}

//! Evaluation against hand-annotated gold relations: precision, recall and F1 per relation.
//!
//! The gold file has one JSON object per line: `{"doc": "<document id>", "relations": [{"head", "relation",
//! "tail", "optional"?}], "entities": [...]}`. Names are resolved through the dictionaries' names and aliases.
//! Optional relations are neither required nor false positives when found; `co-occurs` is not scored.
//!
//! `gold` reads the gold files; a document's relations are scored in `relations` and its entities in `entities`;
//! `print` writes the report.

mod entities;
pub(crate) mod forms;
mod gold;
mod print;
mod relations;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::extract::Extraction;
use crate::model::Document;
use crate::pipeline::Pipeline;

pub use forms::SetForms;
pub use gold::{corpus_beside, read_gold, split_spec, GoldDoc, GoldEntity, GoldRelation};
pub use print::write_table;

/// Counts for one relation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted and required.
    pub tp: usize,
    /// Predicted and not annotated at all.
    pub fp: usize,
    /// Required and not predicted.
    pub fn_: usize,
}

impl Counts {
    /// tp / (tp + fp); `None` when nothing was predicted (no precision to speak of, not a perfect one).
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn); `None` when nothing was required.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall: 0 when something was required or predicted and nothing was right;
    /// `None` when nothing was either.
    pub fn f1(&self) -> Option<f64> {
        if self.tp + self.fp + self.fn_ == 0 {
            return None;
        }
        Some(2.0 * self.tp as f64 / (2 * self.tp + self.fp + self.fn_) as f64)
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// A score to three decimals, or `–` where there is none.
pub fn score(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |x| format!("{x:.3}"))
}

/// A miss or a false positive, for the verbose report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Document id.
    pub doc: String,
    /// Head name.
    pub head: String,
    /// Relation.
    pub relation: String,
    /// Tail name.
    pub tail: String,
    /// The sentence (false positives: where it was found; misses: the first naming both) or a note.
    pub note: String,
    /// False positives: the rule that fired; misses: the nearest rule of the relation that did not, and why.
    pub rule: String,
}

/// The result of an evaluation.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Only count: misses are not explained (no document is read again). Set before adding documents.
    pub counts_only: bool,
    /// Counts per relation, sorted by relation.
    pub relations: BTreeMap<String, Counts>,
    /// Required relations not predicted.
    pub misses: Vec<Item>,
    /// Predicted relations not annotated.
    pub false_positives: Vec<Item>,
    /// Problems met (unknown names, documents missing on either side).
    pub warnings: Vec<String>,
    /// Entity counts, where the gold lists the documents' entities: a graph node (an entity mentioned, listed or
    /// discovered) that matches a gold name or alias is a true positive, one that matches none a false positive,
    /// a gold entity no node matches a miss.
    pub entities: Option<Counts>,
    /// Entity counts by type: found and missed by the gold entity's type, false positives by the node's.
    pub entity_types: BTreeMap<String, Counts>,
    /// Nodes that match no gold entity, and gold entities no node matches (for `--errors`).
    pub entity_errors: Vec<String>,
}

impl Report {
    /// Counts over all relations.
    pub fn overall(&self) -> Counts {
        self.relations.values().fold(Counts::default(), |a, c| Counts {
            tp: a.tp + c.tp,
            fp: a.fp + c.fp,
            fn_: a.fn_ + c.fn_,
        })
    }

    /// Scores one document: `extraction` is what guanxi found in `doc`, `gold` what the annotators say, `set` the
    /// forms its set's dictionary gives the gold names.
    pub fn add(
        &mut self,
        pipeline: &Pipeline,
        (gold, set): (&GoldDoc, &SetForms),
        doc: &Document,
        extraction: &Extraction,
    ) {
        // Names the document's discovery found are nodes like the dictionary's.
        let dict = &pipeline.dict.with_discovered(&extraction.discovered);
        let forms = forms::DocForms::new(gold, set);
        self.add_entities(dict, &gold.doc, &forms, extraction, &doc.text);
        let predicted = relations::predicted(extraction);
        let annotated = relations::Annotated::of(&forms);
        self.score_required(pipeline, dict, (&gold.doc, doc), &annotated, &predicted);
        self.score_predicted(dict, &gold.doc, &annotated, &predicted);
    }
}

/// Evaluates documents against gold; `documents` maps document ids to the documents and their extractions, `set`
/// gives the forms of the set's dictionary.
pub fn evaluate(
    pipeline: &Pipeline,
    (gold, set): (&[GoldDoc], &SetForms),
    documents: &HashMap<String, (Document, Extraction)>,
) -> Report {
    let mut report = Report::default();
    for g in gold {
        match documents.get(&g.doc) {
            Some((doc, extraction)) => report.add(pipeline, (g, set), doc, extraction),
            None => report.warnings.push(format!("{}: in the gold file but not among the inputs", g.doc)),
        }
    }
    let gold_ids: BTreeSet<&str> = gold.iter().map(|g| g.doc.as_str()).collect();
    let mut extra: Vec<&String> = documents.keys().filter(|d| !gold_ids.contains(d.as_str())).collect();
    extra.sort();
    for d in extra {
        report.warnings.push(format!("{d}: not in the gold file; not scored"));
    }
    report
}

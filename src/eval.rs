//! Evaluation against hand-annotated gold relations: precision, recall and F1 per relation.
//!
//! The gold file has one JSON object per line: `{"doc": "<document id>", "relations": [{"head", "relation",
//! "tail", "optional"?}], "entities": [...]}`. Names are resolved through the dictionaries' names and aliases.
//! Optional relations are neither required nor false positives when found; `co-occurs` is not scored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::{EntityId, CO_OCCURS};
use crate::pipeline::Pipeline;
use crate::relations::Extraction;

#[derive(Deserialize)]
struct GoldLine {
    doc: String,
    #[serde(default)]
    relations: Vec<GoldRelation>,
}

/// One annotated relation.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldRelation {
    /// Head entity name (canonical or alias).
    pub head: String,
    /// Relation name.
    pub relation: String,
    /// Tail entity name.
    pub tail: String,
    /// Acceptable but not required.
    #[serde(default)]
    pub optional: bool,
}

/// The annotated relations of one document.
#[derive(Clone, Debug)]
pub struct GoldDoc {
    /// Document id (file name).
    pub doc: String,
    /// Its relations.
    pub relations: Vec<GoldRelation>,
}

/// Reads a gold file (JSON Lines). Blank lines are skipped; a malformed line is an error naming it.
pub fn read_gold(text: &str, file: &str) -> Result<Vec<GoldDoc>> {
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldLine = serde_json::from_str(line).map_err(|e| Error::GraphFormat {
            path: format!("{file}:{}", i + 1),
            message: format!("not a gold record: {e}"),
        })?;
        docs.push(GoldDoc { doc: g.doc, relations: g.relations });
    }
    Ok(docs)
}

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
    /// tp / (tp + fp); 1 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn); 1 when nothing was required.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
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
    /// The sentence (false positives: where it was found; misses: where the gold says, if known) or a note.
    pub note: String,
}

/// The result of an evaluation.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Counts per relation, sorted by relation.
    pub relations: BTreeMap<String, Counts>,
    /// Required relations not predicted.
    pub misses: Vec<Item>,
    /// Predicted relations not annotated.
    pub false_positives: Vec<Item>,
    /// Problems met (unknown names, documents missing on either side).
    pub warnings: Vec<String>,
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

    /// Scores one document: `extraction` is what guanxi found in it, `gold` what the annotators say.
    pub fn add(&mut self, pipeline: &Pipeline, gold: &GoldDoc, extraction: &Extraction) {
        let dict = &pipeline.dict;
        let name = |id: EntityId| dict.entity(id).name.clone();
        let mut predicted: BTreeMap<(EntityId, &str, EntityId), &str> = BTreeMap::new();
        for r in extraction.relations.iter().filter(|r| &*r.relation != CO_OCCURS) {
            predicted.entry((r.head, &*r.relation, r.tail)).or_insert(&*r.evidence.sentence);
        }
        let mut required = BTreeSet::new();
        let mut optional = BTreeSet::new();
        for g in &gold.relations {
            if g.relation == CO_OCCURS {
                continue;
            }
            let (head, tail) = (dict.lookup(&g.head), dict.lookup(&g.tail));
            let (Some(head), Some(tail)) = (head, tail) else {
                let unknown: Vec<&str> = [(&g.head, head), (&g.tail, tail)]
                    .iter()
                    .filter(|(_, id)| id.is_none())
                    .map(|(n, _)| n.as_str())
                    .collect();
                self.warnings.push(format!("{}: gold name not in any dictionary: {}", gold.doc, unknown.join(", ")));
                if !g.optional {
                    self.relations.entry(g.relation.clone()).or_default().fn_ += 1;
                    self.misses.push(Item {
                        doc: gold.doc.clone(),
                        head: g.head.clone(),
                        relation: g.relation.clone(),
                        tail: g.tail.clone(),
                        note: "(name not in any dictionary)".into(),
                    });
                }
                continue;
            };
            let key = (head, g.relation.clone(), tail);
            if g.optional {
                optional.insert(key);
            } else {
                required.insert(key);
            }
        }
        for (head, relation, tail) in &required {
            let counts = self.relations.entry(relation.clone()).or_default();
            if predicted.contains_key(&(*head, relation.as_str(), *tail)) {
                counts.tp += 1;
            } else {
                counts.fn_ += 1;
                let sentence = sentence_with(extraction, *head, *tail).unwrap_or("(no sentence names both)");
                self.misses.push(Item {
                    doc: gold.doc.clone(),
                    head: name(*head),
                    relation: relation.clone(),
                    tail: name(*tail),
                    note: sentence.to_string(),
                });
            }
        }
        for (&(head, relation, tail), sentence) in &predicted {
            let key = (head, relation.to_string(), tail);
            if required.contains(&key) || optional.contains(&key) {
                continue;
            }
            self.relations.entry(relation.to_string()).or_default().fp += 1;
            self.false_positives.push(Item {
                doc: gold.doc.clone(),
                head: name(head),
                relation: relation.to_string(),
                tail: name(tail),
                note: sentence.to_string(),
            });
        }
    }

    /// Writes the report: a table per relation, with `verbose` every miss and false positive, and as the last
    /// line `overall precision=P recall=R f1=F`.
    pub fn write(&self, out: &mut dyn Write, verbose: bool) -> io::Result<()> {
        if verbose {
            for (title, items) in [("missed", &self.misses), ("false positive", &self.false_positives)] {
                for i in items {
                    writeln!(out, "{title}: {} {} -> {} [{}]", i.head, i.relation, i.tail, i.doc)?;
                    writeln!(out, "    {}", i.note.trim())?;
                }
            }
            if !self.misses.is_empty() || !self.false_positives.is_empty() {
                writeln!(out)?;
            }
        }
        writeln!(
            out,
            "{:<14} {:>4} {:>4} {:>4} {:>9} {:>7} {:>7}",
            "relation", "tp", "fp", "fn", "precision", "recall", "f1"
        )?;
        for (relation, c) in &self.relations {
            writeln!(
                out,
                "{:<14} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>7.3}",
                relation,
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            )?;
        }
        let o = self.overall();
        writeln!(out, "overall precision={:.3} recall={:.3} f1={:.3}", o.precision(), o.recall(), o.f1())
    }
}

/// The first sentence in which both entities are mentioned (from co-occurrence evidence).
fn sentence_with(extraction: &Extraction, a: EntityId, b: EntityId) -> Option<&str> {
    extraction
        .relations
        .iter()
        .find(|r| (r.head == a && r.tail == b) || (r.head == b && r.tail == a))
        .map(|r| &*r.evidence.sentence)
}

/// Evaluates documents against gold; `documents` maps document ids to their extractions.
pub fn evaluate(pipeline: &Pipeline, gold: &[GoldDoc], documents: &HashMap<String, Extraction>) -> Report {
    let mut report = Report::default();
    for g in gold {
        match documents.get(&g.doc) {
            Some(extraction) => report.add(pipeline, g, extraction),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_give_precision_recall_f1() {
        let table = [
            (Counts { tp: 8, fp: 2, fn_: 0 }, 0.8, 1.0),
            (Counts { tp: 3, fp: 0, fn_: 1 }, 1.0, 0.75),
            (Counts { tp: 0, fp: 0, fn_: 0 }, 1.0, 1.0),
            (Counts { tp: 0, fp: 2, fn_: 2 }, 0.0, 0.0),
        ];
        for (c, p, r) in table {
            assert!((c.precision() - p).abs() < 1e-9 && (c.recall() - r).abs() < 1e-9, "{c:?}");
        }
        assert!((Counts { tp: 3, fp: 0, fn_: 1 }.f1() - 6.0 / 7.0).abs() < 1e-9);
        assert_eq!(Counts { tp: 0, fp: 2, fn_: 2 }.f1(), 0.0);
    }

    #[test]
    fn scores_required_optional_and_unannotated_relations() {
        let mut warn = |_: String| {};
        let pipeline = Pipeline::new(&Default::default(), &mut warn).unwrap();
        let text = "青啤数字化工厂落户奎文区。王斌在安丘建设苏州(安丘)科技产业园。";
        let extraction = pipeline.extractor().extract(&crate::model::Document::new("d", text));
        let gold = read_gold(
            r#"{"doc": "d", "relations": [
                {"head": "青啤数字化工厂", "relation": "located-in", "tail": "奎文"},
                {"head": "苏州(安丘)科技产业园", "relation": "located-in", "tail": "安丘", "optional": true},
                {"head": "王斌", "relation": "leads", "tail": "安丘市"},
                {"head": "王斌", "relation": "co-occurs", "tail": "安丘市"}]}"#
                .replace('\n', " ")
                .as_str(),
            "g.jsonl",
        )
        .unwrap();
        let mut docs = HashMap::new();
        docs.insert("d".to_string(), extraction);
        let report = evaluate(&pipeline, &gold, &docs);
        // located-in: one required and found (aliases resolve), one optional and found (not counted).
        assert_eq!(report.relations["located-in"], Counts { tp: 1, fp: 0, fn_: 0 });
        // leads: required, not found.
        assert_eq!(report.relations["leads"], Counts { tp: 0, fp: 0, fn_: 1 });
        // invests-in: found, not annotated.
        assert_eq!(report.relations["invests-in"], Counts { tp: 0, fp: 1, fn_: 0 });
        assert!(!report.relations.contains_key("co-occurs"));
        let mut out = Vec::new();
        report.write(&mut out, true).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("missed: 王斌 leads -> 安丘市 [d]"), "{out}");
        assert!(out.contains("false positive: 王斌 invests-in -> 苏州(安丘)科技产业园 [d]"), "{out}");
        assert!(out.ends_with("overall precision=0.500 recall=0.500 f1=0.500\n"), "{out}");
    }

    #[test]
    fn malformed_gold_lines_are_errors_naming_the_line() {
        let e = read_gold("{\"doc\": \"a\", \"relations\": []}\n\nnot json\n", "g.jsonl").unwrap_err().to_string();
        assert!(e.starts_with("g.jsonl:3: "), "{e}");
    }
}

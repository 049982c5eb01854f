//! Evaluation against hand-annotated gold relations: precision, recall and F1 per relation.
//!
//! The gold file has one JSON object per line: `{"doc": "<document id>", "relations": [{"head", "relation",
//! "tail", "optional"?}], "entities": [...]}`. Names are resolved through the dictionaries' names and aliases.
//! Optional relations are neither required nor false positives when found; `co-occurs` is not scored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

use serde::Deserialize;

use crate::dict::Dictionary;
use crate::error::{Error, Result};
use crate::extract::{pairs, Doc, Extraction};
use crate::model::{Document, EntityId, Relation, CO_OCCURS};
use crate::pipeline::Pipeline;

#[derive(Deserialize)]
struct GoldLine {
    doc: String,
    #[serde(default)]
    relations: Vec<GoldRelation>,
    #[serde(default)]
    entities: Option<Vec<GoldEntity>>,
}

/// One annotated entity: every named entity of the document is listed, relations or not.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldEntity {
    /// The fullest form the text uses.
    pub name: String,
    /// Other forms the text uses.
    #[serde(default)]
    pub aliases: Vec<String>,
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
    /// A tempting pair the text does not support: never required, and a false positive when predicted.
    #[serde(default)]
    pub negative: bool,
    /// The annotator's reason (for optional and negative relations).
    #[serde(default)]
    pub why: Option<String>,
}

/// The annotated relations of one document.
#[derive(Clone, Debug)]
pub struct GoldDoc {
    /// Document id (file name).
    pub doc: String,
    /// Its relations.
    pub relations: Vec<GoldRelation>,
    /// Every named entity, if the file lists them (then entities are scored too).
    pub entities: Option<Vec<GoldEntity>>,
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
        docs.push(GoldDoc { doc: g.doc, relations: g.relations, entities: g.entities });
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

    /// Scores one document: `extraction` is what guanxi found in `doc`, `gold` what the annotators say.
    pub fn add(&mut self, pipeline: &Pipeline, gold: &GoldDoc, doc: &Document, extraction: &Extraction) {
        // Names the document's discovery found resolve like the dictionary's.
        let dict = &pipeline.dict.with_discovered(&extraction.discovered);
        if let Some(entities) = &gold.entities {
            self.add_entities(dict, &gold.doc, entities, extraction, &doc.text);
        }
        let name = |id: EntityId| dict.entity(id).name.clone();
        let mut predicted: BTreeMap<(EntityId, &str, EntityId), &Relation> = BTreeMap::new();
        for r in extraction.relations.iter().filter(|r| &*r.relation != CO_OCCURS) {
            predicted.entry((r.head, &*r.relation, r.tail)).or_insert(r);
        }
        let mut required = BTreeSet::new();
        let mut optional = BTreeSet::new();
        let mut negative = BTreeMap::new();
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
                if !g.optional && !g.negative {
                    self.relations.entry(g.relation.clone()).or_default().fn_ += 1;
                    self.misses.push(Item {
                        doc: gold.doc.clone(),
                        head: g.head.clone(),
                        relation: g.relation.clone(),
                        tail: g.tail.clone(),
                        note: "(name not in any dictionary)".into(),
                        rule: String::new(),
                    });
                }
                continue;
            };
            let key = (head, g.relation.clone(), tail);
            if g.negative {
                negative.insert(key, g.why.clone().unwrap_or_default());
            } else if g.optional {
                optional.insert(key);
            } else {
                required.insert(key);
            }
        }
        let mut prepared = None;
        for (head, relation, tail) in &required {
            let counts = self.relations.entry(relation.clone()).or_default();
            if predicted.contains_key(&(*head, relation.as_str(), *tail)) {
                counts.tp += 1;
            } else {
                counts.fn_ += 1;
                let extractor = pipeline.extractor();
                let prepared = prepared.get_or_insert_with(|| extractor.read(doc));
                let (note, rule) = match sentence_naming(prepared, *head, *tail) {
                    Some(i) => {
                        let text = prepared.sentence_text(&prepared.sentences[i]).to_string();
                        let nearest = pairs::near_misses(&pipeline.rules, prepared, i)
                            .into_iter()
                            .filter(|n| *pipeline.rules.rules()[n.rule].relation == **relation)
                            .map(|n| format!("{}: {}", pipeline.rules.rules()[n.rule].name, n.reason))
                            .next()
                            .unwrap_or_else(|| "no rule of this relation was triggered".into());
                        (text, nearest)
                    }
                    None => ("(no sentence names both)".to_string(), String::new()),
                };
                self.misses.push(Item {
                    doc: gold.doc.clone(),
                    head: name(*head),
                    relation: relation.clone(),
                    tail: name(*tail),
                    note,
                    rule,
                });
            }
        }
        for (&(head, relation, tail), r) in &predicted {
            let key = (head, relation.to_string(), tail);
            if required.contains(&key) || optional.contains(&key) {
                continue;
            }
            self.relations.entry(relation.to_string()).or_default().fp += 1;
            let mut rule = r.evidence.rule.to_string();
            if let Some(why) = negative.get(&key) {
                rule.push_str(&format!("; the gold marks it negative: {why}"));
            }
            self.false_positives.push(Item {
                doc: gold.doc.clone(),
                head: name(head),
                relation: relation.to_string(),
                tail: name(tail),
                note: r.evidence.sentence.to_string(),
                rule,
            });
        }
    }

    /// Scores the entities of one document (see [`Report::entities`]).
    fn add_entities(&mut self, dict: &Dictionary, doc: &str, gold: &[GoldEntity], extraction: &Extraction, text: &str) {
        let key = |n: &str| crate::read::text::normalize_name(n);
        // The document's graph nodes: what it mentions, and what its typed edges point to where the text names it
        // (a town named only inside its park's name; not a city the article's place lies in).
        let text = crate::read::text::NormText::new(text).text;
        let named = |id: EntityId| {
            let e = dict.entity(id);
            std::iter::once(&e.name).chain(&e.aliases).any(|n| text.contains(key(n).as_str()))
        };
        let endpoints = extraction
            .relations
            .iter()
            .filter(|r| &*r.relation != CO_OCCURS)
            .flat_map(|r| [r.head, r.tail])
            .filter(|&id| named(id));
        let mut nodes: Vec<EntityId> = extraction.mentions.iter().map(|m| m.entity).chain(endpoints).collect();
        nodes.sort_unstable();
        nodes.dedup();
        // A gold entity matches a node when one of its forms is the node's name or alias, or resolves to it.
        let forms =
            |g: &GoldEntity| -> Vec<String> { std::iter::once(&g.name).chain(&g.aliases).map(|n| key(n)).collect() };
        let matches = |g: &GoldEntity, id: EntityId| {
            let e = dict.entity(id);
            let names: Vec<String> = std::iter::once(&e.name).chain(&e.aliases).map(|n| key(n)).collect();
            forms(g).iter().any(|f| names.contains(f) || dict.lookup(f) == Some(id))
        };
        let counts = self.entities.get_or_insert_with(Counts::default);
        for &id in &nodes {
            if gold.iter().any(|g| matches(g, id)) {
                counts.tp += 1;
            } else {
                counts.fp += 1;
                let e = dict.entity(id);
                self.entity_errors.push(format!("extra entity: {} ({}, {}) [{doc}]", e.name, e.kind, e.source()));
            }
        }
        for g in gold {
            if !nodes.iter().any(|&id| matches(g, id)) {
                counts.fn_ += 1;
                self.entity_errors.push(format!("missed entity: {} [{doc}]", g.name));
            }
        }
    }

    /// Writes the report: with `errors` first every miss and false positive, then a table per relation (and a row
    /// for entities where the gold lists them), and as the last line `overall precision=P recall=R f1=F` (over the
    /// relations).
    pub fn write(&self, out: &mut dyn Write, errors: bool) -> io::Result<()> {
        if errors {
            self.write_errors(out)?;
        }
        write_table(out, &self.relations, self.entities)
    }

    /// Every miss and false positive, with its sentence and the rule that fired (or the nearest that did not).
    pub fn write_errors(&self, out: &mut dyn Write) -> io::Result<()> {
        for (title, items, label) in
            [("missed", &self.misses, "nearest rule"), ("false positive", &self.false_positives, "rule")]
        {
            for i in items {
                writeln!(out, "{title}: {} {} -> {} [{}]", i.head, i.relation, i.tail, i.doc)?;
                writeln!(out, "    {}", i.note.trim())?;
                if !i.rule.is_empty() {
                    writeln!(out, "    {label}: {}", i.rule)?;
                }
            }
        }
        for e in &self.entity_errors {
            writeln!(out, "{e}")?;
        }
        if !self.misses.is_empty() || !self.false_positives.is_empty() || !self.entity_errors.is_empty() {
            writeln!(out)?;
        }
        Ok(())
    }
}

/// A table of counts per relation, a row `entities` if they were scored, and as its last line `overall precision=P
/// recall=R f1=F` over the relations (`–` where nothing was predicted or required).
pub fn write_table(
    out: &mut dyn Write,
    relations: &BTreeMap<String, Counts>,
    entities: Option<Counts>,
) -> io::Result<()> {
    let row = |out: &mut dyn Write, label: &str, c: &Counts| {
        let (p, r, f) = (score(c.precision()), score(c.recall()), score(c.f1()));
        writeln!(out, "{label:<14} {:>4} {:>4} {:>4} {p:>9} {r:>7} {f:>7}", c.tp, c.fp, c.fn_)
    };
    writeln!(
        out,
        "{:<14} {:>4} {:>4} {:>4} {:>9} {:>7} {:>7}",
        "relation", "tp", "fp", "fn", "precision", "recall", "f1"
    )?;
    let mut all = Counts::default();
    for (relation, c) in relations {
        all += *c;
        row(out, relation, c)?;
    }
    if let Some(c) = entities {
        row(out, "(entities)", &c)?;
    }
    writeln!(out, "overall precision={} recall={} f1={}", score(all.precision()), score(all.recall()), score(all.f1()))
}

/// The first sentence that names both entities.
fn sentence_naming(doc: &Doc, a: EntityId, b: EntityId) -> Option<usize> {
    doc.sentences.iter().position(|s| {
        let names = |e: EntityId| doc.mentions_of(s).iter().any(|x| x.entity == e);
        names(a) && names(b)
    })
}

/// Evaluates documents against gold; `documents` maps document ids to the documents and their extractions.
pub fn evaluate(pipeline: &Pipeline, gold: &[GoldDoc], documents: &HashMap<String, (Document, Extraction)>) -> Report {
    let mut report = Report::default();
    for g in gold {
        match documents.get(&g.doc) {
            Some((doc, extraction)) => report.add(pipeline, g, doc, extraction),
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
        // counts, precision, recall, f1 as printed
        let table = [
            (Counts { tp: 8, fp: 2, fn_: 0 }, "0.800", "1.000", "0.889"),
            (Counts { tp: 3, fp: 0, fn_: 1 }, "1.000", "0.750", "0.857"),
            (Counts { tp: 0, fp: 0, fn_: 0 }, "–", "–", "–"),
            (Counts { tp: 0, fp: 0, fn_: 4 }, "–", "0.000", "0.000"),
            (Counts { tp: 0, fp: 2, fn_: 2 }, "0.000", "0.000", "0.000"),
        ];
        for (c, p, r, f) in table {
            assert_eq!((score(c.precision()).as_str(), score(c.recall()).as_str(), score(c.f1()).as_str()), (p, r, f));
        }
    }

    #[test]
    fn scores_required_optional_and_unannotated_relations() {
        let mut warn = |_: String| {};
        let pipeline = Pipeline::new(&Default::default(), &mut warn).unwrap();
        let text = "安全产业园落户奎文区。王斌在安丘建设苏州(安丘)科技产业园。";
        let doc = crate::model::Document::new("d", text);
        let extraction = pipeline.extractor().extract(&doc);
        let gold = read_gold(
            r#"{"doc": "d", "relations": [
                {"head": "安全产业园", "relation": "located-in", "tail": "奎文"},
                {"head": "苏州(安丘)科技产业园", "relation": "located-in", "tail": "安丘", "optional": true},
                {"head": "王斌", "relation": "leads", "tail": "安丘市"},
                {"head": "安全产业园", "relation": "located-in", "tail": "安丘", "negative": true},
                {"head": "王斌", "relation": "co-occurs", "tail": "安丘市"}]}"#
                .replace('\n', " ")
                .as_str(),
            "g.jsonl",
        )
        .unwrap();
        let mut docs = HashMap::new();
        docs.insert("d".to_string(), (doc, extraction));
        let report = evaluate(&pipeline, &gold, &docs);
        // located-in: one required and found (aliases resolve), one optional and found (not counted).
        assert_eq!(report.relations["located-in"], Counts { tp: 1, fp: 0, fn_: 0 });
        // leads: required, not found; the negative relation is not required either.
        assert_eq!(report.relations["leads"], Counts { tp: 0, fp: 0, fn_: 1 });
        // invests-in: found, not annotated.
        assert_eq!(report.relations["invests-in"], Counts { tp: 0, fp: 1, fn_: 0 });
        assert!(!report.relations.contains_key("co-occurs"));
        let mut out = Vec::new();
        report.write(&mut out, true).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("missed: 王斌 leads -> 安丘市 [d]"), "{out}");
        assert!(out.contains("nearest rule: no rule of this relation was triggered"), "{out}");
        assert!(out.contains("false positive: 王斌 invests-in -> 苏州(安丘)科技产业园 [d]"), "{out}");
        assert!(out.ends_with("overall precision=0.500 recall=0.500 f1=0.500\n"), "{out}");
    }

    #[test]
    fn malformed_gold_lines_are_errors_naming_the_line() {
        let e = read_gold("{\"doc\": \"a\", \"relations\": []}\n\nnot json\n", "g.jsonl").unwrap_err().to_string();
        assert!(e.starts_with("g.jsonl:3: "), "{e}");
    }
}

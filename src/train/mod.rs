//! Training the model (`guanxi train`): the entity tagger and the relation scorer, from annotated articles.
//!
//! 1. Every document is read under each dictionary condition it has: the built-in dictionaries, and with its set's
//!    dictionary (`GOLD.jsonl:DICT.csv`). The gold entities, projected onto the text, are the tagger's examples
//!    ([`prepare`]).
//! 2. Cross-validation by document: for each fold, a tagger trained on the other folds reads the fold's documents
//!    up to the rules, so that the scorer learns from the entities a tagger finds in text it never saw. Every
//!    candidate pair is an instance, labelled from the gold ([`label`]).
//! 3. For each fold, a scorer trained on the other folds' instances scores the fold's; each relation's threshold is
//!    the one that scores best on those held-out scores ([`thresholds`]).
//! 4. The shipped tagger learns from every document, the scorer from every instance; the thresholds are step 3's.
//!
//! The same input gives a byte-identical model: fixed seeds, folds fixed by document ids, stable order everywhere.

pub mod label;
pub mod prepare;
pub mod thresholds;

use std::collections::BTreeMap;

use crate::error::Result;
use crate::eval::{GoldDoc, SetForms};
use crate::extract::scorer::{self, stage::Instance, Scorer};
use crate::extract::tagger::{self, Tagger};
use crate::extract::trained::{Manifest, Model};
use crate::model::Document;
use crate::pipeline::Pipeline;

use prepare::{prepare, Prepared};

/// How to train.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Folds of the cross-validation that produces the scorer's instances and thresholds.
    pub folds: usize,
    /// The tagger's settings.
    pub tagger: tagger::train::Config,
    /// The scorer's settings.
    pub scorer: scorer::train::Config,
    /// Tagger spans below this confidence are not kept.
    pub tagger_threshold: f32,
    /// The held-out precisions the thresholds are raised to, if any: of pairs a dictionary lists at both ends, and
    /// of the others (see [`thresholds::choose`]).
    pub precision: Option<(f64, f64)>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            folds: 5,
            tagger: tagger::train::Config::default(),
            scorer: scorer::train::Config::default(),
            tagger_threshold: 0.2,
            precision: Some((0.80, 0.55)),
        }
    }
}

/// A trained model and how its held-out decisions scored, per dictionary condition.
pub struct Trained {
    /// The model.
    pub model: Model,
    /// The cross-validated report (at the chosen thresholds) with the built-in dictionaries only, and with the sets'
    /// dictionaries (`None` when no set has one).
    pub reports: (crate::eval::Report, Option<crate::eval::Report>),
}

/// A set of annotated documents: its gold, the forms its dictionary gives, and the pipeline that reads it with
/// that dictionary (if it has one).
pub struct TrainSet<'a> {
    /// Its name, for the model's notes.
    pub name: String,
    /// Its gold documents.
    pub gold: Vec<GoldDoc>,
    /// The forms of its dictionary (for scoring by the guidelines' conventions).
    pub forms: SetForms,
    /// The built-in dictionaries with the set's, if it has one.
    pub with_dictionary: Option<&'a Pipeline>,
}

/// One document read by a fold's tagger, with its candidates and their labels.
pub struct Read<'a> {
    /// Where it comes from.
    pub prepared: &'a Prepared<'a>,
    /// What it yields up to the rules.
    pub extraction: crate::extract::Extraction,
    /// Its candidates.
    pub instances: Vec<Instance>,
    /// Their labels (`None`: not trained on).
    pub labels: Vec<Option<bool>>,
}

/// Trains a model on the documents (`documents` by id) of the sets, every one read with the built-in
/// dictionaries (`builtin`) and, for a set with a dictionary, with it too.
pub fn train(
    builtin: &Pipeline,
    sets: &[TrainSet],
    documents: &BTreeMap<String, Document>,
    settings: &Settings,
) -> Result<Trained> {
    let prepared = prepare_all(builtin, sets, documents, settings.folds);
    let (tagger, reads) = tagger_folds(&prepared, sets, settings);
    let (mut scorer, probabilities) = scorer_folds(&reads, settings);
    let thresholds = thresholds::choose(&reads, &probabilities, sets, settings.precision);
    for (r, (listed, other)) in &thresholds {
        scorer.set_threshold(*r, *other);
        scorer.set_threshold_listed(*r, (listed != other).then_some(*listed));
    }
    let condition = |with: bool| {
        let keep: Vec<bool> = reads.iter().map(|r| r.prepared.with_dictionary == with).collect();
        let (reads, probabilities): (Vec<&Read>, Vec<&Vec<f32>>) =
            reads.iter().zip(&probabilities).zip(&keep).filter(|(_, k)| **k).map(|(x, _)| x).unzip();
        (!reads.is_empty())
            .then(|| thresholds::score_refs(&reads, &probabilities, sets, &|r, l| thresholds::pick(&thresholds, r, l)))
    };
    let reports = (condition(false).unwrap_or_default(), condition(true));
    let thresholds_note = match settings.precision {
        Some((listed, other)) => format!(
            "cross-validated: the best F1 of each relation, raised to a held-out precision of {listed} for pairs a \
             dictionary lists at both ends and {other} for the others"
        ),
        None => "cross-validated: the best F1 of each relation".to_string(),
    };
    let training = BTreeMap::from([
        ("documents".to_string(), documents.len().to_string()),
        ("sets".to_string(), sets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")),
        ("conditions".to_string(), prepared.len().to_string()),
        ("folds".to_string(), settings.folds.to_string()),
        ("thresholds".to_string(), thresholds_note),
    ]);
    let model = Model {
        manifest: Manifest::new(settings.tagger_threshold, training),
        tagger: Tagger::new(tagger),
        scorer: Scorer::new(scorer),
        origin: "trained".into(),
    };
    Ok(Trained { model, reports })
}

/// Every document under each of its conditions, in a stable order (set, then gold order).
fn prepare_all<'a>(
    builtin: &'a Pipeline,
    sets: &'a [TrainSet],
    documents: &'a BTreeMap<String, Document>,
    folds: usize,
) -> Vec<Prepared<'a>> {
    let mut out = Vec::new();
    let fold_of = prepare::balanced_folds(documents.keys().map(String::as_str), folds);
    for (i, set) in sets.iter().enumerate() {
        for gold in &set.gold {
            let Some(doc) = documents.get(&gold.doc) else { continue };
            let fold = fold_of[gold.doc.as_str()];
            out.push(prepare(builtin, (doc, gold, i), (fold, false)));
            if let Some(pipeline) = set.with_dictionary {
                out.push(prepare(pipeline, (doc, gold, i), (fold, true)));
            }
        }
    }
    out
}

/// The shipped tagger, trained on every example; and every document read by the tagger of the folds that did not
/// train on it.
fn tagger_folds<'a>(
    prepared: &'a [Prepared<'a>],
    sets: &[TrainSet],
    settings: &Settings,
) -> (tagger::Model, Vec<Read<'a>>) {
    let mut reads: Vec<Option<Read>> = (0..prepared.len()).map(|_| None).collect();
    for fold in 0..settings.folds {
        let examples: Vec<_> = prepared
            .iter()
            .filter(|p| p.fold != fold && tagger_learns(p))
            .flat_map(|p| p.examples.iter().cloned())
            .collect();
        if examples.is_empty() {
            continue;
        }
        let model = held_out_model(tagger::train::train(&examples, &settings.tagger), settings);
        for (i, p) in prepared.iter().enumerate().filter(|(_, p)| p.fold == fold) {
            reads[i] = Some(read(p, &model, &sets[p.set].forms));
        }
    }
    let all: Vec<_> = prepared.iter().filter(|p| tagger_learns(p)).flat_map(|p| p.examples.iter().cloned()).collect();
    (tagger::train::train(&all, &settings.tagger), reads.into_iter().flatten().collect())
}

/// Whether the tagger learns from a document read this way: from both readings. Learning only from the reading
/// with the built-in dictionaries (so that a set's own dictionary, which lists every name, would not teach it to
/// trust hints blindly) was measured and lost entity F1 with dictionaries without gaining it without; the hints are
/// dropped at random in training either way.
fn tagger_learns(_: &Prepared) -> bool {
    true
}

/// A model with a fold's tagger, to read held-out documents up to the rules (its scorer is never used).
fn held_out_model(tagger: tagger::Model, settings: &Settings) -> Model {
    Model {
        manifest: Manifest::new(settings.tagger_threshold, BTreeMap::new()),
        tagger: Tagger::new(tagger),
        scorer: Scorer::new(scorer::Model::default()),
        origin: "fold".into(),
    }
}

/// A held-out document read up to the rules by a fold's model, with its labelled candidates.
fn read<'a>(p: &'a Prepared<'a>, model: &Model, forms: &SetForms) -> Read<'a> {
    let extractor = p.pipeline.extractor().with_model(Some(model));
    let mut doc = extractor.read_to_rules(p.doc);
    let instances = scorer::stage::instances(&p.pipeline.matcher, &mut doc);
    let sentences: Vec<String> = doc.sentences.iter().map(|s| doc.sentence_text(s).to_string()).collect();
    let labels = label::labels(&doc.dict, p.gold, forms, &sentences, &instances);
    let extraction =
        crate::extract::Extraction { discovered: doc.discovered, mentions: doc.mentions, relations: Vec::new() };
    Read { prepared: p, extraction, instances, labels }
}

/// The shipped scorer, trained on every labelled instance, and each instance's probability by the scorer of the
/// folds that did not train on it.
fn scorer_folds(reads: &[Read], settings: &Settings) -> (scorer::Model, Vec<Vec<f32>>) {
    let examples = |keep: &dyn Fn(&Read) -> bool| -> Vec<scorer::train::Example> {
        reads
            .iter()
            .filter(|r| keep(r))
            .flat_map(|r| r.instances.iter().zip(&r.labels))
            .filter_map(|(i, l)| {
                l.map(|label| scorer::train::Example { relation: i.relation, names: i.names.clone(), label })
            })
            .collect()
    };
    let mut probabilities: Vec<Vec<f32>> = reads.iter().map(|r| vec![0.0; r.instances.len()]).collect();
    for fold in 0..settings.folds {
        let model = scorer::train::train(&examples(&|r| r.prepared.fold != fold), &settings.scorer);
        for (r, probs) in reads.iter().zip(probabilities.iter_mut()).filter(|(r, _)| r.prepared.fold == fold) {
            for (i, p) in r.instances.iter().zip(probs.iter_mut()) {
                let keys: Vec<u64> = i.names.iter().map(|n| scorer::features::key_of_name(n)).collect();
                *p = model.probability(i.relation, &keys);
            }
        }
    }
    (scorer::train::train(&examples(&|_| true), &settings.scorer), probabilities)
}

/// K-fold cross-validation by document (`guanxi eval --cv K`): for each fold, a model trained on the other folds
/// ([`train`], with its own inner cross-validation) reads the fold's documents, under each dictionary condition.
/// The reports count every fold's documents: with the built-in dictionaries only, and with the sets' dictionaries.
pub fn cross_validate(
    builtin: &Pipeline,
    sets: &[TrainSet],
    documents: &BTreeMap<String, Document>,
    settings: &Settings,
    k: usize,
) -> Result<(crate::eval::Report, Option<crate::eval::Report>)> {
    if documents.len() < k.max(2) {
        return Err(crate::error::Error::Usage(format!(
            "{k}-fold cross-validation needs at least {} documents with gold, and there are {}",
            k.max(2),
            documents.len()
        )));
    }
    let folds = prepare::balanced_folds(documents.keys().map(String::as_str), k);
    let mut reports = (crate::eval::Report { counts_only: true, ..Default::default() }, None);
    for fold in 0..k {
        let (train_on, held_out): (BTreeMap<String, Document>, BTreeMap<String, Document>) =
            documents.iter().map(|(id, d)| (id.clone(), d.clone())).partition(|(id, _)| folds[id.as_str()] != fold);
        let model = train(builtin, sets, &train_on, settings)?.model;
        for set in sets {
            for gold in &set.gold {
                let Some(doc) = held_out.get(&gold.doc) else { continue };
                let extraction = builtin.extractor().with_model(Some(&model)).extract(doc);
                reports.0.add(builtin, (gold, &set.forms), doc, &extraction);
                if let Some(with) = set.with_dictionary {
                    let extraction = with.extractor().with_model(Some(&model)).extract(doc);
                    let report = reports
                        .1
                        .get_or_insert_with(|| crate::eval::Report { counts_only: true, ..Default::default() });
                    report.add(with, (gold, &set.forms), doc, &extraction);
                }
            }
        }
    }
    Ok(reports)
}

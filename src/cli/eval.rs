//! `guanxi eval`: typed relations found in annotated texts, scored against their gold relations.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use guanxi::query::print::count;
use guanxi::read::input;
use guanxi::Pipeline;

use super::args::{DictArgs, InputArgs};
use super::{stdout, warnings};

#[derive(Args)]
pub struct EvalArgs {
    /// A gold file (repeatable): JSON Lines, one {"doc", "relations": [{"head", "relation", "tail", "optional"?,
    /// "negative"?}]} per document. GOLD.jsonl:DICT.csv scores that set with its own dictionary added.
    #[arg(long, value_name = "FILE[:DICT]", required = true)]
    gold: Vec<String>,
    /// The annotated documents: files, directories (recursively) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    dict: DictArgs,
    /// List every miss and every false positive with its sentence and the rule that fired (or the nearest rule
    /// that did not).
    #[arg(long, short = 'v', visible_alias = "verbose", conflicts_with = "cv")]
    errors: bool,
    /// K-fold cross-validation by document: for each fold, train a model on the others (as `guanxi train` does)
    /// and score the fold with it, with the built-in dictionaries only and with each set's own dictionary.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(2..=20))]
    cv: Option<u64>,
    /// With --cv: leave this document out (repeatable), e.g. a held-out split.
    #[arg(long, value_name = "ID", requires = "cv")]
    exclude: Vec<String>,
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    if let Some(k) = args.cv {
        return cross_validate(&args, k as usize);
    }
    let mut warn = warnings(false);
    let (sources, walk_warnings) = input::expand(&args.inputs, args.input.follow);
    for w in walk_warnings {
        warn(w);
    }
    let mut out = stdout::human();
    let mut total: std::collections::BTreeMap<String, guanxi::eval::Counts> = Default::default();
    let mut total_entities: Option<guanxi::eval::Counts> = None;
    let mut total_types: std::collections::BTreeMap<String, guanxi::eval::Counts> = Default::default();
    for spec in &args.gold {
        let (gold_path, set_dict) = guanxi::eval::split_spec(spec);
        let gold_text =
            std::fs::read_to_string(&gold_path).with_context(|| format!("reading {}", gold_path.display()))?;
        let gold = guanxi::eval::read_gold(&gold_text, &gold_path.display().to_string())?;
        let mut options = args.dict.options();
        options.dicts.extend(set_dict.clone());
        let mut pipeline = Pipeline::new(&options, &mut warn).context("loading dictionaries and rules")?;
        pipeline.read_options = args.input.options()?;
        let wanted: std::collections::HashSet<&str> = gold.iter().map(|g| g.doc.as_str()).collect();
        let mut documents = std::collections::HashMap::new();
        pipeline.for_each_document(&sources, &mut warn, &mut |doc, extraction| {
            if wanted.contains(doc.id.as_str()) {
                documents.insert(doc.id.clone(), (doc, extraction));
            }
        })?;
        if documents.is_empty() {
            let inputs: Vec<String> = args.inputs.iter().map(|p| p.display().to_string()).collect();
            anyhow::bail!(
                "the inputs ({}) share no document with the gold file {}: nothing to score",
                inputs.join(", "),
                gold_path.display()
            );
        }
        let set = guanxi::eval::SetForms::of_set(&gold_path, set_dict.as_deref())?;
        let report = guanxi::eval::evaluate(&pipeline, (&gold, &set), &documents);
        for w in report.warnings.iter().filter(|w| !w.ends_with("not in the gold file; not scored")) {
            warn(w.clone());
        }
        if args.gold.len() > 1 {
            let dict = set_dict.map(|d| format!(" with {}", d.display())).unwrap_or_default();
            writeln!(out, "set {} ({}){dict}", gold_path.display(), count(documents.len(), "document"))?;
        }
        report.write(&mut out, args.errors)?;
        if let Some(e) = report.entities {
            *total_entities.get_or_insert_with(Default::default) += e;
        }
        for (relation, counts) in &report.relations {
            *total.entry(relation.clone()).or_default() += *counts;
        }
        for (kind, counts) in &report.entity_types {
            *total_types.entry(kind.clone()).or_default() += *counts;
        }
        if args.gold.len() > 1 {
            writeln!(out)?;
        }
    }
    if args.gold.len() > 1 {
        writeln!(out, "all sets")?;
        guanxi::eval::write_table(&mut out, &total, total_entities, &total_types)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `eval --cv K`.
fn cross_validate(args: &EvalArgs, k: usize) -> anyhow::Result<ExitCode> {
    let mut warn = warnings(false);
    let material =
        super::train::Material::load(&args.gold, &args.inputs, &args.exclude, (&args.input, &args.dict), &mut warn)?;
    let sets = material.sets();
    let settings = guanxi::train::Settings::default();
    let reports = guanxi::train::cross_validate(&material.builtin, &sets, &material.documents, &settings, k)?;
    let mut out = stdout::human();
    let what = format!("{k}-fold cross-validation by document ({})", count(material.documents.len(), "document"));
    super::train::write_reports(&mut out, &what, &reports)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

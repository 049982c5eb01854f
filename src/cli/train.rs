//! `guanxi train`: the entity tagger and the relation scorer, trained on annotated articles, written as a model
//! folder; and `guanxi model info`, what a model holds.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use std::collections::BTreeSet;

use guanxi::eval::{GoldDoc, Report, SetForms};
use guanxi::extract::trained::Model;
use guanxi::model::Document;
use guanxi::pipeline::ModelChoice;
use guanxi::read::input;
use guanxi::train::{Settings, TrainSet};
use guanxi::Pipeline;

use super::args::{DictArgs, InputArgs};
use super::{stdout, warnings};

#[derive(Args)]
pub struct TrainArgs {
    /// A gold file (repeatable): JSON Lines as `guanxi eval` reads them. GOLD.jsonl:DICT.csv also reads that set
    /// with its own dictionary, so that the model learns both with and without a dictionary that lists every name.
    #[arg(long, value_name = "FILE[:DICT]", required = true)]
    gold: Vec<String>,
    /// The annotated documents: files or directories. Default: for each gold file ROOT/gold/NAME.jsonl, the texts
    /// in ROOT/corpus/NAME/.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Leave this document out (repeatable: its id, the file name), e.g. a held-out split.
    #[arg(long, value_name = "ID")]
    exclude: Vec<String>,
    /// The model folder to write (model.json, tagger.gxt, scorer.json); an existing one is replaced only when
    /// training succeeds.
    #[arg(short = 'o', long = "output", value_name = "DIR", required = true)]
    output: PathBuf,
    /// Folds of the cross-validation that gives the scorer its examples and thresholds.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..=20))]
    folds: u64,
    /// Raise the thresholds of pairs a dictionary lists at both ends (each first set at its best held-out F1)
    /// together until their held-out precision reaches this (0 to 1; 0 keeps the best-F1 thresholds).
    #[arg(long, value_name = "P", default_value_t = 0.80)]
    precision: f64,
    /// The same for the other pairs (an end the tagger found).
    #[arg(long, value_name = "P", default_value_t = 0.55)]
    precision_other: f64,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    dict: DictArgs,
    /// Print no warnings.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let mut warn = warnings(args.quiet);
    let material = Material::load(&args.gold, &args.inputs, &args.exclude, (&args.input, &args.dict), &mut warn)?;
    let settings = Settings {
        folds: args.folds as usize,
        precision: Some((args.precision, args.precision_other)),
        ..Settings::default()
    };
    let sets = material.sets();
    let trained = guanxi::train::train(&material.builtin, &sets, &material.documents, &settings)?;
    save(&trained.model, &args.output)?;
    let mut out = stdout::human();
    write_reports(&mut out, &format!("held out ({}-fold cross-validation)", args.folds), &trained.reports)?;
    writeln!(
        out,
        "\ntrained on {} documents in {:.1}s; model written to {}",
        material.documents.len(),
        started.elapsed().as_secs_f64(),
        args.output.display()
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the two reports of a cross-validation: built-in dictionaries only, then with the sets' (its last line
/// is then the overall figures with the sets' dictionaries).
pub fn write_reports(
    out: &mut dyn Write,
    what: &str,
    (builtin, with): &(Report, Option<Report>),
) -> anyhow::Result<()> {
    writeln!(out, "{what}, built-in dictionaries only:")?;
    builtin.write(out, false)?;
    if let Some(report) = with {
        writeln!(out, "\n{what}, with the sets' dictionaries:")?;
        report.write(out, false)?;
    }
    Ok(())
}

/// The annotated material: the gold sets, a pipeline for each set with a dictionary, and the documents.
pub struct Material {
    /// The built-in dictionaries (and any `--dict`), without a model.
    pub builtin: Pipeline,
    golds: Vec<(PathBuf, Vec<GoldDoc>, SetForms)>,
    pipelines: Vec<Option<Pipeline>>,
    /// The documents the gold files annotate, by id.
    pub documents: BTreeMap<String, Document>,
}

impl Material {
    /// Reads the gold files (`GOLD.jsonl[:DICT.csv]`), loads a pipeline per set dictionary and reads the documents
    /// (from `inputs`, or beside the gold files), leaving out the excluded ids.
    pub fn load(
        specs: &[String],
        inputs: &[PathBuf],
        exclude: &[String],
        (input, dict): (&InputArgs, &DictArgs),
        warn: &mut dyn FnMut(String),
    ) -> anyhow::Result<Material> {
        let mut options = dict.options();
        options.model = ModelChoice::None;
        let builtin = Pipeline::new(&options, warn).context("loading dictionaries and rules")?;
        let (mut golds, mut pipelines, mut inputs) = (Vec::new(), Vec::new(), inputs.to_vec());
        let beside = inputs.is_empty();
        for spec in specs {
            let (path, set_dict) = guanxi::eval::split_spec(spec);
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let gold = guanxi::eval::read_gold(&text, &path.display().to_string())?;
            let forms = SetForms::of_set(&path, set_dict.as_deref())?;
            let with = match &set_dict {
                Some(d) => {
                    let mut o = options.clone();
                    o.dicts.push(d.clone());
                    Some(Pipeline::new(&o, warn).with_context(|| format!("loading {}", d.display()))?)
                }
                None => None,
            };
            if beside {
                inputs.extend(guanxi::eval::corpus_beside(&path));
            }
            golds.push((path, gold, forms));
            pipelines.push(with);
        }
        let documents = read_documents(&inputs, exclude, input, &golds, warn)?;
        Ok(Material { builtin, golds, pipelines, documents })
    }

    /// The sets, as training reads them.
    pub fn sets(&self) -> Vec<TrainSet<'_>> {
        self.golds
            .iter()
            .zip(&self.pipelines)
            .map(|((path, gold, forms), with)| TrainSet {
                name: name_of(path),
                gold: gold.clone(),
                forms: forms.clone(),
                with_dictionary: with.as_ref(),
            })
            .collect()
    }
}

/// A gold file's name without its folder and extension (`train-wf`).
fn name_of(path: &Path) -> String {
    path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

/// The documents the gold files annotate, by id, without the excluded ones.
fn read_documents(
    inputs: &[PathBuf],
    exclude: &[String],
    input: &InputArgs,
    golds: &[(PathBuf, Vec<GoldDoc>, SetForms)],
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<BTreeMap<String, Document>> {
    let wanted: BTreeSet<&str> = golds.iter().flat_map(|(_, g, _)| g.iter().map(|d| d.doc.as_str())).collect();
    let (sources, walk_warnings) = input::expand(inputs, input.follow);
    walk_warnings.into_iter().for_each(&mut *warn);
    let options = input.options()?;
    let mut documents = BTreeMap::new();
    for source in &sources {
        let mut keep = |doc: Document| {
            if wanted.contains(doc.id.as_str()) && !exclude.contains(&doc.id) {
                documents.insert(doc.id.clone(), doc);
            }
        };
        input::read(source, &options, &mut keep, &mut *warn)?;
    }
    anyhow::ensure!(!documents.is_empty(), "the inputs hold no document the gold files annotate: nothing to train on");
    Ok(documents)
}

/// Writes the model beside the folder, then puts it in the folder's place: an earlier model there is replaced only
/// once the new one is whole.
fn save(model: &Model, dir: &Path) -> anyhow::Result<()> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = tempfile::Builder::new().prefix(".guanxi-model-").tempdir_in(parent)?;
    model.save(staging.path())?;
    let old = tempfile::Builder::new().prefix(".guanxi-model-old-").tempdir_in(parent)?;
    let aside = old.path().join("model");
    if dir.is_dir() {
        std::fs::rename(dir, &aside).with_context(|| format!("moving {} aside", dir.display()))?;
    } else if dir.exists() {
        anyhow::bail!("{} exists and is not a folder", dir.display());
    }
    if let Err(e) = std::fs::rename(staging.path(), dir) {
        if aside.exists() {
            std::fs::rename(&aside, dir).with_context(|| format!("restoring {}", dir.display()))?;
        }
        return Err(e).with_context(|| format!("writing {}", dir.display()));
    }
    let _ = staging.keep();
    Ok(())
}

#[derive(Args)]
pub struct ModelArgs {
    /// What to do: `info` prints what a model holds.
    #[arg(value_parser = ["info"])]
    action: String,
    /// The model folder (default: the model built into the binary).
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// How many of the strongest features to list per label and relation.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

/// `guanxi model info [DIR]`.
pub fn model(args: ModelArgs) -> anyhow::Result<ExitCode> {
    let model = match &args.dir {
        Some(dir) => Model::load(dir)?,
        None => Model::builtin()?,
    };
    let mut out = stdout::human();
    guanxi::extract::trained::describe(&model, args.top, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

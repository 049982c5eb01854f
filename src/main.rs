//! The `guanxi` command: parses arguments, runs the library, maps outcomes to exit codes
//! (0 success, 1 nothing found, 2 error).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use guanxi::export::{self, Format};
use guanxi::input;
use guanxi::{Options, Pipeline};

#[derive(Parser)]
#[command(name = "guanxi", version, about = "Turn Chinese economic news into a typed knowledge graph")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a graph from news texts and export it.
    Build(BuildArgs),
    /// Score the typed relations found in texts against hand-annotated gold relations.
    Eval(EvalArgs),
    /// Show, sentence by sentence, every candidate mention (kept or rejected, and why), every edge with its rule,
    /// and why rules whose trigger words occur made no edge.
    Explain(ExplainArgs),
}

#[derive(Args)]
struct DictArgs {
    /// A dictionary CSV file or a directory of them (repeatable); added to the built-in dictionaries.
    #[arg(long = "dict", value_name = "PATH")]
    dicts: Vec<PathBuf>,
    /// Leave the built-in dictionaries out.
    #[arg(long)]
    no_default_dict: bool,
    /// A rules file (TOML) that replaces the built-in rules.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
}

#[derive(Args)]
struct BuildArgs {
    /// Input files, directories (searched recursively for *.txt) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output file (repeatable); the extension picks the format: .graphml, .dot/.gv, .json.
    #[arg(short = 'o', long = "output", required = true, value_name = "OUT")]
    outputs: Vec<PathBuf>,
    #[command(flatten)]
    dict: DictArgs,
    /// Print no warnings and no summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct EvalArgs {
    /// The gold file: JSON Lines, one {"doc", "relations": [{"head", "relation", "tail", "optional"?}]} per document.
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// The annotated documents: files, directories (*.txt, recursively) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    dict: DictArgs,
    /// List every miss and every false positive with its sentence.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Args)]
struct ExplainArgs {
    /// The document to explain (a file, or - for standard input).
    #[arg(value_name = "INPUT", required_unless_present = "text", conflicts_with = "text")]
    input: Option<PathBuf>,
    /// Explain this text instead of a file.
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Only show sentences containing this text.
    #[arg(long, value_name = "TEXT")]
    grep: Option<String>,
    #[command(flatten)]
    dict: DictArgs,
}

impl DictArgs {
    fn options(&self) -> Options {
        Options { dicts: self.dicts.clone(), no_default_dict: self.no_default_dict, rules: self.rules.clone() }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Eval(args) => eval(args),
        Command::Explain(args) => explain(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("guanxi: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let quiet = args.quiet;
    let mut warn = |w: String| {
        if !quiet {
            eprintln!("guanxi: warning: {w}");
        }
    };
    // Check every output before any work, so a typo costs nothing.
    for out in &args.outputs {
        Format::from_path(out)?;
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            anyhow::ensure!(dir.is_dir(), "{}: directory {} does not exist", out.display(), dir.display());
        }
    }
    let pipeline = Pipeline::new(&args.dict.options(), &mut warn).context("loading dictionaries and rules")?;
    let (sources, walk_warnings) = input::expand(&args.inputs);
    for w in walk_warnings {
        warn(w);
    }
    let (graph, summary) = pipeline.build(&sources, &mut warn)?;
    for out in &args.outputs {
        export::write_file(&graph, out).with_context(|| format!("writing {}", out.display()))?;
    }
    if !quiet {
        let relations: Vec<String> = graph.relation_counts().iter().map(|(r, n)| format!("{r} {n}")).collect();
        eprintln!(
            "guanxi: {} documents ({} skipped), {} mentions, {} entities, {} edges ({}) in {:.2}s",
            summary.documents,
            summary.skipped,
            summary.mentions,
            graph.node_count(),
            graph.edge_count(),
            if relations.is_empty() { "none".to_string() } else { relations.join(", ") },
            started.elapsed().as_secs_f64()
        );
    }
    if graph.node_count() == 0 {
        warn(format!("no dictionary entity was found in {} documents", summary.documents));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let mut warn = |w: String| eprintln!("guanxi: warning: {w}");
    let gold_text = std::fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let gold = guanxi::eval::read_gold(&gold_text, &args.gold.display().to_string())?;
    let pipeline = Pipeline::new(&args.dict.options(), &mut warn).context("loading dictionaries and rules")?;
    let (sources, walk_warnings) = input::expand(&args.inputs);
    for w in walk_warnings {
        warn(w);
    }
    let mut documents = std::collections::HashMap::new();
    pipeline.for_each_document(&sources, &mut warn, &mut |doc, extraction| {
        documents.insert(doc.id, extraction);
    })?;
    let report = guanxi::eval::evaluate(&pipeline, &gold, &documents);
    for w in &report.warnings {
        warn(w.clone());
    }
    let stdout = std::io::stdout();
    report.write(&mut stdout.lock(), args.verbose)?;
    Ok(ExitCode::SUCCESS)
}

fn explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let mut warn = |w: String| eprintln!("guanxi: warning: {w}");
    let pipeline = Pipeline::new(&args.dict.options(), &mut warn).context("loading dictionaries and rules")?;
    let doc = match (&args.text, &args.input) {
        (Some(text), _) => guanxi::model::Document { id: "text".into(), text: text.clone() },
        (None, Some(path)) => {
            let source = if path.as_os_str() == "-" { input::Source::Stdin } else { input::Source::File(path.clone()) };
            let (doc, warning) = input::read(&source)?;
            if let Some(w) = warning {
                warn(w);
            }
            doc
        }
        (None, None) => anyhow::bail!("give a file to explain, or --text"),
    };
    let explanation = guanxi::explain::explain(&pipeline.dict, &pipeline.matcher, &pipeline.rules, &doc);
    let stdout = std::io::stdout();
    explanation.write(&pipeline.dict, &mut stdout.lock(), args.grep.as_deref())?;
    let found =
        explanation.notes.iter().any(|n| n.candidates.iter().any(|c| c.status == guanxi::explain::Status::Kept));
    Ok(if found { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

//! `guanxi build`: read news texts, build the graph (or add them to a graph built before) and export it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use guanxi::export::{self, Format};
use guanxi::pipeline::Summary;
use guanxi::query::print::count;
use guanxi::read::input;
use guanxi::Pipeline;

use super::args::{ConfidenceArg, DateArgs, DictArgs, InputArgs};
use super::{load, outputs, progress, warnings};

#[derive(Args)]
pub struct BuildArgs {
    /// Input files (.txt, .jsonl, .html), directories (searched recursively for them) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Output file (repeatable); the extension picks the format: .json, .graphml, .gexf, .dot/.gv, .html (a page for
    /// any browser), .csv (a table of edges), or a directory ending in .neo4j for Neo4j's bulk importer.
    #[arg(short = 'o', long = "output", required_unless_present = "update", value_name = "OUT")]
    outputs: Vec<PathBuf>,
    /// Add the inputs to this graph (written by `build -o GRAPH.json`) and write it back, with the same result as
    /// building everything at once; any -o outputs are written from the updated graph too.
    #[arg(long, value_name = "GRAPH.json")]
    update: Option<PathBuf>,
    /// Add the dictionaries' parents as located-in edges (rule dictionary-parent), up to the province, so that a
    /// graph can be asked for everything under a place. Not with --update: build anew.
    #[arg(long, conflicts_with = "update")]
    hierarchy: bool,
    /// DOT output keeps only the N most connected entities (default 200).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Memory for relations waiting to be folded into edges, in MiB (0 to 4096); beyond it they are sorted into
    /// temporary files (in TMPDIR), so memory stays flat however large the input. The output does not depend on it.
    #[arg(long, value_name = "MIB", default_value_t = guanxi::graph::spool::DEFAULT_BUDGET >> 20,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=4096))]
    edge_memory: usize,
    /// Worker threads, at most 1024; 0, the default, means one per core. The output is the same for any number.
    #[arg(short = 'j', long = "threads", value_name = "N", default_value_t = 0, hide_default_value = true,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1024))]
    threads: usize,
    #[command(flatten)]
    dict: DictArgs,
    /// Print no warnings and no summary.
    #[arg(short, long)]
    quiet: bool,
    /// Stop with an error at the first input that cannot be read or decoded, instead of skipping it.
    #[arg(long)]
    strict: bool,
    /// Write only edges of these relations to the -o outputs (comma-separated or repeated), e.g.
    /// `--relations leads,located-in,invests-in` to leave co-occurrence out. The --update graph keeps every edge.
    #[arg(long, value_name = "R,R…", value_delimiter = ',')]
    relations: Vec<String>,
    /// Write only edges of at least this weight (sentences) to the -o outputs.
    #[arg(long, value_name = "N", default_value_t = 0)]
    min_weight: u64,
    #[command(flatten)]
    confidence: ConfidenceArg,
    /// Leave out of the -o outputs the entities that have no edge there.
    #[arg(long)]
    drop_isolated: bool,
    #[command(flatten)]
    dates: DateArgs,
}

pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let mut warn = warnings(args.quiet);
    let outputs = outputs_with_update(&args);
    outputs::check(&outputs)?;
    let (sources, walk_warnings) = input::expand(&args.inputs, args.input.follow);
    outputs::refuse_inputs(&sources, &outputs, args.update.as_ref())?;
    let mut graph = open_graph(&args)?;
    let pipeline = prepare_pipeline(&args, &graph, &mut warn)?;
    for w in walk_warnings {
        warn(w);
    }
    let summary = read_documents(&pipeline, &sources, &mut graph, args.quiet, &mut warn)?;
    let stopped = pipeline.dict.stop_list().report();
    if args.hierarchy {
        guanxi::graph::hierarchy::add(&mut graph, &pipeline.dict);
    }
    // The dictionaries and the automaton are no longer needed: give their memory to the writing.
    drop(pipeline);
    graph.finish().context("folding the edges")?;
    write_graph(&graph, &args, &outputs, &mut warn)?;
    if !args.quiet {
        say!("guanxi: {}", summary_line(&summary, &graph, args.update.is_some(), started));
        for line in stopped {
            say!("guanxi: {line}");
        }
    }
    if graph.node_count() == 0 {
        warn(format!("no dictionary entity was found in {}", count(summary.documents, "document")));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The outputs to write: the -o outputs, after the `--update` graph unless it is among them.
fn outputs_with_update(args: &BuildArgs) -> Vec<PathBuf> {
    let mut outputs = args.outputs.clone();
    if let Some(graph) = &args.update {
        if !outputs.contains(graph) {
            outputs.insert(0, graph.clone());
        }
    }
    outputs
}

/// The graph the documents go into: the `--update` graph as read, or an empty one; either folds its edges within
/// `--edge-memory`.
fn open_graph(args: &BuildArgs) -> anyhow::Result<guanxi::Graph> {
    let budget = args.edge_memory << 20;
    let Some(path) = &args.update else { return Ok(guanxi::Graph::spooled(budget)) };
    anyhow::ensure!(
        Format::from_path(path)? == Format::Json,
        "--update {}: the graph to update must be a .json graph",
        path.display()
    );
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(export::json::read(file, &path.display().to_string())?.into_spooled(budget))
}

/// Loads the dictionaries and rules, checks the relations `--relations` names against them and the graph, and sets
/// how documents are read: encoding, dates, threads, strictness, and the documents the graph already holds.
fn prepare_pipeline(args: &BuildArgs, graph: &guanxi::Graph, warn: &mut dyn FnMut(String)) -> anyhow::Result<Pipeline> {
    let mut pipeline = load::pipeline(&args.dict, warn)?;
    let relations =
        guanxi::query::known_relations(graph, pipeline.rules.rules().iter().map(|r| r.relation.to_string()));
    guanxi::query::check_values("relation", &args.relations, &relations).map_err(anyhow::Error::msg)?;
    args.input.check_place(&pipeline.dict)?;
    pipeline.read_options = args.input.options()?;
    pipeline.dates = args.dates.range()?;
    pipeline.known_ids = graph.documents().iter().map(|d| d.id.clone()).collect();
    pipeline.threads = args.threads;
    pipeline.strict = args.strict;
    Ok(pipeline)
}

/// Reads every document into the graph, with a progress bar for a large input.
fn read_documents(
    pipeline: &Pipeline,
    sources: &[input::Source],
    graph: &mut guanxi::Graph,
    quiet: bool,
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<Summary> {
    let bar = progress::bar(sources, quiet);
    let summary = pipeline.for_each_document_with_progress(
        sources,
        &mut |w| bar.suspend(|| warn(w)),
        &mut |doc, extraction| graph.add_document(doc.info(), &pipeline.dict, &extraction),
        &mut |source| {
            if let input::Source::File(path) = source {
                bar.inc(std::fs::metadata(path).map_or(0, |m| m.len()));
            }
        },
    )?;
    bar.finish();
    Ok(summary)
}

/// Writes the outputs: the `--update` graph whole, the -o outputs under the filters; says what the filters left.
fn write_graph(
    graph: &guanxi::Graph,
    args: &BuildArgs,
    outputs: &[PathBuf],
    warn: &mut (dyn FnMut(String) + Send),
) -> anyhow::Result<()> {
    // The same filter the query commands follow, with every date.
    let filter = guanxi::query::EdgeFilter {
        relations: args.relations.clone(),
        min_weight: args.min_weight,
        min_confidence: args.confidence.min_confidence,
        ..Default::default()
    };
    let filtered = outputs::filtered(graph, &filter, args.drop_isolated)?;
    // Writing is parallel too (JSON lines are serialised in chunks): with the same number of threads.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads).build()?;
    let shown = |out: &Path| match (&filtered, &args.update) {
        (Some(f), update) if update.as_deref() != Some(out) => f,
        _ => graph,
    };
    pool.install(|| outputs::write(&shown, outputs, args.top, warn))?;
    if let (Some(f), false) = (&filtered, args.quiet) {
        say!("guanxi: {}", outputs::filtered_summary(f));
    }
    Ok(())
}

/// What a build says it did: documents read (added, when updating), skipped and out of range; mentions; then the
/// graph.
fn summary_line(summary: &Summary, graph: &guanxi::Graph, update: bool, started: std::time::Instant) -> String {
    let (documents, skipped, mentions) = (summary.documents, summary.skipped, summary.mentions);
    let documents = if update {
        format!("{} added ({} already in the graph, {skipped} skipped)", count(documents, "document"), summary.known)
    } else {
        format!("{} ({skipped} skipped)", count(documents, "document"))
    };
    let documents = match summary.out_of_range {
        0 => documents,
        n => format!("{documents}, {n} outside --since/--until or undated"),
    };
    format!("{documents}, {}, {}", count(mentions, "mention"), outputs::graph_summary(graph, started))
}

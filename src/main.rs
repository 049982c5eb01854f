//! The `guanxi` command: parses arguments, runs the library, maps outcomes to exit codes
//! (0 success, 1 nothing found, 2 error).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use guanxi::export::{self, Format};
use guanxi::query::print::count;
use guanxi::read::input;
use guanxi::{Options, Pipeline};

/// mimalloc: the build allocates and frees millions of small strings on several threads, where it is much faster
/// than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `eprintln!` that never panics (a closed or full standard error, `2>/dev/full`, loses the message, not the run)
/// and never passes on terminal controls from file names, ids or text.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{}", guanxi::query::print::printable(&format!($($arg)*)));
    }};
}

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
    /// List the entities connected to one entity, up to a depth.
    Neighbors(NeighborsArgs),
    /// Show the shortest paths between two entities, with each hop's relation and evidence.
    Path(PathArgs),
    /// Show everything the graph knows about one entity.
    Show(ShowArgs),
    /// List an entity's dated evidence in order: who led what, what was located or invested where, and when.
    Timeline(TimelineArgs),
    /// Count entities and edges, and list the most connected entities.
    Stats(StatsArgs),
    /// Export the neighbourhood (ego network) of one entity, in any export format.
    Subgraph(SubgraphArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff; `guanxi man build | man -l -` shows it), or write them all with --dir.
    Man {
        /// The subcommand whose page to print (default: the page of guanxi itself).
        command: Option<String>,
        /// Write guanxi.1 and a page for every subcommand (guanxi-build.1 …) into this directory.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
    },
    /// Propose dictionary entries for names in the texts that no dictionary holds, as dictionary CSV.
    Suggest(SuggestArgs),
    /// Extract documents (JSON Lines on standard input by default) and write one JSON line of results per document
    /// on standard output: the map step of a distributed build.
    Extract(ExtractArgs),
    /// Merge the results of `extract` (files, or standard input) into a graph and export it, exactly as `build`
    /// would have.
    Merge(MergeArgs),
}

#[derive(Args)]
struct ExtractArgs {
    /// Inputs (files, directories, or - for standard input).
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    dict: DictArgs,
    /// Worker threads, at most 1024; 0, the default, means one per core. The output is the same for any number.
    #[arg(short = 'j', long = "threads", value_name = "N", default_value_t = 0, hide_default_value = true,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1024))]
    threads: usize,
    /// Print no warnings.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct MergeArgs {
    /// Files of `extract` results, in order, or - for standard input (the default).
    #[arg(value_name = "RESULTS", default_value = "-")]
    inputs: Vec<PathBuf>,
    /// Output file (repeatable), as for `build`.
    #[arg(short = 'o', long = "output", required = true, value_name = "OUT")]
    outputs: Vec<PathBuf>,
    /// DOT output keeps only the N most connected entities (default 200).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Memory for relations waiting to be folded into edges, in MiB (0 to 4096); beyond it they are sorted into
    /// temporary files (in TMPDIR), so memory stays flat however large the input. The output does not depend on it.
    #[arg(long, value_name = "MIB", default_value_t = guanxi::graph::spool::DEFAULT_BUDGET >> 20,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=4096))]
    edge_memory: usize,
    /// Print no warnings and no summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct SuggestArgs {
    /// Input files, directories (recursively) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    dict: DictArgs,
    /// At most this many suggestions, best first (all if 0).
    #[arg(long, default_value_t = 100)]
    top: usize,
    /// Write the CSV here (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE.csv")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct InputArgs {
    /// Read every input in this encoding (utf-8, gbk, gb18030, utf-16le, big5 …) instead of detecting it.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// What standard input holds [default: txt; jsonl for extract].
    #[arg(long, value_enum, value_name = "KIND")]
    stdin_format: Option<StdinFormat>,
    /// Follow symbolic links inside input directories (skipped with a warning otherwise).
    #[arg(long)]
    follow: bool,
    /// The largest text or HTML file, and JSON Lines record, that is read, in MiB; a larger one is skipped.
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    max_file_size: u64,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StdinFormat {
    Txt,
    Jsonl,
    Html,
}

impl InputArgs {
    fn options(&self) -> anyhow::Result<input::ReadOptions> {
        self.options_or(StdinFormat::Txt)
    }

    /// The read options, standard input holding `default` unless `--stdin-format` says otherwise.
    fn options_or(&self, default: StdinFormat) -> anyhow::Result<input::ReadOptions> {
        let encoding = match &self.encoding {
            None => None,
            Some(label) => Some(
                encoding_rs::Encoding::for_label(label.trim().as_bytes())
                    .ok_or_else(|| anyhow::anyhow!("unknown encoding '{label}'"))?,
            ),
        };
        let stdin_kind = match self.stdin_format.unwrap_or(default) {
            StdinFormat::Txt => input::Kind::Text,
            StdinFormat::Jsonl => input::Kind::JsonLines,
            StdinFormat::Html => input::Kind::Html,
        };
        Ok(input::ReadOptions { encoding, stdin_kind, max_bytes: self.max_file_size << 20 })
    }
}

#[derive(Args)]
struct GraphArg {
    /// The graph, as written by `guanxi build -o graph.json`.
    #[arg(short = 'g', long = "graph", value_name = "GRAPH.json")]
    graph: PathBuf,
}

#[derive(Args)]
struct FilterArgs {
    /// Follow only edges of this relation (repeatable).
    #[arg(long = "relation", value_name = "R")]
    relations: Vec<String>,
    /// Follow only edges leaving (out) or entering (in) an entity; undirected co-occurrence always counts.
    #[arg(long, value_enum, default_value = "both")]
    direction: DirectionArg,
    /// Follow only edges of at least this weight.
    #[arg(long, value_name = "W", default_value_t = 0)]
    min_weight: u64,
    #[command(flatten)]
    dates: DateArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DirectionArg {
    Out,
    In,
    Both,
}

impl FilterArgs {
    fn filter(&self) -> anyhow::Result<guanxi::query::EdgeFilter> {
        use guanxi::query::Direction;
        let direction = match self.direction {
            DirectionArg::Out => Direction::Out,
            DirectionArg::In => Direction::In,
            DirectionArg::Both => Direction::Both,
        };
        Ok(guanxi::query::EdgeFilter {
            relations: self.relations.clone(),
            direction: Some(direction),
            min_weight: self.min_weight,
            dates: self.dates.range()?,
        })
    }
}

/// An entity and the neighbourhood around it: what `neighbors` lists and `subgraph` exports.
#[derive(Args)]
struct AroundArgs {
    /// The entity: canonical name or any alias.
    entity: String,
    #[command(flatten)]
    graph: GraphArg,
    /// How many hops to go (1 to 10).
    #[arg(long, default_value_t = 1, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10))]
    depth: usize,
    #[command(flatten)]
    filter: FilterArgs,
}

#[derive(Args)]
struct NeighborsArgs {
    #[command(flatten)]
    around: AroundArgs,
    /// List only entities of this type (repeatable).
    #[arg(long = "type", value_name = "T")]
    types: Vec<String>,
    /// Print JSON records instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct PathArgs {
    /// Where the path starts: canonical name or alias.
    from: String,
    /// Where it ends.
    to: String,
    #[command(flatten)]
    graph: GraphArg,
    /// Follow only edges of this relation (repeatable).
    #[arg(long = "relation", value_name = "R")]
    relations: Vec<String>,
    /// At most this many paths.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    #[command(flatten)]
    dates: DateArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ShowArgs {
    /// The entity: canonical name or any alias.
    entity: String,
    #[command(flatten)]
    graph: GraphArg,
    #[command(flatten)]
    dates: DateArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// A date range: only what is dated within it counts.
#[derive(Args)]
struct DateArgs {
    /// Only documents (build) or edges and evidence (queries) dated on or after this day: 2024, 2024-06 or
    /// 2024-06-30.
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only documents (build) or edges and evidence (queries) dated on or before this day: 2024, 2024-06 or
    /// 2024-06-30.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
}

impl DateArgs {
    fn range(&self) -> anyhow::Result<guanxi::read::dates::Range> {
        guanxi::read::dates::Range::parse(self.since.as_deref(), self.until.as_deref()).map_err(anyhow::Error::msg)
    }
}

#[derive(Args)]
struct TimelineArgs {
    /// The entity: canonical name or any alias.
    entity: String,
    #[command(flatten)]
    graph: GraphArg,
    /// Only this relation (repeatable); typed relations by default, co-occurrence only when named.
    #[arg(long = "relation", value_name = "R")]
    relations: Vec<String>,
    #[command(flatten)]
    dates: DateArgs,
    /// Print JSON records instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct StatsArgs {
    #[command(flatten)]
    graph: GraphArg,
    /// How many of the most connected entities to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
    #[command(flatten)]
    dates: DateArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct SubgraphArgs {
    #[command(flatten)]
    around: AroundArgs,
    /// Output file (repeatable); the extension picks the format: .graphml, .gexf, .dot/.gv, .json, or a
    /// directory ending in .neo4j.
    #[arg(short = 'o', long = "output", required = true, value_name = "OUT")]
    outputs: Vec<PathBuf>,
    /// DOT output keeps only the N most connected entities (default 200).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
}

#[derive(Args)]
struct DictArgs {
    /// A dictionary CSV file or a directory of them (repeatable); added to the built-in dictionaries.
    #[arg(long = "dict", value_name = "PATH")]
    dicts: Vec<PathBuf>,
    /// Leave the built-in dictionaries out.
    #[arg(long)]
    no_default_dict: bool,
    /// A rules file (TOML) added to the built-in rules; a rule with the name of a built-in one replaces it.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Leave the built-in rules out: only the --rules file counts.
    #[arg(long, requires = "rules")]
    no_default_rules: bool,
    /// Discover names the dictionaries do not list (companies, officials, parks and projects found by Chinese
    /// patterns): the default; the flag is accepted for clarity.
    #[arg(long, conflicts_with = "no_discover")]
    discover: bool,
    /// Dictionary-only graphs: no discovery of unlisted names (faster, and only names you curated).
    #[arg(long)]
    no_discover: bool,
    /// A stop list (repeatable): names or aliases, one per line, never looked for, in addition to the built-in
    /// dictionaries/stop.txt.
    #[arg(long, value_name = "FILE")]
    stop: Vec<PathBuf>,
}

#[derive(Args)]
struct BuildArgs {
    /// Input files (.txt, .jsonl, .html), directories (searched recursively for them) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Output file (repeatable); the extension picks the format: .graphml, .gexf, .dot/.gv, .json, or a
    /// directory ending in .neo4j for Neo4j's bulk importer.
    #[arg(short = 'o', long = "output", required_unless_present = "update", value_name = "OUT")]
    outputs: Vec<PathBuf>,
    /// Add the inputs to this graph (written by `build -o GRAPH.json`) and write it back, with the same result as
    /// building everything at once; any -o outputs are written from the updated graph too.
    #[arg(long, value_name = "GRAPH.json")]
    update: Option<PathBuf>,
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
    /// Leave out of the -o outputs the entities that have no edge there.
    #[arg(long)]
    drop_isolated: bool,
    #[command(flatten)]
    dates: DateArgs,
}

#[derive(Args)]
struct EvalArgs {
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
    #[arg(long, short = 'v', visible_alias = "verbose")]
    errors: bool,
}

#[derive(Args)]
struct ExplainArgs {
    /// The document to explain (a file, or - for standard input); every record of a JSON Lines file.
    #[arg(value_name = "INPUT", required_unless_present = "text", conflicts_with = "text")]
    document: Option<PathBuf>,
    /// Explain this text instead of a file.
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Only show sentences containing this text.
    #[arg(long, value_name = "TEXT")]
    grep: Option<String>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    dict: DictArgs,
}

impl DictArgs {
    fn options(&self) -> Options {
        Options {
            dicts: self.dicts.clone(),
            no_default_dict: self.no_default_dict,
            rules: self.rules.clone(),
            no_default_rules: self.no_default_rules,
            discover: !self.no_discover,
            stop: self.stop.clone(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Command::Build(_) | Command::Extract(_) | Command::Merge(_) | Command::Subgraph(_) | Command::Suggest(_)
    ) {
        on_signals();
    }
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Eval(args) => eval(args),
        Command::Explain(args) => explain(args),
        Command::Neighbors(args) => neighbors(args),
        Command::Path(args) => path(args),
        Command::Show(args) => show(args),
        Command::Timeline(args) => timeline(args),
        Command::Stats(args) => stats(args),
        Command::Subgraph(args) => subgraph(args),
        Command::Completions { shell } => {
            // Generated into memory first: the generator panics on a failed write (`> /dev/full`).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "guanxi", &mut script);
            write_stdout(&script)
        }
        Command::Suggest(args) => suggest(args),
        Command::Extract(args) => extract(args),
        Command::Merge(args) => merge(args),
        Command::Man { command, dir } => man(command.as_deref(), dir.as_deref()),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`| head`) is no error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) if matches!(e.downcast_ref::<guanxi::Error>(), Some(guanxi::Error::Interrupted)) => {
            say!("guanxi: {e:#}");
            ExitCode::from(130)
        }
        Err(e) => {
            say!("guanxi: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let quiet = args.quiet;
    let mut warn = |w: String| {
        if !quiet {
            say!("guanxi: warning: {w}");
        }
    };
    let mut outputs = args.outputs.clone();
    if let Some(graph) = &args.update {
        if !outputs.contains(graph) {
            outputs.insert(0, graph.clone());
        }
    }
    check_outputs(&outputs)?;
    let (sources, walk_warnings) = input::expand(&args.inputs, args.input.follow);
    refuse_inputs_as_outputs(&sources, &outputs, args.update.as_ref())?;
    let mut graph = match &args.update {
        Some(path) => {
            anyhow::ensure!(
                Format::from_path(path)? == Format::Json,
                "--update {}: the graph to update must be a .json graph",
                path.display()
            );
            let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
            export::json::read(file, &path.display().to_string())?.into_spooled(args.edge_memory << 20)
        }
        None => guanxi::Graph::spooled(args.edge_memory << 20),
    };
    let mut pipeline = load_pipeline(&args.dict, &mut warn)?;
    let relations =
        guanxi::query::known_relations(&graph, pipeline.rules.rules().iter().map(|r| r.relation.to_string()));
    guanxi::query::check_values("relation", &args.relations, &relations).map_err(anyhow::Error::msg)?;
    pipeline.read_options = args.input.options()?;
    pipeline.dates = args.dates.range()?;
    pipeline.known_ids = graph.documents().iter().map(|d| d.id.clone()).collect();
    pipeline.threads = args.threads;
    pipeline.strict = args.strict;
    for w in walk_warnings {
        warn(w);
    }
    let bar = progress_bar(&sources, quiet);
    let summary = pipeline.for_each_document_with_progress(
        &sources,
        &mut |w| bar.suspend(|| warn(w)),
        &mut |doc, extraction| graph.add_document(doc.info(), &pipeline.dict, &extraction),
        &mut |source| {
            if let input::Source::File(path) = source {
                bar.inc(std::fs::metadata(path).map_or(0, |m| m.len()));
            }
        },
    )?;
    bar.finish_and_clear();
    // The dictionaries and the automaton are no longer needed: give their memory to the writing.
    drop(pipeline);
    graph.finish().context("folding the edges")?;
    let filtered = filter_for_outputs(&graph, &args).context("filtering the edges")?;
    // Writing is parallel too (JSON lines are serialised in chunks): with the same number of threads.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads).build()?;
    let shown = |out: &std::path::Path| match (&filtered, &args.update) {
        (Some(f), update) if update.as_deref() != Some(out) => f,
        _ => &graph,
    };
    pool.install(|| write_outputs(&shown, &outputs, args.top, &mut warn))?;
    if let (Some(f), false) = (&filtered, quiet) {
        say!(
            "guanxi: the -o outputs, filtered: {}, {}",
            count(f.node_count(), "entity"),
            count(f.edge_count(), "edge")
        );
    }
    if !quiet {
        let (documents, skipped, mentions) = (summary.documents, summary.skipped, summary.mentions);
        let documents = match args.update {
            Some(_) => {
                format!(
                    "{} added ({} already in the graph, {skipped} skipped)",
                    count(documents, "document"),
                    summary.known
                )
            }
            None => format!("{} ({skipped} skipped)", count(documents, "document")),
        };
        let documents = match summary.out_of_range {
            0 => documents,
            n => format!("{documents}, {n} outside --since/--until or undated"),
        };
        say!("guanxi: {documents}, {}, {}", count(mentions, "mention"), graph_summary(&graph, started));
    }
    if graph.node_count() == 0 {
        warn(format!("no dictionary entity was found in {}", count(summary.documents, "document")));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads dictionaries and rules on one thread. Building the automaton and the word segmenter side by side would
/// save about 0.15 s on 100,000 names, but their peaks would add up: about 45 MB more at the highest point of a
/// whole build.
fn load_pipeline(dict: &DictArgs, warn: &mut dyn FnMut(String)) -> anyhow::Result<Pipeline> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let mut notes = Vec::new();
    let pipeline = pool.install(|| Pipeline::new(&dict.options(), &mut |w| notes.push(w)));
    for note in notes {
        warn(note);
    }
    pipeline.context("loading dictionaries and rules")
}

/// "N entities, M edges (relation counts) in T s".
fn graph_summary(graph: &guanxi::Graph, started: std::time::Instant) -> String {
    let relations: Vec<String> = graph.relation_counts().iter().map(|(r, n)| format!("{r} {n}")).collect();
    format!(
        "{}, {} ({}) in {:.2}s",
        count(graph.node_count(), "entity"),
        count(graph.edge_count(), "edge"),
        if relations.is_empty() { "none".to_string() } else { relations.join(", ") },
        started.elapsed().as_secs_f64()
    )
}

fn extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let quiet = args.quiet;
    let mut warn = |w: String| {
        if !quiet {
            say!("guanxi: warning: {w}");
        }
    };
    let mut pipeline = load_pipeline(&args.dict, &mut warn)?;
    pipeline.read_options = args.input.options_or(StdinFormat::Jsonl)?;
    pipeline.threads = args.threads;
    let (sources, walk_warnings) = input::expand(&args.inputs, args.input.follow);
    for w in walk_warnings {
        warn(w);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed: Option<std::io::Error> = None;
    pipeline.for_each_document(&sources, &mut warn, &mut |doc, extraction| {
        if failed.is_none() {
            let result = guanxi::graph::results::DocResult::new(doc.info(), &pipeline.dict, &extraction);
            let written = serde_json::to_writer(&mut out, &result).map_err(std::io::Error::from);
            if let Err(e) = written.and_then(|()| out.write_all(b"\n")) {
                failed = Some(e);
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(anyhow::Error::new(e).context("writing results"));
    }
    out.flush().context("writing results")?;
    Ok(ExitCode::SUCCESS)
}

fn merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    use std::io::BufRead;
    let started = std::time::Instant::now();
    let quiet = args.quiet;
    let mut warn = |w: String| {
        if !quiet {
            say!("guanxi: warning: {w}");
        }
    };
    check_outputs(&args.outputs)?;
    let inputs: Vec<input::Source> = args.inputs.iter().map(|p| input::Source::File(p.clone())).collect();
    refuse_inputs_as_outputs(&inputs, &args.outputs, None)?;
    let mut graph = guanxi::Graph::spooled(args.edge_memory << 20);
    let mut ids = std::collections::HashSet::new();
    let mut lines_read = 0;
    for path in &args.inputs {
        let (name, reader): (String, Box<dyn BufRead>) = if path.as_os_str() == "-" {
            ("stdin".into(), Box::new(std::io::stdin().lock()))
        } else {
            let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
            (path.display().to_string(), Box::new(std::io::BufReader::new(file)))
        };
        for (n, line) in reader.lines().enumerate() {
            let line = line.with_context(|| format!("reading {name}"))?;
            if line.trim().is_empty() {
                continue;
            }
            let mut result = guanxi::graph::results::DocResult::from_line(&line, &format!("{name}:{}", n + 1))?;
            if !ids.insert(result.document.id.clone()) {
                let id = guanxi::pipeline::unused_id(&result.document.id, &ids);
                warn(format!("document id '{}' is used twice; using '{id}' for this one", result.document.id));
                result.rename(&id);
                ids.insert(id);
            }
            for w in graph.add_result(&result) {
                warn(w);
            }
            lines_read += 1;
        }
    }
    anyhow::ensure!(lines_read > 0, "no extract results to merge");
    write_outputs(&|_| &graph, &args.outputs, args.top, &mut warn)?;
    if !quiet {
        say!("guanxi: {} merged, {}", count(lines_read, "document"), graph_summary(&graph, started));
    }
    if graph.node_count() == 0 {
        warn(format!("no dictionary entity was found in {}", count(lines_read, "document")));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let mut warn = |w: String| say!("guanxi: warning: {w}");
    let (sources, walk_warnings) = input::expand(&args.inputs, args.input.follow);
    for w in walk_warnings {
        warn(w);
    }
    let mut out = human_stdout();
    let mut total: std::collections::BTreeMap<String, guanxi::eval::Counts> = Default::default();
    let mut total_entities: Option<guanxi::eval::Counts> = None;
    for spec in &args.gold {
        // FILE:DICT, unless the whole argument is an existing file (a path with a colon).
        let (gold_path, set_dict) = match spec.rsplit_once(':') {
            Some((g, d)) if !std::path::Path::new(spec).exists() && !g.is_empty() && !d.is_empty() => {
                (PathBuf::from(g), Some(PathBuf::from(d)))
            }
            _ => (PathBuf::from(spec), None),
        };
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
        let report = guanxi::eval::evaluate(&pipeline, &gold, &documents);
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
        if args.gold.len() > 1 {
            writeln!(out)?;
        }
    }
    if args.gold.len() > 1 {
        writeln!(out, "all sets")?;
        guanxi::eval::write_table(&mut out, &total, total_entities)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let mut warn = |w: String| say!("guanxi: warning: {w}");
    let pipeline = Pipeline::new(&args.dict.options(), &mut warn).context("loading dictionaries and rules")?;
    let docs = match (&args.text, &args.document) {
        (Some(text), _) => vec![guanxi::model::Document::new("text", text.clone())],
        (None, Some(path)) => {
            let source = if path.as_os_str() == "-" { input::Source::Stdin } else { input::Source::File(path.clone()) };
            let mut docs = Vec::new();
            input::read(&source, &args.input.options()?, &mut |d| docs.push(d), &mut warn)?;
            docs
        }
        (None, None) => anyhow::bail!("give a file to explain, or --text"),
    };
    let mut found = false;
    let mut out = human_stdout();
    for doc in &docs {
        let explanation =
            guanxi::explain::explain(&pipeline.dict, &pipeline.matcher, &pipeline.rules, pipeline.discover, doc);
        explanation.write(&pipeline.dict, &mut out, args.grep.as_deref())?;
        found |=
            explanation.notes.iter().any(|n| n.candidates.iter().any(|c| c.status == guanxi::explain::Status::Kept));
    }
    out.flush()?;
    Ok(if found { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Standard output for text meant for people: terminal controls are written as visible escapes.
fn human_stdout() -> guanxi::query::print::Printable<std::io::StdoutLock<'static>> {
    guanxi::query::print::Printable::new(std::io::stdout().lock())
}

/// Checks every output before any work, so a typo costs nothing.
fn check_outputs(outputs: &[PathBuf]) -> anyhow::Result<()> {
    for out in outputs {
        Format::from_path(out)?;
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            anyhow::ensure!(dir.is_dir(), "{}: directory {} does not exist", out.display(), dir.display());
        }
    }
    Ok(())
}

/// The graph the -o outputs of `build` show under its filters (`--relations`, `--min-weight`, `--drop-isolated`),
/// or `None` when they filter nothing out.
fn filter_for_outputs(graph: &guanxi::Graph, args: &BuildArgs) -> std::io::Result<Option<guanxi::Graph>> {
    if args.relations.is_empty() && args.min_weight == 0 && !args.drop_isolated {
        return Ok(None);
    }
    let keep = |e: &guanxi::graph::Edge| {
        (args.relations.is_empty() || args.relations.iter().any(|r| **r == *e.relation)) && e.weight >= args.min_weight
    };
    graph.filtered(&keep, args.drop_isolated)
}

/// Refuses a run whose output is one of its inputs: the input would be destroyed, or the graph `--update` reads
/// would be read as news too.
fn refuse_inputs_as_outputs(
    sources: &[input::Source],
    outputs: &[PathBuf],
    update: Option<&PathBuf>,
) -> anyhow::Result<()> {
    for source in sources {
        let input::Source::File(path) = source else { continue };
        if let Some(graph) = update.filter(|g| input::same_file(path, g)) {
            anyhow::bail!(
                "{}: is the graph --update reads ({}), not a news input; leave it out of the inputs",
                path.display(),
                graph.display()
            );
        }
        for out in outputs {
            let index = export::index::path_for(out);
            if input::same_file(path, out) || input::same_file(path, &index) {
                anyhow::bail!("{}: is an input and an output of this run; writing it would destroy it", path.display());
            }
        }
    }
    Ok(())
}

/// Writes every output to a temporary file, DOT outputs cut to the `top` most connected entities, then commits them
/// together: if any fails, none is replaced.
fn write_outputs<'g>(
    graph: &dyn Fn(&std::path::Path) -> &'g guanxi::Graph,
    outputs: &[PathBuf],
    top: Option<usize>,
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let mut staged = export::commit::Outputs::new();
    for out in outputs {
        let (shown, note) = export::graph_for(graph(out), Format::from_path(out)?, top)
            .with_context(|| format!("choosing the entities for {}", out.display()))?;
        if let Some(note) = note {
            warn(format!("{}: {note}", out.display()));
        }
        export::stage(&shown, out, &mut staged).with_context(|| format!("writing {}", out.display()))?;
    }
    staged.commit().context("putting the outputs in place")
}

/// A graph read for queries: from the query index beside the JSON when it is there and current (fast; evidence is
/// read for the edges shown), otherwise from the JSON.
enum Loaded {
    Indexed(guanxi::export::index::Indexed),
    Plain(guanxi::Graph),
}

impl Loaded {
    fn graph(&self) -> &guanxi::Graph {
        match self {
            Loaded::Indexed(i) => &i.graph,
            Loaded::Plain(g) => g,
        }
    }

    /// Makes sure these edges have their evidence.
    fn fill(&mut self, edges: Vec<petgraph::graph::EdgeIndex>) -> anyhow::Result<()> {
        if let Loaded::Indexed(i) = self {
            i.fill_evidence(edges)?;
        }
        Ok(())
    }
}

fn load_graph(arg: &GraphArg) -> anyhow::Result<Loaded> {
    const HINT: &str = "the query commands read the .json graph that `guanxi build -o graph.json` writes";
    let path = &arg.graph;
    if let Ok(format) = Format::from_path(path) {
        anyhow::ensure!(
            format == Format::Json,
            "{}: is a .{} graph; {HINT}",
            path.display(),
            path.extension().map_or(String::new(), |e| e.to_string_lossy().to_lowercase())
        );
    }
    if let Some(indexed) = guanxi::export::index::load(path) {
        return Ok(Loaded::Indexed(indexed));
    }
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let graph = guanxi::export::json::read(file, &path.display().to_string()).context(HINT)?;
    Ok(Loaded::Plain(graph))
}

/// An unknown relation in a filter is an error naming the valid ones, not an empty answer.
fn check_relations(graph: &guanxi::Graph, given: &[String]) -> anyhow::Result<()> {
    guanxi::query::check_relations(graph, given).map_err(anyhow::Error::msg)
}

/// Resolves a name, or says it is unknown with suggestions (exit code 1).
fn resolve(index: &guanxi::query::Index, name: &str) -> Result<petgraph::graph::NodeIndex, ExitCode> {
    index.resolve(name).map_err(|close| {
        if close.is_empty() {
            say!("guanxi: unknown entity '{name}'");
        } else {
            say!("guanxi: unknown entity '{name}'; did you mean {}?", close.join(", "));
        }
        ExitCode::from(1)
    })
}

/// What every page ends with: exit codes, and the files the command reads and writes.
const MAN_EXIT_STATUS: &str = ".SH \"EXIT STATUS\"\n.TP\n0\nsuccess\n.TP\n1\nnothing found: no dictionary entity in \
any input, an unknown entity, no path, no neighbour passing the filters (outputs are still written)\n.TP\n2\nerror: bad \
arguments, a bad dictionary or rules file, an unreadable or unwritable file, --strict and a bad input\n.TP\n130, 143\n\
interrupted by Ctrl-C (SIGINT) or SIGTERM: 128 + the signal; earlier outputs are untouched\n";

/// The FILES section of a command's page.
fn man_files(command: &str) -> &'static str {
    match command {
        "build" | "extract" | "suggest" | "explain" | "eval" => ".SH FILES\n.TP\n*.txt\nplain text, one document a \
file; UTF-8, UTF-16 with BOM or GBK, detected per file\n.TP\n*.jsonl, *.ndjson\nJSON Lines, one document a line: \
{\"id\": ..., \"text\": ..., \"title\": ..., \"date\": ..., \"url\": ...}\n.TP\n*.html, *.htm\nan HTML page, tags removed, \
<title> as the title\n.TP\n*.csv\ndictionaries (--dict): name,type,aliases,parent,note; aliases separated by |\n.TP\n\
*.toml\nrules (--rules), as dictionaries/rules.toml in the source\n.TP\nOUT (build)\nthe extension picks the format: \
.json (with its query index .json.idx), .graphml, .gexf, .dot or .gv, or a directory ending in .neo4j\n",
        "merge" => ".SH FILES\n.TP\nRESULTS\nJSON Lines written by guanxi extract, one document a line\n.TP\nOUT\n\
the extension picks the format: .json, .graphml, .gexf, .dot or .gv, or a directory ending in .neo4j\n",
        "neighbors" | "path" | "show" | "stats" | "subgraph" | "timeline" => ".SH FILES\n.TP\nGRAPH.json\nthe JSON graph \
written by guanxi build -o GRAPH.json, read through its query index GRAPH.json.idx when that is current\n",
        _ => "",
    }
}

/// The manual page of guanxi (`command` None) or of one subcommand, in roff.
fn man_page(command: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let root = <Cli as clap::CommandFactory>::command();
    let (cmd, files) = match command {
        None => (root, ""),
        Some(name) => {
            let names: Vec<String> = root.get_subcommands().map(|c| c.get_name().to_string()).collect();
            guanxi::query::check_values("command", &[name.to_string()], &names).map_err(anyhow::Error::msg)?;
            let sub = root.find_subcommand(name).cloned().expect("checked above");
            (sub.name(format!("guanxi-{name}")), man_files(name))
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page)?;
    page.extend_from_slice(files.as_bytes());
    page.extend_from_slice(MAN_EXIT_STATUS.as_bytes());
    Ok(page)
}

/// `guanxi man [COMMAND]` prints a page; `guanxi man --dir DIR` writes every page, committed together.
fn man(command: Option<&str>, dir: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let Some(dir) = dir else { return write_stdout(&man_page(command)?) };
    anyhow::ensure!(dir.is_dir(), "{}: is not a directory", dir.display());
    let root = <Cli as clap::CommandFactory>::command();
    let mut pages = vec![(dir.join("guanxi.1"), man_page(None)?)];
    for sub in root.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = sub.get_name();
        pages.push((dir.join(format!("guanxi-{name}.1")), man_page(Some(name))?));
    }
    let mut staged = export::commit::Outputs::new();
    for (path, page) in &pages {
        staged.stage_file(path, &mut |w| w.write_all(page))?;
    }
    staged.commit()?;
    say!("guanxi: {} written to {}", count(pages.len(), "manual page"), dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes bytes to standard output, a failure being an error (a closed pipe is then no error, as for any output).
fn write_stdout(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).context("writing to standard output")?;
    Ok(ExitCode::SUCCESS)
}

fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // serde_json hands an I/O error back as it was: a closed pipe is then recognised as one.
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

fn neighbors(args: NeighborsArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_graph(&args.around.graph)?;
    check_relations(loaded.graph(), &args.around.filter.relations)?;
    let types = guanxi::query::known_types(loaded.graph());
    guanxi::query::check_values("type", &args.types, &types).map_err(anyhow::Error::msg)?;
    let index = guanxi::query::Index::new(loaded.graph());
    let start = match resolve(&index, &args.around.entity) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    let filter = args.around.filter.filter()?;
    let rows = guanxi::query::neighbors(&index, start, args.around.depth, &filter, &args.types);
    if args.json {
        print_json(&rows)?;
    } else {
        guanxi::query::print::neighbors(&mut human_stdout(), &rows)?;
    }
    Ok(if rows.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn path(args: PathArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = load_graph(&args.graph)?;
    check_relations(loaded.graph(), &args.relations)?;
    let index = guanxi::query::Index::new(loaded.graph());
    let (from, to) = match (resolve(&index, &args.from), resolve(&index, &args.to)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return Ok(code),
    };
    if from == to {
        // One entity, perhaps by two of its names: the path has no hop.
        let name = &loaded.graph().petgraph()[from].name;
        if args.json {
            print_json(&[Vec::<guanxi::query::Hop>::new()])?;
        } else {
            writeln!(human_stdout(), "{} and {} are one entity, {name}: a path of 0 hops", args.from, args.to)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let filter = guanxi::query::EdgeFilter {
        relations: args.relations.clone(),
        dates: args.dates.range()?,
        ..Default::default()
    };
    let limit = args.limit.max(1);
    let paths = guanxi::query::shortest_paths(&index, from, to, &filter, limit);
    // Read the evidence of the hops, then take the paths again with it.
    let on_paths: Vec<_> = paths
        .iter()
        .flatten()
        .flat_map(|h| [&h.from, &h.to])
        .filter_map(|name| loaded.graph().node_index(name))
        .collect();
    let hop_edges = guanxi::query::edges_among(loaded.graph(), &on_paths);
    drop(index);
    loaded.fill(hop_edges)?;
    let graph = loaded.graph();
    let index = guanxi::query::Index::new(graph);
    let paths = guanxi::query::shortest_paths(&index, from, to, &filter, limit);
    let g = graph.petgraph();
    if args.json {
        print_json(&paths)?;
    } else if paths.is_empty() {
        say!("guanxi: no path between {} and {}", g[from].name, g[to].name);
    } else {
        guanxi::query::print::paths(&mut human_stdout(), graph, &g[from].name, &g[to].name, &paths)?;
    }
    Ok(if paths.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn timeline(args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = load_graph(&args.graph)?;
    check_relations(loaded.graph(), &args.relations)?;
    let n = match resolve(&guanxi::query::Index::new(loaded.graph()), &args.entity) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    loaded.fill(guanxi::query::edges_of(loaded.graph(), n))?;
    let index = guanxi::query::Index::new(loaded.graph());
    let filter = guanxi::query::EdgeFilter { relations: args.relations.clone(), ..Default::default() };
    let range = args.dates.range()?;
    let mut rows = guanxi::query::timeline(&index, n, &filter);
    rows.retain(|r| range.contains(r.date.as_deref()));
    if args.json {
        print_json(&rows)?;
    } else {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let relation = match &r.title {
                    Some(t) => format!("{} ({t})", r.relation),
                    None => r.relation.clone(),
                };
                let arrow = guanxi::query::print::arrow("", &relation, r.direction, &r.entity);
                vec![
                    r.date.clone().unwrap_or_else(|| "-".into()),
                    arrow.trim().to_string(),
                    r.doc.clone(),
                    r.sentence.clone(),
                ]
            })
            .collect();
        guanxi::query::print::table(&mut human_stdout(), &["date", "edge", "document", "sentence"], &cells)?;
    }
    Ok(if rows.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn show(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = load_graph(&args.graph)?;
    let n = match resolve(&guanxi::query::Index::new(loaded.graph()), &args.entity) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    loaded.fill(guanxi::query::edges_of(loaded.graph(), n))?;
    let graph = loaded.graph();
    let index = guanxi::query::Index::new(graph);
    let card = guanxi::query::card(&index, n, &args.dates.range()?);
    if args.json {
        print_json(&card)?;
    } else {
        guanxi::query::print::card(&mut human_stdout(), graph, &card)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let range = args.dates.range()?;
    let loaded = load_graph(&args.graph)?;
    // With a date range: the figures of the edges with evidence dated in it (every entity still counts).
    let dated = if range.is_open() {
        None
    } else {
        loaded.graph().filtered(&|e| e.meets(&range), false).context("reading the graph")?
    };
    let index = guanxi::query::Index::new(dated.as_ref().unwrap_or(loaded.graph()));
    let stats = guanxi::query::stats(&index, args.top).context("reading the graph")?;
    if args.json {
        print_json(&stats)?;
    } else {
        guanxi::query::print::stats(&mut human_stdout(), &stats)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn subgraph(args: SubgraphArgs) -> anyhow::Result<ExitCode> {
    check_outputs(&args.outputs)?;
    let mut loaded = load_graph(&args.around.graph)?;
    check_relations(loaded.graph(), &args.around.filter.relations)?;
    let index = guanxi::query::Index::new(loaded.graph());
    let n = match resolve(&index, &args.around.entity) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    let filter = args.around.filter.filter()?;
    let mut keep: Vec<_> = guanxi::query::neighbors(&index, n, args.around.depth, &filter, &[])
        .iter()
        .filter_map(|r| loaded.graph().node_index(&r.entity))
        .collect();
    keep.push(n);
    let edges = guanxi::query::edges_among(loaded.graph(), &keep);
    drop(index);
    loaded.fill(edges)?;
    let graph = loaded.graph();
    let index = guanxi::query::Index::new(graph);
    let ego = guanxi::query::ego(&index, n, args.around.depth, &filter).context("reading the graph")?;
    write_outputs(&|_| &ego, &args.outputs, args.top, &mut |w| say!("guanxi: warning: {w}"))?;
    say!(
        "guanxi: {}, {} around {}",
        count(ego.node_count(), "entity"),
        count(ego.edge_count(), "edge"),
        graph.petgraph()[n].name
    );
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on standard error, shown only when it is a terminal, the run is not quiet and the input is large
/// (over 20 MB of files).
fn progress_bar(sources: &[input::Source], quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let total: u64 = sources
        .iter()
        .filter_map(|s| match s {
            input::Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            input::Source::Stdin => None,
        })
        .sum();
    if quiet || !std::io::stderr().is_terminal() || total < 20 << 20 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Ctrl-C, SIGTERM and SIGHUP stop the run at once, whatever it is doing: every temporary output is removed (a
/// commit under way is finished first) and the exit code is 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
/// Outputs are only ever renamed into place complete, so earlier files are never lost.
fn on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                if export::commit::abandon() {
                    say!("guanxi: interrupted after the outputs were written");
                } else {
                    say!("guanxi: interrupted; no output was written");
                }
                std::process::exit(128 + signal);
            }
        });
    }
}

fn suggest(args: SuggestArgs) -> anyhow::Result<ExitCode> {
    let mut warn = |w: String| say!("guanxi: warning: {w}");
    let mut pipeline = Pipeline::new(&args.dict.options(), &mut warn).context("loading dictionaries and rules")?;
    pipeline.read_options = args.input.options()?;
    let (sources, walk_warnings) = input::expand(&args.inputs, args.input.follow);
    for w in walk_warnings {
        warn(w);
    }
    let mut suggester = guanxi::suggest::Suggester::new(&pipeline.dict, &pipeline.matcher);
    let mut read = 0;
    for source in &sources {
        let r = input::read(source, &pipeline.read_options, &mut |doc| suggester.add_document(&doc), &mut warn);
        match r {
            Ok(n) => read += n,
            Err(e) => warn(format!("{e}; skipped")),
        }
    }
    anyhow::ensure!(read > 0, "no document could be read");
    let mut suggestions = suggester.suggestions();
    if args.top > 0 {
        suggestions.truncate(args.top);
    }
    match &args.output {
        Some(path) => export::write_atomic(path, &mut |out| guanxi::suggest::write_csv(out, &suggestions))?,
        None => guanxi::suggest::write_csv(&mut std::io::stdout().lock(), &suggestions)?,
    }
    say!("guanxi: {} from {}", count(suggestions.len(), "suggestion"), count(read, "document"));
    Ok(if suggestions.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

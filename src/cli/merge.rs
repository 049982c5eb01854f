//! `guanxi merge`: the reduce step of a distributed build, folding the results of `extract` into the graph `build`
//! would have made.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use guanxi::graph::results::DocResult;
use guanxi::query::print::count;
use guanxi::read::input;

use super::args::ConfidenceArg;
use super::{outputs, warnings};

#[derive(Args)]
pub struct MergeArgs {
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
    #[command(flatten)]
    confidence: ConfidenceArg,
    /// Print no warnings and no summary.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let mut warn = warnings(args.quiet);
    outputs::check(&args.outputs)?;
    let inputs: Vec<input::Source> = args.inputs.iter().map(|p| input::Source::File(p.clone())).collect();
    outputs::refuse_inputs(&inputs, &args.outputs, None)?;
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
            let mut result = DocResult::from_line(&line, &format!("{name}:{}", n + 1))?;
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
    let filter = guanxi::query::EdgeFilter { min_confidence: args.confidence.min_confidence, ..Default::default() };
    let filtered = outputs::filtered(&graph, &filter, false)?;
    outputs::write(&|_| filtered.as_ref().unwrap_or(&graph), &args.outputs, args.top, &mut warn)?;
    if !args.quiet {
        say!("guanxi: {} merged, {}", count(lines_read, "document"), outputs::graph_summary(&graph, started));
        if let Some(f) = &filtered {
            say!("guanxi: {}", outputs::filtered_summary(f));
        }
    }
    if graph.node_count() == 0 {
        warn(format!("no dictionary entity was found in {}", count(lines_read, "document")));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

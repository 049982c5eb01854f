//! `guanxi stats`: counts of entities and edges, and the most connected entities.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::args::{ConfidenceArg, DateArgs, GraphArg};
use super::{load, stdout};

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    graph: GraphArg,
    /// How many of the most connected entities to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
    #[command(flatten)]
    dates: DateArgs,
    #[command(flatten)]
    confidence: ConfidenceArg,
    #[command(flatten)]
    within: super::args::WithinArg,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let filter = guanxi::query::EdgeFilter {
        dates: args.dates.range()?,
        min_confidence: args.confidence.min_confidence,
        ..Default::default()
    };
    let loaded = load::graph(&args.graph)?;
    // With a date range or a least confidence: the figures of the edges that pass (every entity still counts).
    let kept = if filter.dates.is_open() && filter.min_confidence.is_none() {
        None
    } else {
        loaded.graph().filtered(&|e| filter.keeps(e), false).context("reading the graph")?
    };
    let under = args.within.nodes(&guanxi::query::Index::new(loaded.graph()))?;
    let kept = match under {
        Some(under) => {
            let keep = |e: &guanxi::graph::Edge| filter.keeps(e);
            Some(loaded.graph().induced(&under, &keep).context("reading the graph")?)
        }
        None => kept,
    };
    let index = guanxi::query::Index::new(kept.as_ref().unwrap_or(loaded.graph()));
    let stats = guanxi::query::stats(&index, args.top).context("reading the graph")?;
    if args.json {
        stdout::json(&stats)?;
    } else {
        guanxi::query::print::stats(&mut stdout::human(), &stats)?;
    }
    Ok(ExitCode::SUCCESS)
}

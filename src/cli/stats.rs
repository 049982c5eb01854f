//! `guanxi stats`: counts of entities and edges, and the most connected entities.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::args::{DateArgs, GraphArg};
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
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let range = args.dates.range()?;
    let loaded = load::graph(&args.graph)?;
    // With a date range: the figures of the edges with evidence dated in it (every entity still counts).
    let dated = if range.is_open() {
        None
    } else {
        loaded.graph().filtered(&|e| e.meets(&range), false).context("reading the graph")?
    };
    let index = guanxi::query::Index::new(dated.as_ref().unwrap_or(loaded.graph()));
    let stats = guanxi::query::stats(&index, args.top).context("reading the graph")?;
    if args.json {
        stdout::json(&stats)?;
    } else {
        guanxi::query::print::stats(&mut stdout::human(), &stats)?;
    }
    Ok(ExitCode::SUCCESS)
}

//! `guanxi show`: everything the graph knows about one entity.

use std::process::ExitCode;

use clap::Args;

use super::args::{ConfidenceArg, DateArgs, GraphArg};
use super::{load, stdout};

#[derive(Args)]
pub struct ShowArgs {
    /// The entity: canonical name or any alias.
    entity: String,
    #[command(flatten)]
    graph: GraphArg,
    #[command(flatten)]
    dates: DateArgs,
    #[command(flatten)]
    confidence: ConfidenceArg,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = load::graph(&args.graph)?;
    let n = match load::resolve(&guanxi::query::Index::new(loaded.graph()), &args.entity) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    loaded.fill(guanxi::query::edges_of(loaded.graph(), n))?;
    let graph = loaded.graph();
    let index = guanxi::query::Index::new(graph);
    let filter = guanxi::query::EdgeFilter {
        dates: args.dates.range()?,
        min_confidence: args.confidence.min_confidence,
        ..Default::default()
    };
    let card = guanxi::query::card(&index, n, &filter);
    if args.json {
        stdout::json(&card)?;
    } else {
        guanxi::query::print::card(&mut stdout::human(), graph, &card)?;
    }
    Ok(ExitCode::SUCCESS)
}

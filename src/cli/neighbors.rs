//! `guanxi neighbors`: the entities around one entity, up to a depth.

use std::process::ExitCode;

use clap::Args;

use super::args::{AroundArgs, WithinArg};
use super::{load, stdout};

#[derive(Args)]
pub struct NeighborsArgs {
    #[command(flatten)]
    around: AroundArgs,
    /// List only entities of this type (repeatable).
    #[arg(long = "type", value_name = "T")]
    types: Vec<String>,
    #[command(flatten)]
    within: WithinArg,
    /// Print JSON records instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: NeighborsArgs) -> anyhow::Result<ExitCode> {
    let loaded = load::graph_checked(&args.around.graph, &args.around.filter.relations)?;
    let types = guanxi::query::known_types(loaded.graph());
    guanxi::query::check_values("type", &args.types, &types).map_err(anyhow::Error::msg)?;
    let index = guanxi::query::Index::new(loaded.graph());
    let start = match load::resolve(&index, &args.around.entity) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    let filter = args.around.filter.filter()?;
    let mut rows = guanxi::query::neighbors(&index, start, args.around.depth, &filter, &args.types);
    if let Some(under) = args.within.nodes(&index)? {
        rows.retain(|r| loaded.graph().node_index(&r.entity).is_some_and(|n| under.contains(&n)));
    }
    if args.json {
        stdout::json(&rows)?;
    } else {
        guanxi::query::print::neighbors(&mut stdout::human(), &rows)?;
    }
    Ok(if rows.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

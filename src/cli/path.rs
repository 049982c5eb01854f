//! `guanxi path`: the shortest paths between two entities, each hop with its relation and evidence.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

use super::args::{ConfidenceArg, DateArgs, GraphArg};
use super::{load, stdout};

#[derive(Args)]
pub struct PathArgs {
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
    #[command(flatten)]
    confidence: ConfidenceArg,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: PathArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = load::graph_checked(&args.graph, &args.relations)?;
    let index = guanxi::query::Index::new(loaded.graph());
    let (from, to) = match (load::resolve(&index, &args.from), load::resolve(&index, &args.to)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return Ok(code),
    };
    if from == to {
        // One entity, perhaps by two of its names: the path has no hop.
        let name = &loaded.graph().petgraph()[from].name;
        if args.json {
            stdout::json(&[Vec::<guanxi::query::Hop>::new()])?;
        } else {
            writeln!(stdout::human(), "{} and {} are one entity, {name}: a path of 0 hops", args.from, args.to)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let filter = guanxi::query::EdgeFilter {
        relations: args.relations.clone(),
        dates: args.dates.range()?,
        min_confidence: args.confidence.min_confidence,
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
        stdout::json(&paths)?;
    } else if paths.is_empty() {
        say!("guanxi: no path between {} and {}", g[from].name, g[to].name);
    } else {
        guanxi::query::print::paths(&mut stdout::human(), graph, &g[from].name, &g[to].name, &paths)?;
    }
    Ok(if paths.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

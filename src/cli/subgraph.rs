//! `guanxi subgraph`: the neighbourhood of one entity, exported like a whole graph.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use guanxi::query::print::count;

use super::args::AroundArgs;
use super::{load, outputs, warnings};

#[derive(Args)]
pub struct SubgraphArgs {
    #[command(flatten)]
    around: AroundArgs,
    /// Output file (repeatable); the extension picks the format: .json, .graphml, .gexf, .dot/.gv, .html (a page for
    /// any browser), .csv (a table of edges), or a directory ending in .neo4j.
    #[arg(short = 'o', long = "output", required = true, value_name = "OUT")]
    outputs: Vec<PathBuf>,
    #[command(flatten)]
    within: super::args::WithinArg,
    /// DOT output keeps only the N most connected entities (default 200).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
}

pub fn run(args: SubgraphArgs) -> anyhow::Result<ExitCode> {
    outputs::check(&args.outputs)?;
    let mut loaded = load::graph_checked(&args.around.graph, &args.around.filter.relations)?;
    let index = guanxi::query::Index::new(loaded.graph());
    let n = match load::resolve(&index, &args.around.entity) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    let filter = args.around.filter.filter()?;
    let mut keep: Vec<_> = guanxi::query::neighbors(&index, n, args.around.depth, &filter, &[])
        .iter()
        .filter_map(|r| loaded.graph().node_index(&r.entity))
        .collect();
    keep.push(n);
    let under = args.within.nodes(&index)?;
    let under: Option<std::collections::BTreeSet<String>> =
        under.map(|u| u.iter().map(|&k| loaded.graph().petgraph()[k].name.clone()).collect());
    if let Some(under) = &under {
        keep.retain(|&k| under.contains(&loaded.graph().petgraph()[k].name));
    }
    let edges = guanxi::query::edges_among(loaded.graph(), &keep);
    drop(index);
    loaded.fill(edges)?;
    let graph = loaded.graph();
    let index = guanxi::query::Index::new(graph);
    let mut ego = guanxi::query::ego(&index, n, args.around.depth, &filter).context("reading the graph")?;
    if let Some(under) = &under {
        let inside = ego.sorted_nodes().into_iter().filter(|(_, node)| under.contains(&node.name)).map(|(i, _)| i);
        ego = ego.induced(&inside.collect(), &|_| true).context("reading the graph")?;
    }
    outputs::write(&|_| &ego, &args.outputs, args.top, &mut warnings(false))?;
    say!(
        "guanxi: {}, {} around {}",
        count(ego.node_count(), "entity"),
        count(ego.edge_count(), "edge"),
        graph.petgraph()[n].name
    );
    Ok(ExitCode::SUCCESS)
}

//! The files `build`, `merge` and `subgraph` write: checked before any work, never one of the inputs, and committed
//! together once all are written; the graph the -o outputs of `build` and `merge` show under their filters; and the
//! lines that sum up the graph written.

use std::path::{Path, PathBuf};

use anyhow::Context;

use guanxi::export::{self, Format};
use guanxi::query::print::count;
use guanxi::read::input;

/// Checks every output before any work, so a typo costs nothing.
pub fn check(outputs: &[PathBuf]) -> anyhow::Result<()> {
    for out in outputs {
        Format::from_path(out)?;
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            anyhow::ensure!(dir.is_dir(), "{}: directory {} does not exist", out.display(), dir.display());
        }
    }
    Ok(())
}

/// Refuses a run whose output is one of its inputs: the input would be destroyed, or the graph `--update` reads
/// would be read as news too.
pub fn refuse_inputs(sources: &[input::Source], outputs: &[PathBuf], update: Option<&PathBuf>) -> anyhow::Result<()> {
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
pub fn write<'g>(
    graph: &dyn Fn(&Path) -> &'g guanxi::Graph,
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

/// The graph the -o outputs of `build` and `merge` show under their filters: only the edges `filter` keeps and, with
/// `drop_isolated`, only the entities left with an edge; `None` when no filter is set or none removes anything.
pub fn filtered(
    graph: &guanxi::Graph,
    filter: &guanxi::query::EdgeFilter,
    drop_isolated: bool,
) -> anyhow::Result<Option<guanxi::Graph>> {
    let none_set = filter.relations.is_empty() && filter.min_weight == 0 && filter.min_confidence.is_none();
    if none_set && !drop_isolated {
        return Ok(None);
    }
    graph.filtered(&|e| filter.keeps(e), drop_isolated).context("filtering the edges")
}

/// "the -o outputs, filtered: N entities, M edges": what the filters left.
pub fn filtered_summary(filtered: &guanxi::Graph) -> String {
    format!(
        "the -o outputs, filtered: {}, {}",
        count(filtered.node_count(), "entity"),
        count(filtered.edge_count(), "edge")
    )
}

/// "N entities, M edges (relation counts) in T s".
pub fn graph_summary(graph: &guanxi::Graph, started: std::time::Instant) -> String {
    let relations: Vec<String> = graph.relation_counts().iter().map(|(r, n)| format!("{r} {n}")).collect();
    format!(
        "{}, {} ({}) in {:.2}s",
        count(graph.node_count(), "entity"),
        count(graph.edge_count(), "edge"),
        if relations.is_empty() { "none".to_string() } else { relations.join(", ") },
        started.elapsed().as_secs_f64()
    )
}

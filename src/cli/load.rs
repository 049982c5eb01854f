//! What the commands load: the pipeline (dictionaries and rules) that reads texts, or a built graph that the query
//! commands read, with the names they are given resolved in it.

use std::process::ExitCode;

use anyhow::Context;
use petgraph::graph::{EdgeIndex, NodeIndex};

use guanxi::export::Format;
use guanxi::Pipeline;

use super::args::{DictArgs, GraphArg};

/// Loads dictionaries and rules on one thread. Building the automaton and the word segmenter side by side would
/// save about 0.15 s on 100,000 names, but their peaks would add up: about 45 MB more at the highest point of a
/// whole build.
pub fn pipeline(dict: &DictArgs, warn: &mut dyn FnMut(String)) -> anyhow::Result<Pipeline> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let mut notes = Vec::new();
    let pipeline = pool.install(|| Pipeline::new(&dict.options(), &mut |w| notes.push(w)));
    for note in notes {
        warn(note);
    }
    pipeline.context("loading dictionaries and rules")
}

/// A graph read for queries: from the query index beside the JSON when it is there and current (fast; evidence is
/// read for the edges shown), otherwise from the JSON.
pub enum Loaded {
    Indexed(guanxi::export::index::Indexed),
    Plain(guanxi::Graph),
}

impl Loaded {
    pub fn graph(&self) -> &guanxi::Graph {
        match self {
            Loaded::Indexed(i) => &i.graph,
            Loaded::Plain(g) => g,
        }
    }

    /// Makes sure these edges have their evidence.
    pub fn fill(&mut self, edges: Vec<EdgeIndex>) -> anyhow::Result<()> {
        if let Loaded::Indexed(i) = self {
            i.fill_evidence(edges)?;
        }
        Ok(())
    }
}

/// Reads the graph a query names: through its query index when that is current, otherwise from its JSON.
pub fn graph(arg: &GraphArg) -> anyhow::Result<Loaded> {
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

/// Resolves a name, or says it is unknown with suggestions (exit code 1).
pub fn resolve(index: &guanxi::query::Index, name: &str) -> Result<NodeIndex, ExitCode> {
    index.resolve(name).map_err(|close| {
        if close.is_empty() {
            say!("guanxi: unknown entity '{name}'");
        } else {
            say!("guanxi: unknown entity '{name}'; did you mean {}?", close.join(", "));
        }
        ExitCode::from(1)
    })
}

/// Reads the graph a query names (see [`graph`]) and checks the relations its filter names against it (see
/// [`guanxi::query::check_relations`]): an unknown relation is an error, not an empty answer.
pub fn graph_checked(arg: &GraphArg, relations: &[String]) -> anyhow::Result<Loaded> {
    let loaded = graph(arg)?;
    guanxi::query::check_relations(loaded.graph(), relations).map_err(anyhow::Error::msg)?;
    Ok(loaded)
}

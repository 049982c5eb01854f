//! `guanxi timeline`: an entity's dated evidence, oldest first.

use std::process::ExitCode;

use clap::Args;

use guanxi::query::Dated;

use super::args::{ConfidenceArg, DateArgs, GraphArg};
use super::{load, stdout};

#[derive(Args)]
pub struct TimelineArgs {
    /// The entity: canonical name or any alias.
    entity: String,
    #[command(flatten)]
    graph: GraphArg,
    /// Only this relation (repeatable); typed relations by default, co-occurrence only when named.
    #[arg(long = "relation", value_name = "R")]
    relations: Vec<String>,
    #[command(flatten)]
    dates: DateArgs,
    #[command(flatten)]
    confidence: ConfidenceArg,
    /// Print JSON records instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = load::graph_checked(&args.graph, &args.relations)?;
    let n = match load::resolve(&guanxi::query::Index::new(loaded.graph()), &args.entity) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    loaded.fill(guanxi::query::edges_of(loaded.graph(), n))?;
    let index = guanxi::query::Index::new(loaded.graph());
    let filter = guanxi::query::EdgeFilter {
        relations: args.relations.clone(),
        min_confidence: args.confidence.min_confidence,
        ..Default::default()
    };
    let range = args.dates.range()?;
    let mut rows = guanxi::query::timeline(&index, n, &filter);
    rows.retain(|r| range.contains(r.date.as_deref()));
    if args.json {
        stdout::json(&rows)?;
    } else {
        let cells: Vec<Vec<String>> = rows.iter().map(cells).collect();
        guanxi::query::print::table(&mut stdout::human(), &["date", "edge", "document", "sentence"], &cells)?;
    }
    Ok(if rows.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// One row of the table: date ("-" when undated), the edge as an arrow (with the post of a `leads` edge), document,
/// sentence.
fn cells(r: &Dated) -> Vec<String> {
    let relation = match &r.title {
        Some(t) => format!("{} ({t})", r.relation),
        None => r.relation.clone(),
    };
    let arrow = guanxi::query::print::arrow("", &relation, r.direction, &r.entity);
    vec![r.date.clone().unwrap_or_else(|| "-".into()), arrow.trim().to_string(), r.doc.clone(), r.sentence.clone()]
}

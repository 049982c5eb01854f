//! The `guanxi` command: parses arguments, hands each command to its module in `cli/`, and maps outcomes to exit
//! codes (0 success, 1 nothing found, 2 error, 130 interrupted; a reader that stops early is no error).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

use cli::say;

/// mimalloc: the build allocates and frees millions of small strings on several threads, where it is much faster
/// than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "guanxi", version, about = "Turn Chinese economic news into a typed knowledge graph")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a graph from news texts and export it.
    Build(cli::build::BuildArgs),
    /// Score the typed relations found in texts against hand-annotated gold relations.
    Eval(cli::eval::EvalArgs),
    /// Show, sentence by sentence, every candidate mention (kept or rejected, and why), every edge with its rule,
    /// and why rules whose trigger words occur made no edge.
    Explain(cli::explain::ExplainArgs),
    /// List the entities connected to one entity, up to a depth.
    Neighbors(cli::neighbors::NeighborsArgs),
    /// Show the shortest paths between two entities, with each hop's relation and evidence.
    Path(cli::path::PathArgs),
    /// Show everything the graph knows about one entity.
    Show(cli::show::ShowArgs),
    /// List an entity's dated evidence in order: who led what, what was located or invested where, and when.
    Timeline(cli::timeline::TimelineArgs),
    /// Count entities and edges, and list the most connected entities.
    Stats(cli::stats::StatsArgs),
    /// Export the neighbourhood (ego network) of one entity, in any export format.
    Subgraph(cli::subgraph::SubgraphArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cli::man::CompletionsArgs),
    /// Print a manual page (roff; `guanxi man build | man -l -` shows it), or write them all with --dir.
    Man(cli::man::ManArgs),
    /// Train the entity tagger and the relation scorer on annotated articles, and write the model to a folder.
    Train(cli::train::TrainArgs),
    /// Show what a trained model holds (`guanxi model info [DIR]`): its training, sizes and strongest features.
    Model(cli::train::ModelArgs),
    /// Propose dictionary entries for names in the texts that no dictionary holds, as dictionary CSV.
    Suggest(cli::suggest::SuggestArgs),
    /// Extract documents (JSON Lines on standard input by default) and write one JSON line of results per document
    /// on standard output: the map step of a distributed build.
    Extract(cli::extract::ExtractArgs),
    /// Merge the results of `extract` (files, or standard input) into a graph and export it, exactly as `build`
    /// would have.
    Merge(cli::merge::MergeArgs),
}

fn main() -> ExitCode {
    if let Some(message) = cli::args::single_dash_long(std::env::args_os()) {
        eprintln!("guanxi: error: {message}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    // The commands that write files: a signal removes what they have not yet put in place.
    if matches!(
        cli.command,
        Command::Build(_) | Command::Extract(_) | Command::Merge(_) | Command::Subgraph(_) | Command::Suggest(_)
    ) {
        cli::signals::stop_on_signals();
    }
    let result = match cli.command {
        Command::Build(args) => cli::build::run(args),
        Command::Eval(args) => cli::eval::run(args),
        Command::Explain(args) => cli::explain::run(args),
        Command::Neighbors(args) => cli::neighbors::run(args),
        Command::Path(args) => cli::path::run(args),
        Command::Show(args) => cli::show::run(args),
        Command::Timeline(args) => cli::timeline::run(args),
        Command::Stats(args) => cli::stats::run(args),
        Command::Subgraph(args) => cli::subgraph::run(args),
        Command::Completions(args) => cli::man::completions(args),
        Command::Suggest(args) => cli::suggest::run(args),
        Command::Extract(args) => cli::extract::run(args),
        Command::Merge(args) => cli::merge::run(args),
        Command::Man(args) => cli::man::run(args),
        Command::Train(args) => cli::train::run(args),
        Command::Model(args) => cli::train::model(args),
    };
    exit_code(result)
}

/// The exit code of a command's outcome; an error is said on standard error.
fn exit_code(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        // A reader that stops early (`| head`) is no error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) if matches!(e.downcast_ref::<guanxi::Error>(), Some(guanxi::Error::Interrupted)) => {
            say!("guanxi: {e:#}");
            ExitCode::from(130)
        }
        Err(e) => {
            say!("guanxi: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

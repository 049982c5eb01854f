//! `guanxi man` and `guanxi completions`: manual pages (roff) and shell completion scripts, generated from the
//! command-line definitions in `main.rs`, so they never fall behind them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory};

use guanxi::export;
use guanxi::query::print::count;

use super::stdout;
use crate::Cli;

#[derive(Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (default: the page of guanxi itself).
    command: Option<String>,
    /// Write guanxi.1 and a page for every subcommand (guanxi-build.1 …) into this directory.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    dir: Option<PathBuf>,
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// `guanxi completions SHELL` prints the script for that shell.
pub fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    // Generated into memory first: the generator panics on a failed write (`> /dev/full`).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "guanxi", &mut script);
    stdout::write_all(&script)
}

/// `guanxi man [COMMAND]` prints a page; `guanxi man --dir DIR` writes every page, committed together.
pub fn run(args: ManArgs) -> anyhow::Result<ExitCode> {
    let Some(dir) = args.dir.as_deref() else { return stdout::write_all(&page(args.command.as_deref())?) };
    write_all_pages(dir)
}

/// What every page ends with: exit codes, and the files the command reads and writes.
const EXIT_STATUS: &str = ".SH \"EXIT STATUS\"\n.TP\n0\nsuccess\n.TP\n1\nnothing found: no dictionary entity in \
any input, an unknown entity, no path, no neighbour passing the filters (outputs are still written)\n.TP\n2\nerror: bad \
arguments, a bad dictionary or rules file, an unreadable or unwritable file, --strict and a bad input\n.TP\n130, 143\n\
interrupted by Ctrl-C (SIGINT) or SIGTERM: 128 + the signal; earlier outputs are untouched\n";

/// The FILES section of a command's page.
fn files(command: &str) -> &'static str {
    match command {
        "build" | "extract" | "suggest" | "explain" | "eval" => ".SH FILES\n.TP\n*.txt\nplain text, one document a \
file; UTF-8, UTF-16 with BOM or GBK, detected per file\n.TP\n*.jsonl, *.ndjson\nJSON Lines, one document a line: \
{\"id\": ..., \"text\": ..., \"title\": ..., \"date\": ..., \"url\": ...}\n.TP\n*.html, *.htm\nan HTML page, tags removed, \
<title> as the title\n.TP\n*.csv\ndictionaries (--dict): name,type,aliases,parent,note; aliases separated by |\n.TP\n\
*.toml\nrules (--rules), as dictionaries/rules.toml in the source\n.TP\nOUT (build)\nthe extension picks the format: \
.json (with its query index .json.idx), .graphml, .gexf, .dot or .gv, .html, .csv (a table of edges), or a \
directory ending in .neo4j\n",
        "merge" => ".SH FILES\n.TP\nRESULTS\nJSON Lines written by guanxi extract, one document a line\n.TP\nOUT\n\
the extension picks the format: .json, .graphml, .gexf, .dot or .gv, .html, .csv, or a directory ending in \
.neo4j\n",
        "neighbors" | "path" | "show" | "stats" | "subgraph" | "timeline" => ".SH FILES\n.TP\nGRAPH.json\nthe JSON graph \
written by guanxi build -o GRAPH.json, read through its query index GRAPH.json.idx when that is current\n",
        _ => "",
    }
}

/// The manual page of guanxi (`command` None) or of one subcommand, in roff.
fn page(command: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let root = Cli::command();
    let (cmd, files) = match command {
        None => (root, ""),
        Some(name) => {
            let names: Vec<String> = root.get_subcommands().map(|c| c.get_name().to_string()).collect();
            guanxi::query::check_values("command", &[name.to_string()], &names).map_err(anyhow::Error::msg)?;
            let sub = root.find_subcommand(name).cloned().expect("checked above");
            (sub.name(format!("guanxi-{name}")), files(name))
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page)?;
    page.extend_from_slice(files.as_bytes());
    page.extend_from_slice(EXIT_STATUS.as_bytes());
    Ok(page)
}

/// Writes guanxi.1 and a page for every subcommand into `dir`, committed together.
fn write_all_pages(dir: &Path) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(dir.is_dir(), "{}: is not a directory", dir.display());
    let root = Cli::command();
    let mut pages = vec![(dir.join("guanxi.1"), page(None)?)];
    for sub in root.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = sub.get_name();
        pages.push((dir.join(format!("guanxi-{name}.1")), page(Some(name))?));
    }
    let mut staged = export::commit::Outputs::new();
    for (path, page) in &pages {
        staged.stage_file(path, &mut |w| w.write_all(page))?;
    }
    staged.commit()?;
    say!("guanxi: {} written to {}", count(pages.len(), "manual page"), dir.display());
    Ok(ExitCode::SUCCESS)
}

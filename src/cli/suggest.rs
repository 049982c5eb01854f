//! `guanxi suggest`: dictionary entries proposed for the names in the texts that no dictionary holds.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use guanxi::export;
use guanxi::query::print::count;
use guanxi::read::input;
use guanxi::Pipeline;

use super::args::{DictArgs, InputArgs};
use super::warnings;

#[derive(Args)]
pub struct SuggestArgs {
    /// Input files, directories (recursively) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    dict: DictArgs,
    /// At most this many suggestions, best first (all if 0).
    #[arg(long, default_value_t = 100)]
    top: usize,
    /// Write the CSV here (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE.csv")]
    output: Option<PathBuf>,
}

pub fn run(args: SuggestArgs) -> anyhow::Result<ExitCode> {
    let mut warn = warnings(false);
    let mut pipeline = Pipeline::new(&args.dict.options(), &mut warn).context("loading dictionaries and rules")?;
    pipeline.read_options = args.input.options()?;
    let (sources, walk_warnings) = input::expand(&args.inputs, args.input.follow);
    for w in walk_warnings {
        warn(w);
    }
    let mut suggester = guanxi::suggest::Suggester::new(&pipeline.dict, &pipeline.matcher);
    let mut read = 0;
    for source in &sources {
        let r = input::read(source, &pipeline.read_options, &mut |doc| suggester.add_document(&doc), &mut warn);
        match r {
            Ok(n) => read += n,
            Err(e) => warn(format!("{e}; skipped")),
        }
    }
    anyhow::ensure!(read > 0, "no document could be read");
    let mut suggestions = suggester.suggestions();
    if args.top > 0 {
        suggestions.truncate(args.top);
    }
    match &args.output {
        Some(path) => export::write_atomic(path, &mut |out| guanxi::suggest::write_csv(out, &suggestions))?,
        None => guanxi::suggest::write_csv(&mut std::io::stdout().lock(), &suggestions)?,
    }
    say!("guanxi: {} from {}", count(suggestions.len(), "suggestion"), count(read, "document"));
    Ok(if suggestions.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

//! `guanxi extract`: the map step of a distributed build, one JSON line of results per document.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use guanxi::read::input;

use super::args::{DictArgs, InputArgs, StdinFormat};
use super::{load, warnings};

#[derive(Args)]
pub struct ExtractArgs {
    /// Inputs (files, directories, or - for standard input).
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    dict: DictArgs,
    /// Worker threads, at most 1024; 0, the default, means one per core. The output is the same for any number.
    #[arg(short = 'j', long = "threads", value_name = "N", default_value_t = 0, hide_default_value = true,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1024))]
    threads: usize,
    /// Print no warnings.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let mut warn = warnings(args.quiet);
    let mut pipeline = load::pipeline(&args.dict, &mut warn)?;
    args.input.check_place(&pipeline.dict)?;
    pipeline.read_options = args.input.options_or(StdinFormat::Jsonl)?;
    pipeline.threads = args.threads;
    let (sources, walk_warnings) = input::expand(&args.inputs, args.input.follow);
    for w in walk_warnings {
        warn(w);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed: Option<std::io::Error> = None;
    pipeline.for_each_document(&sources, &mut warn, &mut |doc, extraction| {
        if failed.is_none() {
            let result = guanxi::graph::results::DocResult::new(doc.info(), &pipeline.dict, &extraction);
            let written = serde_json::to_writer(&mut out, &result).map_err(std::io::Error::from);
            if let Err(e) = written.and_then(|()| out.write_all(b"\n")) {
                failed = Some(e);
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(anyhow::Error::new(e).context("writing results"));
    }
    out.flush().context("writing results")?;
    Ok(ExitCode::SUCCESS)
}

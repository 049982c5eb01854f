//! `guanxi explain`: how a text was read, sentence by sentence.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use guanxi::read::input;
use guanxi::Pipeline;

use super::args::{DictArgs, InputArgs};
use super::{stdout, warnings};

#[derive(Args)]
pub struct ExplainArgs {
    /// The document to explain (a file, or - for standard input); every record of a JSON Lines file.
    #[arg(value_name = "INPUT", required_unless_present = "text", conflicts_with = "text")]
    document: Option<PathBuf>,
    /// Explain this text instead of a file.
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Only show sentences containing this text.
    #[arg(long, value_name = "TEXT")]
    grep: Option<String>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    dict: DictArgs,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let mut warn = warnings(false);
    let pipeline = Pipeline::new(&args.dict.options(), &mut warn).context("loading dictionaries and rules")?;
    args.input.check_place(&pipeline.dict)?;
    let docs = match (&args.text, &args.document) {
        (Some(text), _) => vec![guanxi::model::Document::new("text", text.clone())],
        (None, Some(path)) => {
            let source = if path.as_os_str() == "-" { input::Source::Stdin } else { input::Source::File(path.clone()) };
            let mut docs = Vec::new();
            input::read(&source, &args.input.options()?, &mut |d| docs.push(d), &mut warn)?;
            docs
        }
        (None, None) => anyhow::bail!("give a file to explain, or --text"),
    };
    let mut found = false;
    let mut out = stdout::human();
    for doc in &docs {
        let explanation = guanxi::explain::explain(&pipeline, doc);
        explanation.write(&pipeline.dict, &mut out, args.grep.as_deref())?;
        found |=
            explanation.notes.iter().any(|n| n.candidates.iter().any(|c| c.status == guanxi::explain::Status::Kept));
    }
    out.flush()?;
    for line in pipeline.dict.stop_list().report() {
        warn(line);
    }
    Ok(if found { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

//! Standard output: text for people (terminal controls escaped), JSON for programs, and bytes as they are. A
//! failed write is an error, except a closed pipe, which `main` takes for a reader that stopped early.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

/// Standard output for text meant for people: terminal controls are written as visible escapes.
pub fn human() -> guanxi::query::print::Printable<std::io::StdoutLock<'static>> {
    guanxi::query::print::Printable::new(std::io::stdout().lock())
}

/// Writes bytes to standard output, a failure being an error (a closed pipe is then no error, as for any output).
pub fn write_all(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).context("writing to standard output")?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a value as pretty JSON, with a final line break.
pub fn json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // serde_json hands an I/O error back as it was: a closed pipe is then recognised as one.
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

//! The commands of the `guanxi` binary: one file per command, holding its arguments beside the function that runs
//! it (`build.rs`: `BuildArgs` and `run`). A command only turns its arguments into library calls and prints what
//! they return; all real work is in the library.
//!
//! Beside the commands: the argument groups they share ([`args`]), what they load (a pipeline, or a graph for the
//! queries: [`load`]), the files they write ([`outputs`]), standard output ([`stdout`]), the progress bar
//! ([`progress`]) and the handling of Ctrl-C and SIGTERM ([`signals`]).

/// `eprintln!` that never panics (a closed or full standard error, `2>/dev/full`, loses the message, not the run)
/// and never passes on terminal controls from file names, ids or text.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{}", guanxi::query::print::printable(&format!($($arg)*)));
    }};
}
pub(crate) use say;

pub mod args;
pub mod load;
pub mod outputs;
pub mod progress;
pub mod signals;
pub mod stdout;

pub mod build;
pub mod eval;
pub mod explain;
pub mod extract;
pub mod man;
pub mod merge;
pub mod neighbors;
pub mod path;
pub mod show;
pub mod stats;
pub mod subgraph;
pub mod suggest;
pub mod timeline;
pub mod train;

/// Where a command's warnings go: standard error, or nowhere when the run is `quiet`.
pub fn warnings(quiet: bool) -> impl FnMut(String) + Send {
    move |w: String| {
        if !quiet {
            say!("guanxi: warning: {w}");
        }
    }
}

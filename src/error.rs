//! The library's error type. Errors caused by a user's file name that file, and the line and column where known.

use std::path::PathBuf;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A dictionary file is malformed.
    #[error("{path}:{line}{}: {message}", column.map(|c| format!(":{c}")).unwrap_or_default())]
    Dictionary {
        /// The dictionary file.
        path: String,
        /// 1-based line number.
        line: u64,
        /// 1-based column (field) number, where the problem is in one field.
        column: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A rules file is malformed.
    #[error("{path}:{line}:{column}: {message}")]
    Rules {
        /// The rules file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// An input file's bytes are not text in any encoding guanxi reads.
    #[error("{path}: {message}")]
    Decode {
        /// The input file.
        path: String,
        /// Why it could not be decoded.
        message: String,
    },
    /// An output path whose extension names no known format.
    #[error(
        "{path}: unknown output format (use .graphml, .gexf, .dot, .gv, .json, .html, .csv or a directory ending in .neo4j)"
    )]
    UnknownFormat {
        /// The output path.
        path: PathBuf,
    },
    /// A graph file (guanxi JSON) could not be read back.
    #[error("{path}: not a guanxi graph: {message}")]
    GraphFormat {
        /// The graph file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The command line asked for something impossible.
    #[error("{0}")]
    Usage(String),
    /// The run was interrupted (Ctrl-C); nothing was written.
    #[error("interrupted; no output was written")]
    Interrupted,
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

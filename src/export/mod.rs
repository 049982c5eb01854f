//! Exporters: one file per format behind the [`Exporter`] trait. Every exporter writes nodes sorted by name and
//! edges sorted by (head, tail, relation), so files diff cleanly between runs.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::graph::Graph;

pub mod dot;
pub mod graphml;
pub mod json;

/// Writes a graph in one format.
pub trait Exporter {
    /// Writes `graph` to `out`.
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()>;
}

/// The output formats, chosen by the output file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.graphml`
    GraphMl,
    /// `.dot` or `.gv`
    Dot,
    /// `.json`, guanxi's native format
    Json,
}

impl Format {
    /// The format an output path's extension names.
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("graphml") => Ok(Format::GraphMl),
            Some("dot" | "gv") => Ok(Format::Dot),
            Some("json") => Ok(Format::Json),
            _ => Err(Error::UnknownFormat { path: path.to_path_buf() }),
        }
    }

    /// The exporter for this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::GraphMl => Box::new(graphml::GraphMl),
            Format::Dot => Box::new(dot::Dot),
            Format::Json => Box::new(json::Json),
        }
    }
}

/// Writes `graph` to `path` atomically: into a temporary file in the same directory, renamed over `path` only
/// when complete, so an interrupted or failed run never leaves a partial file under the output name.
pub fn write_file(graph: &Graph, path: &Path) -> Result<()> {
    let format = Format::from_path(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::io(
            path,
            io::Error::new(io::ErrorKind::NotFound, format!("directory {} does not exist", dir.display())),
        ));
    }
    let prefix = format!(".{}.", path.file_name().map_or("guanxi".into(), |n| n.to_string_lossy()));
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    if let Some(permissions) = output_permissions(path) {
        builder.permissions(permissions);
    }
    let tmp = builder.tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
    {
        let mut out = io::BufWriter::new(tmp.as_file());
        format.exporter().export(graph, &mut out).map_err(|e| Error::io(path, e))?;
        out.flush().map_err(|e| Error::io(path, e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Permissions for a new output: an existing file's own; otherwise, on Unix, those of any new file (0666 less the
/// umask, which the system applies on creation) rather than the private 0600 of a temporary file.
fn output_permissions(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(meta) = std::fs::metadata(path) {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    None
}

/// Removes characters that XML 1.0 forbids (C0 controls other than tab, newline and carriage return, and the
/// non-characters U+FFFE and U+FFFF).
pub(crate) fn xml_clean(s: &str) -> std::borrow::Cow<'_, str> {
    let illegal = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}';
    if s.contains(illegal) {
        s.chars().filter(|&c| !illegal(c)).collect::<String>().into()
    } else {
        s.into()
    }
}

/// XML-escaped text with illegal characters removed.
pub(crate) fn xml_text(s: &str) -> String {
    quick_xml::escape::escape(xml_clean(s).as_ref()).into_owned()
}

#[cfg(test)]
pub(crate) mod fixture {
    //! One small fixed graph, with awkward names, shared by the exporter tests.
    use crate::graph::{Graph, Node};
    use crate::model::{Evidence, Span};

    pub fn graph() -> Graph {
        let mut g = Graph::new();
        g.add_document_id("a.txt".into());
        let node = |name: &str, kind: &str, aliases: &[&str], mentions: u64| Node {
            name: name.into(),
            kind: kind.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            parent: None,
            title: None,
            mentions,
            documents: 1,
        };
        let park = g.add_node(node("苏州(安丘)科技产业园", "park", &[], 1));
        let zone =
            g.add_node(Node { parent: Some("潍坊市".into()), ..node("安丘市", "district", &["安丘"], 2) });
        let person = g.add_node(node("王斌", "official", &[], 1));
        let odd = g.add_node(node("A&B <\"公司\">\u{1}\\x", "company", &["a'b", "c|d"], 1));
        let ev = |rule: &str, trigger: Option<&str>| Evidence {
            doc: "a.txt".into(),
            sentence: "王斌在家乡安丘建设苏州(安丘)科技产业园。".into(),
            head: Span { start: 0, end: 2 },
            tail: Span { start: 9, end: 20 },
            rule: rule.into(),
            trigger: trigger.map(str::to_string),
        };
        g.add_evidence(person, "invests-in", park, 1, &[ev("invests-in/invests-builds", Some("建设"))]);
        g.add_evidence(park, "located-in", zone, 1, &[ev("located-in/built-in-place", Some("建设"))]);
        g.add_evidence(person, "co-occurs", zone, 2, &[ev("co-occurrence", None)]);
        g.add_evidence(odd, "leads", person, 1, &[ev("x", Some("董事长"))]);
        g
    }
}

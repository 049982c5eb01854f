//! Exporters: one file per format behind the [`Exporter`] trait. Every exporter writes nodes sorted by name and
//! edges sorted by (head, tail, relation), so files diff cleanly between runs.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::graph::Graph;

pub mod commit;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod index;
pub mod json;
pub mod neo4j;
pub mod style;
pub mod table;

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
    /// `.gexf`, Gephi's native format
    Gexf,
    /// `.json`, guanxi's native format
    Json,
    /// A directory ending in `.neo4j`, with CSV files for `neo4j-admin database import`
    Neo4j,
    /// `.html` or `.htm`: a self-contained page that shows the graph in a browser
    Html,
    /// `.csv`: a flat table of edges, one row each
    Csv,
}

impl Format {
    /// The format an output path's extension names.
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("graphml") => Ok(Format::GraphMl),
            Some("dot" | "gv") => Ok(Format::Dot),
            Some("gexf") => Ok(Format::Gexf),
            Some("json") => Ok(Format::Json),
            Some("neo4j") => Ok(Format::Neo4j),
            Some("html" | "htm") => Ok(Format::Html),
            Some("csv") => Ok(Format::Csv),
            _ => Err(Error::UnknownFormat { path: path.to_path_buf() }),
        }
    }

    /// The files this format writes: `(file name, exporter)`; the name is `None` for a single file written
    /// under the output path itself, and a file name inside the output directory otherwise.
    pub fn exporters(self) -> Vec<(Option<&'static str>, Box<dyn Exporter>)> {
        match self {
            Format::GraphMl => vec![(None, Box::new(graphml::GraphMl))],
            Format::Dot => vec![(None, Box::new(dot::Dot))],
            Format::Gexf => vec![(None, Box::new(gexf::Gexf))],
            Format::Json => vec![(None, Box::new(json::Json))],
            Format::Html => vec![(None, Box::new(html::Html))],
            Format::Csv => vec![(None, Box::new(table::Edges))],
            Format::Neo4j => vec![
                (Some(neo4j::FILES[0]), Box::new(neo4j::Nodes)),
                (Some(neo4j::FILES[1]), Box::new(neo4j::Relationships)),
            ],
        }
    }
}

/// The graph an output of `format` should show: for DOT, at most the `top` (default [`dot::DEFAULT_TOP`]) most
/// connected entities, since a drawing of more is unreadable; the other formats get the whole graph. Returns a
/// note for the user when entities were left out.
pub fn graph_for<'g>(
    graph: &'g Graph,
    format: Format,
    top: Option<usize>,
) -> io::Result<(Cow<'g, Graph>, Option<String>)> {
    if format != Format::Dot {
        return Ok((Cow::Borrowed(graph), None));
    }
    let n = top.unwrap_or(dot::DEFAULT_TOP);
    if graph.node_count() <= n {
        return Ok((Cow::Borrowed(graph), None));
    }
    let note =
        format!("the DOT output keeps the {n} most connected of {} entities (--top N to change)", graph.node_count());
    Ok((Cow::Owned(graph.top(n)?), Some(note)))
}

/// Writes `graph` to `path` atomically: see [`commit`]. An interrupted or failed run never leaves a partial
/// output under the output name.
pub fn write_file(graph: &Graph, path: &Path) -> Result<()> {
    let mut outputs = commit::Outputs::new();
    stage(graph, path, &mut outputs)?;
    outputs.commit()
}

/// Writes `graph` to a temporary beside `path` (and, for JSON, its query index), to be committed with the rest of
/// the run's outputs.
pub fn stage(graph: &Graph, path: &Path, outputs: &mut commit::Outputs) -> Result<()> {
    let format = Format::from_path(path)?;
    let (dir, _) = commit::place(path);
    if !dir.is_dir() {
        return Err(Error::io(
            path,
            io::Error::new(io::ErrorKind::NotFound, format!("directory {} does not exist", dir.display())),
        ));
    }
    let exporters = format.exporters();
    if format == Format::Json {
        return index::stage_json_and_index(graph, path, outputs);
    }
    if exporters.iter().all(|(name, _)| name.is_none()) {
        outputs.stage_file(path, &mut |out| {
            for (_, exporter) in &exporters {
                exporter.export(graph, out)?;
            }
            Ok(())
        })?;
        return Ok(());
    }
    // A directory of files.
    if path.exists() && !is_own_output_dir(path) {
        return Err(Error::Usage(format!(
            "{}: exists and holds files guanxi did not write; not replacing it",
            path.display()
        )));
    }
    outputs.stage_dir(path, &mut |tmp| {
        for (name, exporter) in &exporters {
            let file_path = tmp.join(name.unwrap_or("out"));
            let file = std::fs::File::create(&file_path).map_err(|e| Error::io(&file_path, e))?;
            write_to(exporter.as_ref(), graph, &file, path)?;
        }
        Ok(())
    })
}

/// Outputs are written a megabyte at a time: a graph file can hold gigabytes, and every write call costs.
const OUTPUT_BUFFER: usize = 1 << 20;

/// Writes a file atomically: `write` fills a temporary file in the same directory, which is renamed to `path` only
/// if `write` and the flush succeed. On failure the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let mut outputs = commit::Outputs::new();
    outputs.stage_file(path, write)?;
    outputs.commit()
}

fn write_to(exporter: &dyn Exporter, graph: &Graph, file: &std::fs::File, path: &Path) -> Result<()> {
    let mut out = io::BufWriter::with_capacity(OUTPUT_BUFFER, file);
    exporter.export(graph, &mut out).map_err(|e| Error::io(path, e))?;
    out.flush().map_err(|e| Error::io(path, e))?;
    file.sync_all().map_err(|e| Error::io(path, e))
}

/// Whether a directory holds nothing but the files a directory format writes.
fn is_own_output_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|entries| {
        entries.flatten().all(|e| e.file_name().to_str().is_some_and(|n| neo4j::FILES.contains(&n)))
    })
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
mod tests {
    use super::*;

    /// A writer that accepts `room` bytes and then fails, like a disk filling up.
    struct Failing {
        room: usize,
    }

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::other("disk full"));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_exporter_reports_a_write_that_fails_half_way() {
        let graph = fixture::graph();
        for format in [Format::GraphMl, Format::Gexf, Format::Dot, Format::Json, Format::Neo4j] {
            for (name, exporter) in format.exporters() {
                for room in [0, 10, 200] {
                    let r = exporter.export(&graph, &mut Failing { room });
                    assert!(r.is_err(), "{format:?} {name:?} with {room} bytes of room did not fail");
                }
            }
        }
    }

    #[test]
    fn a_failed_atomic_write_leaves_the_earlier_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.json");
        std::fs::write(&path, "earlier").unwrap();
        let r = write_atomic(&path, &mut |out| {
            out.write_all(&[b'x'; 100_000])?;
            Err(io::Error::other("disk full"))
        });
        assert!(r.unwrap_err().to_string().contains("disk full"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "earlier");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["g.json"]);
        write_atomic(&path, &mut |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! One small fixed graph, with awkward names, shared by the exporter tests. The discovered park and the
    //! `invests-in` and `located-in` edges have confidences (0.912, 0.873 and 0.5); the rest have none.
    use crate::graph::{Graph, Node};
    use crate::model::{Confidence, Evidence, Span};

    pub fn graph() -> Graph {
        let mut g = Graph::new();
        g.add_document_info(crate::model::DocInfo {
            id: "a.txt".into(),
            meta: [("title".to_string(), "标题".to_string())].into(),
        });
        let node = |name: &str, kind: &str, aliases: &[&str], mentions: u64| Node {
            name: name.into(),
            kind: kind.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            parent: None,
            title: None,
            mentions,
            documents: 1,
            // The park stands for a discovered name, so that every format shows one.
            discovered: kind == "park",
            confidence: (kind == "park").then(|| Confidence::from_probability(0.912)),
        };
        let park = g.add_node(node("苏州(安丘)科技产业园", "park", &[], 1));
        let zone =
            g.add_node(Node { parent: Some("潍坊市".into()), ..node("安丘市", "district", &["安丘"], 2) });
        let person = g.add_node(node("王斌", "official", &[], 1));
        let odd = g.add_node(node("A&B <\"公司\">\u{1}\\x", "company", &["a'b", "c|d"], 1));
        let ev = |rule: &str, trigger: Option<&str>, confidence: Option<f64>| Evidence {
            doc: "a.txt".into(),
            sentence: "王斌在家乡安丘建设苏州(安丘)科技产业园。".into(),
            head: Span { start: 0, end: 2 },
            tail: Span { start: 9, end: 20 },
            rule: rule.into(),
            trigger: trigger.map(str::to_string),
            context: None,
            date: None,
            confidence: confidence.map(Confidence::from_probability),
        };
        g.add_evidence(person, "invests-in", park, 1, &[ev("invests-in/invests-builds", Some("建设"), Some(0.873))]);
        g.add_evidence(park, "located-in", zone, 1, &[ev("located-in/built-in-place", Some("建设"), Some(0.5))]);
        g.add_evidence(person, "co-occurs", zone, 2, &[ev("co-occurrence", None, None)]);
        g.add_evidence(odd, "leads", person, 1, &[ev("x", Some("董事长"), None)]);
        g
    }
}

//! A flat table of edges (`-o edges.csv`): one row per edge, for pandas and spreadsheets.
//!
//! ```text
//! source,source_type,relation,target,target_type,directed,weight,confidence,first,last,rule,doc,sentence,documents
//! ```
//!
//! UTF-8 with a byte-order mark, so that spreadsheet software opens Chinese correctly (pandas reads it with
//! `encoding="utf-8-sig"`). `source` and `target` are the entities' canonical names; `confidence` is empty where an
//! edge has none (co-occurrence, the rules alone); `first` and `last` are the first and last dates of its evidence;
//! `rule`, `doc` and `sentence` come from its first piece of evidence, and `documents` lists the documents of every
//! piece kept (`;`-separated). Rows are sorted as every export sorts edges; control characters are dropped.

use std::io::{self, Write};

use super::Exporter;
use crate::graph::Graph;

/// The columns, in order.
pub const COLUMNS: [&str; 14] = [
    "source",
    "source_type",
    "relation",
    "target",
    "target_type",
    "directed",
    "weight",
    "confidence",
    "first",
    "last",
    "rule",
    "doc",
    "sentence",
    "documents",
];

/// Writes the edge table.
pub struct Edges;

/// A value without control characters (line breaks in a sentence become spaces).
fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

impl Exporter for Edges {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(out);
        w.write_record(COLUMNS)?;
        for sorted in graph.sorted_edges()? {
            let sorted = sorted?;
            let edge = &sorted.edge;
            let first = edge.evidence.first();
            let mut documents: Vec<String> = Vec::new();
            for e in &edge.evidence {
                let doc = clean(&e.doc).replace(';', "；");
                if !documents.contains(&doc) {
                    documents.push(doc);
                }
            }
            w.write_record([
                clean(&sorted.head.name),
                clean(&sorted.head.kind),
                clean(&edge.relation),
                clean(&sorted.tail.name),
                clean(&sorted.tail.kind),
                edge.directed().to_string(),
                edge.weight.to_string(),
                edge.confidence.map(|c| c.to_string()).unwrap_or_default(),
                edge.time.as_ref().map(|t| t.first.to_string()).unwrap_or_default(),
                edge.time.as_ref().map(|t| t.last.to_string()).unwrap_or_default(),
                first.map(|e| clean(&e.rule)).unwrap_or_default(),
                first.map(|e| clean(&e.doc)).unwrap_or_default(),
                first.map(|e| clean(&e.sentence)).unwrap_or_default(),
                documents.join(";"),
            ])?;
        }
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_bom_a_header_and_a_row_per_edge() {
        let g = super::super::fixture::graph();
        let mut out = Vec::new();
        Edges.export(&g, &mut out).unwrap();
        assert!(out.starts_with(b"\xef\xbb\xbf"), "no byte-order mark");
        let text = String::from_utf8(out[3..].to_vec()).unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, COLUMNS);
        let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), g.edge_count());
        for r in &records {
            assert_eq!(r.len(), COLUMNS.len());
            assert!(!r[0].is_empty() && !r[3].is_empty() && !r[2].is_empty(), "{r:?}");
            assert_eq!(&r[5] == "true", &r[2] != "co-occurs", "{r:?}");
        }
    }

    #[test]
    fn control_characters_never_break_a_row() {
        let table = [("a\nb", "a b"), ("\u{7}x\t", "x"), ("正常", "正常")];
        for (raw, want) in table {
            assert_eq!(clean(raw), want, "{raw:?}");
        }
    }
}

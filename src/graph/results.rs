//! Per-document results: what `guanxi extract` writes, one JSON line per document, and `guanxi merge` folds into a
//! graph. Extraction is a pure map step (each line depends on its document, the dictionaries and the rules only), so
//! any engine that can pipe text through a program can run it in parallel; merging the lines in input order gives
//! exactly the graph `guanxi build` gives.
//!
//! ```json
//! {"format":"guanxi-extract","version":1,"document":{"id":"a.txt","title":"…"},
//!  "entities":[{"id":"潍坊市","type":"district","aliases":["潍坊"],"parent":null,"title":null,"mentions":2}],
//!  "relations":[{"source":"奎文区","relation":"located-in","target":"潍坊市","evidence":{"doc":"a.txt", …}}]}
//! ```
//! (one line per document; spread out here). Entities are listed in the order they are first mentioned, relations in
//! sentence order; each line carries what the graph needs of its entities, so merging needs no dictionary.
//!
//! A discovered entity carries the tagger's `"confidence"` and a piece of evidence the scorer's, where extraction
//! set them (a number from 0 to 1, see [`Confidence`]); without one, the field is left out. That did not change
//! the version: a reader of version 1 that knows no confidence ignores the field and reads the rest as before, and
//! lines written before confidences existed read as having none.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::dict::Dictionary;
use crate::error::{Error, Result};
use crate::extract::Extraction;
use crate::model::{Confidence, DocInfo, Evidence};

/// The value of the `format` field.
pub const FORMAT: &str = "guanxi-extract";
/// The current format version.
pub const VERSION: u32 = 1;

/// What one document yields, ready to be merged into a graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocResult {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version.
    pub version: u32,
    /// The document's id and metadata.
    pub document: DocInfo,
    /// Every entity mentioned, in order of first mention, with its number of mentions in this document; then those
    /// a relation names without a mention of their own (a town named only inside its park's name), with 0.
    pub entities: Vec<EntityCount>,
    /// Every relation found, co-occurrences included, in sentence order.
    pub relations: Vec<Found>,
}

/// An entity mentioned in a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityCount {
    /// Canonical name.
    pub id: String,
    /// Entity type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Aliases from the dictionaries.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Parent entity's name.
    #[serde(default)]
    pub parent: Option<String>,
    /// An official's post.
    #[serde(default)]
    pub title: Option<String>,
    /// Mentions in this document.
    pub mentions: u64,
    /// `dictionary` or `discovered`.
    #[serde(default = "dictionary_source")]
    pub source: String,
    /// For a discovered entity, the tagger's confidence in it in this document (see [`crate::model::Entity`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

fn dictionary_source() -> String {
    "dictionary".into()
}

/// One relation occurrence, with entities named by their canonical names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// The head entity's canonical name.
    pub source: String,
    /// The relation.
    pub relation: String,
    /// The tail entity's canonical name.
    pub target: String,
    /// Where it was found.
    pub evidence: Evidence,
}

impl DocResult {
    /// The result of one document's extraction.
    pub fn new(document: DocInfo, dict: &Dictionary, extraction: &Extraction) -> Self {
        let dict = &dict.with_discovered(&extraction.discovered);
        let mut index: HashMap<usize, usize> = HashMap::new();
        let mut entities: Vec<EntityCount> = Vec::new();
        // Mentioned entities first; then any a relation names without a mention of its own (高柳镇, named only
        // inside 高柳镇阳河工业园), with no mentions.
        let mentioned = extraction.mentions.iter().map(|m| (m.entity, 1));
        let related = extraction.relations.iter().flat_map(|r| [(r.head, 0), (r.tail, 0)]);
        for (entity, count) in mentioned.chain(related) {
            let i = *index.entry(entity).or_insert_with(|| {
                let e = dict.entity(entity);
                entities.push(EntityCount {
                    id: e.name.clone(),
                    kind: e.kind.clone(),
                    aliases: e.aliases.clone(),
                    parent: e.parent.clone(),
                    title: e.title.clone(),
                    mentions: 0,
                    source: e.source().into(),
                    confidence: e.confidence,
                });
                entities.len() - 1
            });
            entities[i].mentions = entities[i].mentions.saturating_add(count);
        }
        let relations = extraction
            .relations
            .iter()
            .map(|r| Found {
                source: dict.entity(r.head).name.clone(),
                relation: r.relation.to_string(),
                target: dict.entity(r.tail).name.clone(),
                evidence: r.evidence.clone(),
            })
            .collect();
        DocResult { format: FORMAT.into(), version: VERSION, document, entities, relations }
    }

    /// Reads one line written by `guanxi extract`; `place` (`file:line`) names it in errors.
    pub fn from_line(line: &str, place: &str) -> Result<Self> {
        let err = |message: String| Error::GraphFormat { path: place.to_string(), message };
        let r: DocResult = serde_json::from_str(line).map_err(|e| err(format!("not an extract result: {e}")))?;
        if r.format != FORMAT {
            return Err(err(format!("format is '{}', expected '{FORMAT}'", r.format)));
        }
        if r.version > VERSION {
            return Err(err(format!("version {} is newer than this guanxi reads ({VERSION})", r.version)));
        }
        let names: std::collections::HashSet<&str> = r.entities.iter().map(|e| e.id.as_str()).collect();
        for f in &r.relations {
            for name in [&f.source, &f.target] {
                if !names.contains(name.as_str()) {
                    return Err(err(format!("relation refers to '{name}', which is not among the entities")));
                }
            }
        }
        Ok(r)
    }

    /// Gives the document another id, in its evidence too (for a document id already taken).
    pub fn rename(&mut self, id: &str) {
        let shared: Arc<str> = id.into();
        self.document.id = id.to_string();
        for f in &mut self.relations {
            f.evidence.doc = shared.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(entities: &str, relations: &str) -> String {
        format!(
            r#"{{"format":"guanxi-extract","version":1,"document":{{"id":"a"}},"entities":[{entities}],"relations":[{relations}]}}"#
        )
    }

    const E: &str = r#"{"id":"甲公司","type":"company","mentions":1},{"id":"乙区","type":"district","mentions":2}"#;
    const R: &str = r#"{"source":"甲公司","relation":"located-in","target":"乙区","evidence":{"doc":"a","sentence":"甲公司落户乙区。","head":{"start":0,"end":3},"tail":{"start":5,"end":7},"rule":"r"}}"#;

    #[test]
    fn reads_lines_and_rejects_bad_ones() {
        let ok = DocResult::from_line(&line(E, R), "x:1").unwrap();
        assert_eq!(ok.entities[1].mentions, 2);
        assert_eq!(ok.relations[0].evidence.tail, crate::model::Span { start: 5, end: 7 });
        let cases = [
            ("{}", "not an extract result"),
            (&line(E, R).replace("guanxi-extract", "guanxi-graph"), "format is 'guanxi-graph'"),
            (&line(E, R).replace("\"version\":1", "\"version\":9"), "version 9 is newer"),
            (&line(r#"{"id":"甲公司","type":"company","mentions":1}"#, R), "'乙区', which is not among"),
        ];
        for (text, expected) in cases {
            let e = DocResult::from_line(text, "x:7").unwrap_err().to_string();
            assert!(e.contains(expected) && e.contains("x:7"), "{text}: {e}");
        }
    }

    /// Confidences are read where they are and absent where they are not (lines written before they existed), and
    /// a graph merged from lines keeps the highest of each entity and edge.
    #[test]
    fn reads_confidences_and_lines_without_them() {
        let scored = |entity: &str, evidence: &str| {
            line(
                &E.replace(r#""mentions":1}"#, &format!(r#""mentions":1,"source":"discovered"{entity}}}"#)),
                &R.replace(r#""rule":"r"}"#, &format!(r#""rule":"r"{evidence}}}"#)),
            )
        };
        let old = DocResult::from_line(&line(E, R), "x:1").unwrap();
        assert_eq!((old.entities[0].confidence, old.relations[0].evidence.confidence), (None, None));
        let a = DocResult::from_line(&scored(r#","confidence":0.9"#, r#","confidence":0.873"#), "x:2").unwrap();
        let b = DocResult::from_line(&scored(r#","confidence":0.95"#, r#","confidence":0.5"#), "x:3").unwrap();
        let c = |v: f64| Some(Confidence::from_probability(v));
        assert_eq!((a.entities[0].confidence, a.relations[0].evidence.confidence), (c(0.9), c(0.873)));
        // Written back, a line says what it read.
        let text = serde_json::to_string(&a).unwrap();
        assert!(text.contains(r#""source":"discovered","confidence":0.9}"#), "{text}");
        assert!(text.contains(r#""rule":"r","confidence":0.873}"#), "{text}");
        assert!(!serde_json::to_string(&old).unwrap().contains("confidence"));
        let mut g = crate::graph::Graph::new();
        for (i, r) in [a, old, b].into_iter().enumerate() {
            let mut r = r;
            r.rename(&format!("d{i}"));
            g.add_result(&r);
        }
        let node = &g.petgraph()[g.node_index("甲公司").unwrap()];
        assert_eq!(node.confidence, c(0.95));
        let edge = g.petgraph().edge_weights().next().unwrap();
        assert_eq!((edge.weight, edge.confidence), (3, c(0.873)));
        let bad = scored("", r#","confidence":1.5"#);
        let e = DocResult::from_line(&bad, "x:4").unwrap_err().to_string();
        assert!(e.contains("confidence 1.5 is not a number from 0 to 1") && e.contains("x:4"), "{e}");
    }

    #[test]
    fn renaming_reaches_the_evidence() {
        let mut r = DocResult::from_line(&line(E, R), "x:1").unwrap();
        r.rename("a#2");
        assert_eq!(r.document.id, "a#2");
        assert_eq!(&*r.relations[0].evidence.doc, "a#2");
    }
}

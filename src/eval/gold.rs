//! Gold files: one JSON object per line, a document's annotated relations and, optionally, its entities.

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Deserialize)]
struct GoldLine {
    doc: String,
    #[serde(default)]
    relations: Vec<GoldRelation>,
    #[serde(default)]
    entities: Option<Vec<GoldEntity>>,
}

/// One annotated entity: every named entity of the document is listed, relations or not.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldEntity {
    /// The fullest form the text uses.
    pub name: String,
    /// Other forms the text uses.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Its type (`company`, `official`, `district`, `park`, `organization`).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// One annotated relation.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldRelation {
    /// Head entity name (canonical or alias).
    pub head: String,
    /// Relation name.
    pub relation: String,
    /// Tail entity name.
    pub tail: String,
    /// Acceptable but not required.
    #[serde(default)]
    pub optional: bool,
    /// A tempting pair the text does not support: never required, and a false positive when predicted.
    #[serde(default)]
    pub negative: bool,
    /// The annotator's reason (for optional and negative relations).
    #[serde(default)]
    pub why: Option<String>,
}

/// The annotated relations of one document.
#[derive(Clone, Debug)]
pub struct GoldDoc {
    /// Document id (file name).
    pub doc: String,
    /// Its relations.
    pub relations: Vec<GoldRelation>,
    /// Every named entity, if the file lists them (then entities are scored too).
    pub entities: Option<Vec<GoldEntity>>,
}

/// Reads a gold file (JSON Lines). Blank lines are skipped; a malformed line is an error naming it.
pub fn read_gold(text: &str, file: &str) -> Result<Vec<GoldDoc>> {
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldLine = serde_json::from_str(line).map_err(|e| Error::GraphFormat {
            path: format!("{file}:{}", i + 1),
            message: format!("not a gold record: {e}"),
        })?;
        docs.push(GoldDoc { doc: g.doc, relations: g.relations, entities: g.entities });
    }
    Ok(docs)
}

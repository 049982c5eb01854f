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
    /// The sentence that states it, verbatim.
    #[serde(default)]
    pub evidence: Option<String>,
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

/// A gold argument `GOLD.jsonl[:DICT.csv]`: the gold file and the set's dictionary, if given. The whole argument
/// is one file when it names an existing file (a path with a colon).
pub fn split_spec(spec: &str) -> (std::path::PathBuf, Option<std::path::PathBuf>) {
    match spec.rsplit_once(':') {
        Some((g, d)) if !std::path::Path::new(spec).exists() && !g.is_empty() && !d.is_empty() => {
            (g.into(), Some(d.into()))
        }
        _ => (spec.into(), None),
    }
}

/// The texts a gold file annotates, by the layout of `../shared`: for `ROOT/gold/NAME.jsonl`, the folder
/// `ROOT/corpus/NAME/`, if it exists.
pub fn corpus_beside(gold: &std::path::Path) -> Option<std::path::PathBuf> {
    let name = gold.file_stem()?;
    let root = gold.parent()?.parent()?;
    let corpus = root.join("corpus").join(name);
    corpus.is_dir().then_some(corpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_split_at_the_last_colon() {
        // (spec, gold, dictionary)
        let table =
            [("a.jsonl:a.csv", "a.jsonl", Some("a.csv")), ("a.jsonl", "a.jsonl", None), (":a.csv", ":a.csv", None)];
        for (spec, gold, dict) in table {
            let (g, d) = split_spec(spec);
            assert_eq!((g.to_str().unwrap(), d.as_deref().and_then(|d| d.to_str())), (gold, dict), "{spec}");
        }
    }
}

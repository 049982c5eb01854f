//! Reading dictionary files: a file or a directory of them, decoded, its header checked and each row parsed
//! before it is merged (see [`Core::add`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::{Core, Row, KNOWN_TYPES};
use crate::error::{Error, Result};
use crate::model::Origin;
use crate::read::text::normalize_name;

const REQUIRED: &[&str] = &["name", "type", "aliases"];
const OPTIONAL: &[&str] = &["parent", "title", "weak_aliases", "note"];

impl Core {
    /// Adds a user's dictionary: a CSV file, or every `*.csv` file of a directory (sorted by name).
    pub(super) fn load_path(&mut self, path: &Path) -> Result<()> {
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(Error::Usage(format!("{}: no *.csv dictionary in this directory", path.display())));
            }
            for file in files {
                self.load_path(&file)?;
            }
            return Ok(());
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        self.load_bytes(&bytes, &path.display().to_string(), true)
    }

    /// Adds the dictionary in `bytes`, read from `file` (used in messages); `user` entries win alias conflicts
    /// against built-in ones.
    pub(super) fn load_bytes(&mut self, bytes: &[u8], file: &str, user: bool) -> Result<()> {
        let text = decode_text(bytes, file)?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).comment(Some(b'#')).from_reader(text.as_bytes());
        let columns = Columns::read(&mut reader, file, &mut self.warnings)?;
        let origin: Arc<str> = file.into();
        // One record reused: dictionaries can have 100,000 rows.
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).map_err(|e| csv_error(file, &e))? {
            let row = columns.row(&record, &origin, &mut self.warnings)?;
            self.add(row, user);
        }
        Ok(())
    }
}

/// An error at a place in a dictionary file.
fn error(file: &str, line: u64, column: Option<u64>, message: String) -> Error {
    Error::Dictionary { path: file.to_string(), line, column, message }
}

/// The CSV reader's error, at the line it gives.
fn csv_error(file: &str, e: &csv::Error) -> Error {
    error(file, e.position().map_or(1, |p| p.line()), None, csv_message(e))
}

/// The file's text, in whichever encoding it is; bytes that do not decode are an error rather than replaced, as
/// they would be in a document: a name with a replacement character would never match.
fn decode_text(bytes: &[u8], file: &str) -> Result<String> {
    let text = crate::read::decode::decode(bytes).map_err(|m| error(file, 1, None, m))?;
    if text.lossy {
        return Err(error(file, 1, None, format!("invalid {} byte sequences", text.encoding.name())));
    }
    Ok(text.text)
}

/// Where each column stands in a file's header: looked up once for all of its rows.
struct Columns {
    /// The number of columns in the header, which every row must have.
    width: usize,
    name: usize,
    kind: usize,
    aliases: usize,
    weak_aliases: Option<usize>,
    parent: Option<usize>,
    title: Option<usize>,
}

impl Columns {
    /// Reads the header: a column named twice or a required one missing is an error, an unknown one a warning.
    fn read(reader: &mut csv::Reader<&[u8]>, file: &str, warnings: &mut Vec<String>) -> Result<Columns> {
        let headers: Vec<String> =
            reader.headers().map_err(|e| csv_error(file, &e))?.iter().map(|h| h.trim().to_lowercase()).collect();
        let mut column = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if column.insert(h.as_str(), i).is_some() {
                return Err(error(file, 1, Some(i as u64 + 1), format!("column '{h}' appears twice in the header")));
            }
            if !REQUIRED.contains(&h.as_str()) && !OPTIONAL.contains(&h.as_str()) {
                warnings.push(format!(
                    "{file}:1:{}: unknown column '{h}' ignored (known: name, type, aliases, parent, title, weak_aliases, note)",
                    i + 1
                ));
            }
        }
        for required in REQUIRED {
            if !column.contains_key(required) {
                return Err(error(
                    file,
                    1,
                    None,
                    format!("the header must have the columns name,type,aliases (missing '{required}')"),
                ));
            }
        }
        let at = |name: &str| column.get(name).copied();
        Ok(Columns {
            width: headers.len(),
            name: column["name"],
            kind: column["type"],
            aliases: column["aliases"],
            weak_aliases: at("weak_aliases"),
            parent: at("parent"),
            title: at("title"),
        })
    }

    /// Parses one record of `file`: a record with another number of fields than the header, an empty name or a
    /// type that is no lowercase word is an error naming its line (and column).
    fn row(&self, record: &csv::StringRecord, file: &Arc<str>, warnings: &mut Vec<String>) -> Result<Row> {
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != self.width {
            return Err(error(
                file,
                line,
                None,
                format!("expected {} fields as in the header, found {}", self.width, record.len()),
            ));
        }
        let field = |at: usize| record[at].trim();
        let name = field(self.name);
        if normalize_name(name).is_empty() {
            return Err(error(file, line, Some(self.name as u64 + 1), "empty name".into()));
        }
        let kind = self.kind(field(self.kind), file, line, warnings)?;
        let list = |at: Option<usize>| -> Vec<String> {
            at.map_or("", field).split('|').map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect()
        };
        let optional = |at: Option<usize>| at.map(field).filter(|v| !v.is_empty()).map(str::to_string);
        Ok(Row {
            name: name.to_string(),
            kind,
            aliases: list(Some(self.aliases)),
            weak_aliases: list(self.weak_aliases),
            parent: optional(self.parent),
            title: optional(self.title),
            origin: Origin { file: file.clone(), line },
        })
    }

    /// A row's type, lowercased: any lowercase word (a type of one's own), with a warning when it looks like a
    /// misspelt built-in type.
    fn kind(&self, value: &str, file: &str, line: u64, warnings: &mut Vec<String>) -> Result<String> {
        let kind = value.to_ascii_lowercase();
        let valid_kind = kind.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && kind.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !valid_kind {
            return Err(error(
                file,
                line,
                Some(self.kind as u64 + 1),
                format!(
                    "type '{kind}' is not a lowercase word (use one of {} or a word of your own)",
                    KNOWN_TYPES.join(", ")
                ),
            ));
        }
        if let Some(known) = misspelled_type(&kind) {
            warnings.push(format!(
                "{file}:{line}:{}: type '{kind}' is not a built-in type; did you mean '{known}'? (kept as a type \
                 of your own)",
                self.kind + 1
            ));
        }
        Ok(kind)
    }
}

/// The built-in type a type of one's own is probably a misspelling of (`distrct` → `district`): one edit away from
/// a short type, two from a long one (`bank` is a type of one's own, not a misspelt `park`).
pub(super) fn misspelled_type(kind: &str) -> Option<&'static str> {
    if KNOWN_TYPES.contains(&kind) || kind.len() < 4 {
        return None;
    }
    let allowed = |k: &str| if k.len() <= 5 { 1 } else { 2 };
    KNOWN_TYPES
        .iter()
        .copied()
        .map(|k| (edit_distance(kind, k), k))
        .filter(|&(d, k)| d <= allowed(k))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance between two short ASCII words.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(x != y);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The CSV reader's error as one of our messages, whose position is given apart.
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} fields as in the header, found {len}")
        }
        _ => {
            let m = e.to_string();
            // The csv crate prefixes its own position; ours is in the error already.
            m.split_once(": ").map_or(m.clone(), |(_, rest)| rest.to_string())
        }
    }
}

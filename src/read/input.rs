//! Reading inputs: which files a command line names (directories walked), and how one source becomes documents:
//! a text file, an HTML page ([`crate::read::html`]) or a JSON Lines file ([`crate::read::jsonl`]), decoded as
//! [`crate::read::decode`] detects.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use crate::error::{Error, Result};
use crate::model::Document;
use crate::read::decode::decode_with;

pub use crate::read::decode::{decode, Decoded};
pub use crate::read::html::html_to_text;
pub use crate::read::jsonl::read_json_lines;

/// One input named on the command line, after directories are expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

/// Expands the command line's inputs: files as given (a FIFO too), directories recursively to their `*.txt`,
/// `*.jsonl` and `*.html` regular files (sorted, so the order is the same on every machine), `-` to standard input.
/// Inside directories, symbolic links are followed only with `follow` (otherwise skipped with a warning), and
/// FIFOs, sockets and devices are skipped with a warning: they could block the run or never end. Problems are
/// returned as warnings, and the inputs that could be listed are kept.
///
/// Files in directories that are not news (`notes.md`, `table.csv`, images) are counted by extension, and guanxi's
/// own outputs (a page it wrote, `extract` results) are never read as news, named or found: one warning line says
/// what was skipped.
pub fn expand(inputs: &[PathBuf], follow: bool) -> (Vec<Source>, Vec<String>) {
    let mut sources = Vec::new();
    let mut warnings = Vec::new();
    let mut skipped = Skipped::default();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source::Stdin);
        } else if input.is_dir() {
            let mut seen = HashSet::new();
            let mut files = Vec::new();
            walk(input, follow, (&mut files, &mut skipped), &mut seen, &mut warnings);
            if files.is_empty() {
                warnings.push(format!("{}: no .txt, .jsonl or .html file in this directory", input.display()));
            }
            files.sort();
            sources.extend(files.into_iter().map(Source::File));
        } else if let Some(what) = own_output(input) {
            warnings.push(format!("{}: {what} written by guanxi, not news; skipped", input.display()));
        } else {
            sources.push(Source::File(input.clone()));
        }
    }
    warnings.extend(skipped.line());
    (sources, warnings)
}

/// Files passed over in input directories: by extension, and guanxi's own outputs.
#[derive(Default)]
struct Skipped {
    by_extension: std::collections::BTreeMap<String, usize>,
    own: usize,
}

impl Skipped {
    /// The one line that says what was skipped, if anything was.
    fn line(&self) -> Option<String> {
        let other: usize = self.by_extension.values().sum();
        if other + self.own == 0 {
            return None;
        }
        let mut parts: Vec<String> = self.by_extension.iter().map(|(ext, n)| format!("{ext} {n}")).collect();
        if self.own > 0 {
            parts.push(format!("guanxi's own outputs {}", self.own));
        }
        let files = if other + self.own == 1 { "file" } else { "files" };
        Some(format!(
            "skipped {} {files} in input directories that are not news: {}",
            other + self.own,
            parts.join(", ")
        ))
    }
}

/// What a file is if guanxi wrote it: an HTML page (its generator tag) or `extract` results (their format field),
/// read from its first 4 KB.
pub fn own_output(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let kind = Kind::of(path);
    if kind == Kind::Text {
        return None;
    }
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
    let head = String::from_utf8_lossy(&head);
    match kind {
        Kind::Html if head.contains("<meta name=\"generator\" content=\"guanxi\">") => Some("an HTML page"),
        Kind::JsonLines if head.trim_start().starts_with("{\"format\":\"guanxi-") => Some("extract results"),
        _ => None,
    }
}

fn walk(
    dir: &Path,
    follow: bool,
    (files, skipped): (&mut Vec<PathBuf>, &mut Skipped),
    seen: &mut HashSet<PathBuf>,
    warnings: &mut Vec<String>,
) {
    // Canonical paths guard against symlink loops.
    match dir.canonicalize().map(|real| seen.insert(real)) {
        Ok(false) => {
            warnings.push(format!("{}: directory already visited (symlink loop?), skipped", dir.display()));
            return;
        }
        Err(e) => {
            warnings.push(format!("{}: {e}, skipped", dir.display()));
            return;
        }
        Ok(true) => {}
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            warnings.push(format!("{}: {e}, skipped", dir.display()));
            return;
        }
    };
    for entry in entries {
        let (path, file_type) = match entry.and_then(|e| Ok((e.path(), e.file_type()?))) {
            Ok(found) => found,
            Err(e) => {
                warnings.push(format!("{}: {e}", dir.display()));
                continue;
            }
        };
        let file_type = if file_type.is_symlink() {
            if !follow {
                warnings.push(format!("{}: symbolic link, skipped (--follow reads it)", path.display()));
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(meta) => meta.file_type(),
                Err(e) => {
                    warnings.push(format!("{}: {e}, skipped", path.display()));
                    continue;
                }
            }
        } else {
            file_type
        };
        if file_type.is_dir() {
            walk(&path, follow, (files, skipped), seen, warnings);
        } else if !file_type.is_file() {
            warnings.push(format!("{}: not a regular file (a FIFO, socket or device), skipped", path.display()));
        } else {
            let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            if !ext.as_deref().is_some_and(|e| ["txt", "jsonl", "ndjson", "html", "htm"].contains(&e)) {
                let ext = ext.map_or_else(|| "no extension".to_string(), |e| format!(".{e}"));
                *skipped.by_extension.entry(ext).or_default() += 1;
            } else if own_output(&path).is_some() {
                skipped.own += 1;
            } else {
                files.push(path);
            }
        }
    }
}

/// Whether two paths name the same existing file (through links, `..` or another spelling).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// What kind of text a source holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    /// Plain text: one document per file.
    #[default]
    Text,
    /// JSON Lines: one `{"id": ..., "text": ..., ...}` document per line.
    JsonLines,
    /// An HTML page: one document, tags and scripts stripped.
    Html,
}

impl Kind {
    /// The kind a file's extension says (`.jsonl`/`.ndjson`, `.html`/`.htm`, anything else is text).
    pub fn of(path: &Path) -> Kind {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("jsonl" | "ndjson") => Kind::JsonLines,
            Some("html" | "htm" | "xhtml") => Kind::Html,
            _ => Kind::Text,
        }
    }
}

/// How inputs are read.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Read every input in this encoding instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// What standard input holds.
    pub stdin_kind: Kind,
    /// The most bytes read from one text or HTML file, and from one JSON Lines record; a larger one is an error
    /// (the file or record is skipped). Applies to what is read, so a link to `/dev/zero` stops there too.
    pub max_bytes: u64,
    /// The place a corpus is about (`--place`): the `place` of every document that gives none of its own.
    pub place: Option<String>,
}

/// The default of [`ReadOptions::max_bytes`]: 512 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { encoding: None, stdin_kind: Kind::default(), max_bytes: DEFAULT_MAX_BYTES, place: None }
    }
}

/// Reads one source and hands each of its documents to `each`: one for a text or HTML file, one per line of a
/// JSON Lines file (read line by line, so a large file is never held whole). Problems with single JSON Lines
/// records are passed to `warn` and the record skipped; a source that cannot be read, or yields no document, is an
/// error.
pub fn read(
    source: &Source,
    options: &ReadOptions,
    each: &mut dyn FnMut(Document),
    warn: &mut dyn FnMut(String),
) -> Result<usize> {
    let mut with_place = |mut doc: Document| {
        if let Some(place) = &options.place {
            doc.meta.entry("place".into()).or_insert_with(|| place.clone());
        }
        each(doc)
    };
    let each: &mut dyn FnMut(Document) = &mut with_place;
    let (name, id, kind) = match source {
        Source::Stdin => ("<stdin>".to_string(), "stdin".to_string(), options.stdin_kind),
        Source::File(path) => {
            let id = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            (path.display().to_string(), id, Kind::of(path))
        }
    };
    let open = || -> Result<Box<dyn std::io::Read>> {
        Ok(match source {
            Source::Stdin => Box::new(std::io::stdin()),
            Source::File(path) => {
                if path.is_dir() {
                    return Err(Error::Decode { path: name.clone(), message: "is a directory".into() });
                }
                Box::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?)
            }
        })
    };
    if kind == Kind::JsonLines {
        return read_json_lines(open()?, &name, options, each, warn);
    }
    let mut bytes = Vec::new();
    open()?.take(options.max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Error::io(&name, e))?;
    if bytes.len() as u64 > options.max_bytes {
        return Err(Error::Decode { path: name, message: too_large(options.max_bytes) });
    }
    let decoded =
        decode_with(&bytes, options.encoding).map_err(|message| Error::Decode { path: name.clone(), message })?;
    if decoded.lossy {
        warn(format!("{name}: invalid {} byte sequences replaced by U+FFFD", decoded.encoding.name()));
    }
    let mut doc = Document::new(id, decoded.text);
    let mut stated = None;
    if kind == Kind::Html {
        stated = crate::read::dates::html_date(&doc.text);
        let (text, title) = html_to_text(&doc.text);
        doc.text = text;
        if let Some(title) = title {
            doc.meta.insert("title".into(), title);
        }
    }
    if let Some(date) = crate::read::dates::document_date(&doc.text, stated.as_deref()) {
        doc.meta.insert("date".into(), date);
    }
    if doc.text.trim().is_empty() {
        return Err(Error::Decode { path: name, message: "empty file".into() });
    }
    each(doc);
    Ok(1)
}

/// The message for a file or record larger than `--max-file-size`.
pub(crate) fn too_large(max: u64) -> String {
    format!("larger than {} MiB (--max-file-size)", max >> 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(path: &Path, options: &ReadOptions) -> (Result<usize>, Vec<Document>, Vec<String>) {
        let mut docs = Vec::new();
        let mut warnings = Vec::new();
        let r = read(&Source::File(path.to_path_buf()), options, &mut |d| docs.push(d), &mut |w| warnings.push(w));
        (r, docs, warnings)
    }

    #[test]
    fn reads_json_lines_with_metadata_and_skips_bad_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.jsonl");
        std::fs::write(
            &path,
            "{\"id\": \"a1\", \"text\": \"德纳落户潍坊。\", \"title\": \"标题\", \"date\": \"2024-02-28\", \"tags\": [1]}\n\
             not json\n\
             \n\
             {\"id\": 7, \"text\": \"歌尔在高新区。\"}\n\
             {\"id\": \"x\"}\n",
        )
        .unwrap();
        let (r, docs, warnings) = read_all(&path, &ReadOptions::default());
        assert_eq!(r.unwrap(), 2);
        assert_eq!(docs[0].id, "a1");
        assert_eq!(docs[0].meta.get("title").map(String::as_str), Some("标题"));
        assert_eq!(docs[0].meta.get("date").map(String::as_str), Some("2024-02-28"));
        assert!(!docs[0].meta.contains_key("tags"));
        assert_eq!(docs[1].id, "7");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("news.jsonl:2: not JSON"), "{warnings:?}");
        assert!(warnings[1].contains("news.jsonl:5: no \"text\""), "{warnings:?}");
    }

    #[test]
    fn forced_encodings_are_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let (gbk, _, _) = encoding_rs::GBK.encode("潍坊综合保税区");
        std::fs::write(&path, &gbk).unwrap();
        let options = ReadOptions { encoding: Some(encoding_rs::GBK), ..Default::default() };
        let (_, docs, _) = read_all(&path, &options);
        assert_eq!(docs[0].text, "潍坊综合保税区");
    }
}

//! Reading inputs: which files a command line names, and how their bytes become text.
//!
//! Text may be UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 as Chinese Windows software writes
//! it; the encoding is detected per file. Dictionaries are decoded the same way.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, GB18030, UTF_8};

use crate::error::{Error, Result};
use crate::model::Document;

/// Text decoded from bytes.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding it was read as.
    pub encoding: &'static Encoding,
    /// Invalid byte sequences were replaced by U+FFFD.
    pub lossy: bool,
}

/// Decodes bytes: a byte-order mark decides; otherwise valid UTF-8 is UTF-8; otherwise the encoding is detected
/// (chardetng), GBK being read as its superset GB18030. Text with NUL bytes is refused as binary.
///
/// A file that is almost all UTF-8 but holds a few invalid bytes is decoded with replacement characters
/// (`lossy`), since guessing another encoding for it would garble the rest.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, lossy) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok(Decoded { text: text.into_owned(), encoding, lossy });
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_owned(), encoding: UTF_8, lossy: false });
    }
    let (utf8, _) = UTF_8.decode_without_bom_handling(bytes);
    let bad = utf8.chars().filter(|&c| c == '\u{FFFD}').count();
    if bad * 100 <= utf8.chars().count() {
        return Ok(Decoded { text: utf8.into_owned(), encoding: UTF_8, lossy: true });
    }
    let encoding = detect(bytes, true);
    let (text, lossy) = encoding.decode_without_bom_handling(bytes);
    if lossy {
        return Err(format!("not valid UTF-8, UTF-16 or {} text", encoding.name()));
    }
    Ok(Decoded { text: text.into_owned(), encoding, lossy })
}

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
pub fn expand(inputs: &[PathBuf], follow: bool) -> (Vec<Source>, Vec<String>) {
    let mut sources = Vec::new();
    let mut warnings = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source::Stdin);
        } else if input.is_dir() {
            let mut seen = HashSet::new();
            let mut files = Vec::new();
            walk(input, follow, &mut files, &mut seen, &mut warnings);
            if files.is_empty() {
                warnings.push(format!("{}: no .txt, .jsonl or .html file in this directory", input.display()));
            }
            files.sort();
            sources.extend(files.into_iter().map(Source::File));
        } else {
            sources.push(Source::File(input.clone()));
        }
    }
    (sources, warnings)
}

fn walk(dir: &Path, follow: bool, files: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>, warnings: &mut Vec<String>) {
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
            walk(&path, follow, files, seen, warnings);
        } else if !file_type.is_file() {
            warnings.push(format!("{}: not a regular file (a FIFO, socket or device), skipped", path.display()));
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["txt", "jsonl", "ndjson", "html", "htm"].contains(&e.to_ascii_lowercase().as_str()))
        {
            files.push(path);
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
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Read every input in this encoding instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// What standard input holds.
    pub stdin_kind: Kind,
    /// The most bytes read from one text or HTML file, and from one JSON Lines record; a larger one is an error
    /// (the file or record is skipped). Applies to what is read, so a link to `/dev/zero` stops there too.
    pub max_bytes: u64,
}

/// The default of [`ReadOptions::max_bytes`]: 512 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { encoding: None, stdin_kind: Kind::default(), max_bytes: DEFAULT_MAX_BYTES }
    }
}

/// Decodes with a forced encoding, or detects it ([`decode`]).
fn decode_with(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, String> {
    match forced {
        None => decode(bytes),
        Some(encoding) => {
            let (text, _, lossy) = encoding.decode(bytes);
            Ok(Decoded { text: text.into_owned(), encoding, lossy })
        }
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

fn too_large(max: u64) -> String {
    format!("larger than {} MiB (--max-file-size)", max >> 20)
}

/// The encoding of a JSON Lines file, decided once from its start as for a text file: a byte-order mark, valid
/// UTF-8, or a detected one (GBK as GB18030). Lines are then cut in the decoded text, so that UTF-16's two-byte
/// newlines and a short GBK record are read right.
fn json_lines_encoding(start: &[u8], forced: Option<&'static Encoding>) -> &'static Encoding {
    if let Some(encoding) = forced {
        return encoding;
    }
    if let Some((encoding, _)) = Encoding::for_bom(start) {
        return encoding;
    }
    match std::str::from_utf8(start) {
        Ok(_) => return UTF_8,
        // Valid, but cut in the middle of a character at the end of the sample.
        Err(e) if e.error_len().is_none() => return UTF_8,
        Err(_) => {}
    }
    detect(start, false)
}

/// The legacy encoding chardetng guesses for bytes that are not UTF-8 (`whole`: all of the text, not its start).
/// GB18030 is a superset of GBK and GB2312 and decodes everything they encode.
fn detect(bytes: &[u8], whole: bool) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, whole);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    if guess == encoding_rs::GBK || guess == UTF_8 {
        GB18030
    } else {
        guess
    }
}

/// Reads JSON Lines from `reader` (named `name` in messages) and hands each document to `each`; see [`read`].
pub fn read_json_lines<'a>(
    reader: Box<dyn Read + 'a>,
    name: &str,
    options: &ReadOptions,
    each: &mut dyn FnMut(Document),
    warn: &mut dyn FnMut(String),
) -> Result<usize> {
    use std::io::BufRead;
    let mut raw = std::io::BufReader::with_capacity(1 << 16, reader);
    let start = raw.fill_buf().map_err(|e| Error::io(name, e))?;
    let encoding = json_lines_encoding(start, options.encoding);
    let mut reader: Box<dyn BufRead + 'a> = if encoding == UTF_8 && options.encoding.is_none() {
        Box::new(raw)
    } else {
        let decoder =
            encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(encoding)).bom_override(true).build(raw);
        Box::new(std::io::BufReader::new(decoder))
    };
    let mut line = Vec::new();
    let mut number = 0;
    let mut documents = 0;
    loop {
        line.clear();
        let limit = options.max_bytes.saturating_add(1);
        if (&mut reader).take(limit).read_until(b'\n', &mut line).map_err(|e| Error::io(name, e))? == 0 {
            break;
        }
        number += 1;
        if line.len() as u64 > options.max_bytes {
            // The rest of the record could be endless: the file stops here.
            return Err(Error::Decode { path: format!("{name}:{number}"), message: too_large(options.max_bytes) });
        }
        let text = match std::str::from_utf8(line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line)) {
            Ok(text) => text.to_string(),
            Err(_) => {
                warn(format!("{name}:{number}: not valid {} text; record skipped", encoding.name()));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                warn(format!("{name}:{number}: not JSON ({e}); record skipped"));
                continue;
            }
        };
        let Some(object) = record.as_object() else {
            warn(format!("{name}:{number}: not a JSON object; record skipped"));
            continue;
        };
        let Some(body) = object.get("text").and_then(|t| t.as_str()).filter(|t| !t.trim().is_empty()) else {
            warn(format!("{name}:{number}: no \"text\" string; record skipped"));
            continue;
        };
        let id = match object.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                let fallback = format!("{name}:{number}");
                warn(format!("{name}:{number}: no \"id\"; using '{fallback}'"));
                fallback
            }
        };
        let mut doc = Document::new(id, body);
        for (key, value) in object {
            let value = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => continue,
            };
            if key != "id" && key != "text" {
                doc.meta.insert(key.clone(), value);
            }
        }
        // A record without a date may state one in its first lines.
        if !doc.meta.contains_key("date") {
            if let Some(date) = crate::read::dates::document_date(&doc.text, None) {
                doc.meta.insert("date".into(), date);
            }
        }
        each(doc);
        documents += 1;
    }
    if documents == 0 {
        return Err(Error::Decode { path: name.to_string(), message: "no JSON Lines record with a \"text\"".into() });
    }
    Ok(documents)
}

/// Elements whose content is not text.
const SKIPPED_ELEMENTS: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];
/// Elements that end a line (so that paragraphs do not run into each other).
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "figcaption",
    "title",
    "nav",
    "aside",
];

/// The text of an HTML page, with scripts, styles and comments dropped, block elements ending lines and entities
/// decoded; and the page's `<title>`.
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() / 2);
    let title = lower.find("<title").and_then(|start| {
        let open_end = start + lower[start..].find('>')? + 1;
        let close = open_end + lower[open_end..].find("</title")?;
        let t = html_escape::decode_html_entities(&html[open_end..close]).trim().to_string();
        (!t.is_empty()).then_some(t)
    });
    let mut i = 0;
    let mut next_gt: Option<Option<usize>> = None;
    while i < html.len() {
        let Some(lt) = html[i..].find('<').map(|p| i + p) else {
            out.push_str(&html[i..]);
            break;
        };
        out.push_str(&html[i..lt]);
        if lower[lt..].starts_with("<!--") {
            i = lower[lt..].find("-->").map_or(html.len(), |p| lt + p + 3);
            continue;
        }
        let starts_tag = html[lt + 1..].chars().next().is_some_and(|c| c.is_ascii_alphabetic() || "/!?".contains(c));
        // The first '>' after the last '<' looked at is the first after this one too, unless it lies before: so a
        // page of '<' that never close is read in one pass, not one pass per '<'.
        let gt = match next_gt {
            Some(Some(g)) if g > lt => Some(g),
            Some(None) => None,
            _ => {
                let g = html[lt..].find('>').map(|p| lt + p);
                next_gt = Some(g);
                g
            }
        };
        let Some(gt) = gt.filter(|_| starts_tag) else {
            // A '<' that opens no tag is text.
            out.push('<');
            i = lt + 1;
            continue;
        };
        let tag = lower[lt + 1..gt].trim_start_matches('/');
        let tag_name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let closing = lower[lt + 1..gt].starts_with('/');
        i = gt + 1;
        if tag_name.is_empty() {
            continue;
        }
        if !closing && SKIPPED_ELEMENTS.contains(&tag_name.as_str()) {
            let close = format!("</{tag_name}");
            i = lower[i..].find(&close).map_or(html.len(), |p| {
                let end = i + p;
                lower[end..].find('>').map_or(html.len(), |q| end + q + 1)
            });
            out.push('\n');
            continue;
        }
        if BLOCK_ELEMENTS.contains(&tag_name.as_str()) {
            out.push('\n');
        }
    }
    let text = html_escape::decode_html_entities(&out).into_owned();
    // Collapse the blank lines that markup leaves behind.
    let mut cleaned = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        cleaned.push_str(line);
        cleaned.push('\n');
    }
    (cleaned, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_supported_encoding_to_the_same_text() {
        let text = "潍坊综合保税区位于潍坊市。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let table: [(&str, Vec<u8>, &str); 5] = [
            ("utf-8", text.as_bytes().to_vec(), "UTF-8"),
            ("utf-8 bom", bom, "UTF-8"),
            ("gbk", gbk.into_owned(), "gb18030"),
            ("utf-16le", utf16le, "UTF-16LE"),
            ("utf-16be", utf16be, "UTF-16BE"),
        ];
        for (what, bytes, encoding) in table {
            let d = decode(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(d.text, text, "{what}");
            assert_eq!(d.encoding.name(), encoding, "{what}");
            assert!(!d.lossy, "{what}");
        }
    }

    #[test]
    fn refuses_binary_and_keeps_mostly_utf8() {
        assert!(decode(b"abc\0def").is_err());
        let mut bytes = "潍坊综合保税区位于潍坊市,这是一个很长的句子。".repeat(20).into_bytes();
        bytes.insert(30, 0xFF);
        let d = decode(&bytes).unwrap();
        assert!(d.lossy);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("潍坊综合保税区"));
    }
}

#[cfg(test)]
mod reading_tests {
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
    fn strips_html() {
        let table = [
            ("<p>德纳</p><p>落户</p>", "德纳\n落户\n", None),
            (
                "<html><head><title>潍坊 &amp; 新闻</title><style>p{}</style></head><body>正文<br>第二行</body></html>",
                "正文\n第二行\n",
                Some("潍坊 & 新闻"),
            ),
            ("a<script>var x = '<p>';</script>b", "a\nb\n", None),
            ("<!-- <p>no</p> -->文&nbsp;字&#x6F4D;&#22346;", "文\u{a0}字潍坊\n", None),
            ("1 < 2 and <b>bold</b>", "1 < 2 and bold\n", None),
        ];
        for (html, text, title) in table {
            let (t, ti) = html_to_text(html);
            assert_eq!(t, text, "{html}");
            assert_eq!(ti.as_deref(), title, "{html}");
        }
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

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
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GB18030 is a superset of GBK and GB2312 and decodes everything they encode.
    let encoding = if guess == encoding_rs::GBK || guess == UTF_8 { GB18030 } else { guess };
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

/// Expands the command line's inputs: files as given, directories recursively to their `*.txt` files (sorted, so
/// the order is the same on every machine), `-` to standard input. Problems are returned as warnings, and the
/// inputs that could be listed are kept.
pub fn expand(inputs: &[PathBuf]) -> (Vec<Source>, Vec<String>) {
    let mut sources = Vec::new();
    let mut warnings = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source::Stdin);
        } else if input.is_dir() {
            let mut seen = HashSet::new();
            let mut files = Vec::new();
            walk(input, &mut files, &mut seen, &mut warnings);
            files.sort();
            sources.extend(files.into_iter().map(Source::File));
        } else {
            sources.push(Source::File(input.clone()));
        }
    }
    (sources, warnings)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>, warnings: &mut Vec<String>) {
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
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(e) => {
                warnings.push(format!("{}: {e}", dir.display()));
                continue;
            }
        };
        if path.is_dir() {
            walk(&path, files, seen, warnings);
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")) {
            files.push(path);
        }
    }
}

/// Reads and decodes one input. `Ok` may carry a warning (replacement characters were needed).
pub fn read(source: &Source) -> Result<(Document, Option<String>)> {
    let (name, id, bytes) = match source {
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| Error::io("<stdin>", e))?;
            ("<stdin>".to_string(), "stdin".to_string(), bytes)
        }
        Source::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let id = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            (path.display().to_string(), id, bytes)
        }
    };
    let decoded = decode(&bytes).map_err(|message| Error::Decode { path: name.clone(), message })?;
    if decoded.text.trim().is_empty() {
        return Err(Error::Decode { path: name, message: "empty file".into() });
    }
    let warning =
        decoded.lossy.then(|| format!("{name}: invalid {} byte sequences replaced by U+FFFD", decoded.encoding.name()));
    Ok((Document { id, text: decoded.text }, warning))
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

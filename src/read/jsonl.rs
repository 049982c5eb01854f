//! JSON Lines: one `{"id": ..., "text": ..., ...}` document per line, read line by line so that a large file is
//! never held whole. A bad record is a warning and is skipped; the other fields become the document's metadata.

use std::io::{BufRead, Read};

use encoding_rs::{Encoding, UTF_8};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::Document;
use crate::read::decode::detect;
use crate::read::input::{too_large, ReadOptions};

/// Reads JSON Lines from `reader` (named `name` in messages) and hands each document to `each`; see
/// [`crate::read::input::read`].
pub fn read_json_lines<'a>(
    reader: Box<dyn Read + 'a>,
    name: &str,
    options: &ReadOptions,
    each: &mut dyn FnMut(Document),
    warn: &mut dyn FnMut(String),
) -> Result<usize> {
    let (mut reader, encoding) = decoding_reader(reader, name, options.encoding)?;
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
        if let Some(doc) = record_document(&text, name, number, warn) {
            each(doc);
            documents += 1;
        }
    }
    if documents == 0 {
        return Err(Error::Decode { path: name.to_string(), message: "no JSON Lines record with a \"text\"".into() });
    }
    Ok(documents)
}

/// The reader's lines as UTF-8, in the encoding [`json_lines_encoding`] decides, and that encoding. UTF-8 is read
/// as it is, without a decoder between.
fn decoding_reader<'a>(
    reader: Box<dyn Read + 'a>,
    name: &str,
    forced: Option<&'static Encoding>,
) -> Result<(Box<dyn BufRead + 'a>, &'static Encoding)> {
    let mut raw = std::io::BufReader::with_capacity(1 << 16, reader);
    let start = raw.fill_buf().map_err(|e| Error::io(name, e))?;
    let encoding = json_lines_encoding(start, forced);
    let reader: Box<dyn BufRead + 'a> = if encoding == UTF_8 && forced.is_none() {
        Box::new(raw)
    } else {
        let decoder =
            encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(encoding)).bom_override(true).build(raw);
        Box::new(std::io::BufReader::new(decoder))
    };
    Ok((reader, encoding))
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

/// The document that line `number` of `name` holds, or `None` (after a warning) when it is no JSON object with a
/// non-blank `"text"` string.
fn record_document(text: &str, name: &str, number: usize, warn: &mut dyn FnMut(String)) -> Option<Document> {
    let record: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            warn(format!("{name}:{number}: not JSON ({e}); record skipped"));
            return None;
        }
    };
    let Some(object) = record.as_object() else {
        warn(format!("{name}:{number}: not a JSON object; record skipped"));
        return None;
    };
    let Some(body) = object.get("text").and_then(|t| t.as_str()).filter(|t| !t.trim().is_empty()) else {
        warn(format!("{name}:{number}: no \"text\" string; record skipped"));
        return None;
    };
    let id = match object.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            let fallback = format!("{name}:{number}");
            warn(format!("{name}:{number}: no \"id\"; using '{fallback}'"));
            fallback
        }
    };
    let mut doc = Document::new(id, body);
    add_metadata(&mut doc, object);
    Some(doc)
}

/// Keeps the record's other fields that are strings, numbers or booleans as the document's metadata; a record
/// without a date may state one in its first lines.
fn add_metadata(doc: &mut Document, object: &Map<String, Value>) {
    for (key, value) in object {
        let value = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        if key != "id" && key != "text" {
            doc.meta.insert(key.clone(), value);
        }
    }
    if !doc.meta.contains_key("date") {
        if let Some(date) = crate::read::dates::document_date(&doc.text, None) {
            doc.meta.insert("date".into(), date);
        }
    }
}

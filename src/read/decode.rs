//! Decoding: how a file's bytes become text. Text may be UTF-8 (with or without BOM), UTF-16 with BOM, or
//! GBK/GB18030 as Chinese Windows software writes it; the encoding is detected per file. Documents and
//! dictionaries are decoded the same way.

use encoding_rs::{Encoding, GB18030, UTF_8};

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

/// Decodes with a forced encoding, or detects it ([`decode`]).
pub(crate) fn decode_with(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, String> {
    match forced {
        None => decode(bytes),
        Some(encoding) => {
            let (text, _, lossy) = encoding.decode(bytes);
            Ok(Decoded { text: text.into_owned(), encoding, lossy })
        }
    }
}

/// The legacy encoding chardetng guesses for bytes that are not UTF-8 (`whole`: all of the text, not its start).
/// GB18030 is a superset of GBK and GB2312 and decodes everything they encode.
pub(crate) fn detect(bytes: &[u8], whole: bool) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, whole);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    if guess == encoding_rs::GBK || guess == UTF_8 {
        GB18030
    } else {
        guess
    }
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

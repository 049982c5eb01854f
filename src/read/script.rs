//! Traditional Chinese: a document written in 繁體 is detected and read through a Simplified rendering, made by
//! OpenCC's Traditional-to-Simplified conversion (the `ferrous-opencc` crate, Apache-2.0), character for character
//! so that every offset and every piece of evidence stays in the original script. Dictionary names and aliases in
//! traditional form gain their Simplified form as an alias, so that they resolve to the same entity.

use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

use super::text::is_han;

/// Frequent characters of news that exist only in Traditional Chinese: enough of them marks a document as 繁體
/// (detection only; the conversion is OpenCC's).
const TRADITIONAL_MARKS: &str = "們個這來為會說對時國發經區與產業資長開進設項務關歲實場現體點動話機從後當過還讓間樣門見問員車東電書陽濟縣鎮領導記黨億萬";

/// The share of a document's Chinese characters that must be such marks (one in a hundred), and the least number.
const MIN_SHARE: usize = 100;
const MIN_MARKS: usize = 3;

fn converter() -> Option<&'static OpenCC> {
    static T2S: OnceLock<Option<OpenCC>> = OnceLock::new();
    T2S.get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok()).as_ref()
}

/// Whether a text is written in Traditional Chinese.
pub fn is_traditional(text: &str) -> bool {
    let (mut han, mut marks) = (0usize, 0usize);
    for c in text.chars().filter(|&c| is_han(c)) {
        han += 1;
        if TRADITIONAL_MARKS.contains(c) {
            marks += 1;
        }
    }
    marks >= MIN_MARKS && marks * MIN_SHARE >= han
}

/// The Simplified rendering of a Traditional text, one character for each of the original's; `None` for a text
/// that is not Traditional (or when the converter is unavailable). Phrases are converted as OpenCC converts them
/// where that keeps the number of characters, else character by character.
pub fn simplified_chars(text: &str) -> Option<Vec<char>> {
    if !is_traditional(text) {
        return None;
    }
    let opencc = converter()?;
    let whole: Vec<char> = opencc.convert(text).chars().collect();
    if whole.len() == text.chars().count() {
        return Some(whole);
    }
    Some(text.chars().map(|c| one(opencc, c)).collect())
}

/// One character converted alone (itself when OpenCC gives anything but one character).
fn one(opencc: &OpenCC, c: char) -> char {
    if !is_han(c) {
        return c;
    }
    let mut buf = [0u8; 4];
    let converted = opencc.convert(c.encode_utf8(&mut buf));
    let mut chars = converted.chars();
    match (chars.next(), chars.next()) {
        (Some(s), None) => s,
        _ => c,
    }
}

/// The Simplified form of a name, when it differs: 濰坊市 → 潍坊市. Every character a Traditional one converts to
/// is taken, whatever the name's share of marks (a name is too short to detect its script).
pub fn simplified_name(name: &str) -> Option<String> {
    let opencc = converter()?;
    let converted = opencc.convert(name);
    (converted != name && converted.chars().count() == name.chars().count()).then_some(converted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_text_is_detected_and_converted_character_for_character() {
        let table: &[(&str, Option<&str>)] = &[
            (
                "濰坊市委書記劉建軍到產業園區調研,會見企業負責人。",
                Some("潍坊市委书记刘建军到产业园区调研,会见企业负责人。"),
            ),
            ("潍坊市委书记刘建军到产业园区调研,会见企业负责人。", None),
            // One mark in a long simplified text (a quoted name) is no traditional document.
            ("著名企业星河电子落户奎文区,总投资5亿元,项目建设进展顺利,預计年内投产。", None),
        ];
        for (text, want) in table {
            let got: Option<String> = simplified_chars(text).map(|v| v.into_iter().collect());
            assert_eq!(got.as_deref(), *want, "{text}");
            if let Some(v) = simplified_chars(text) {
                assert_eq!(v.len(), text.chars().count());
            }
        }
    }

    #[test]
    fn traditional_names_have_a_simplified_form() {
        let table = [("濰坊市", Some("潍坊市")), ("潍坊市", None), ("歌爾股份有限公司", Some("歌尔股份有限公司"))];
        for (name, want) in table {
            assert_eq!(simplified_name(name).as_deref(), want, "{name}");
        }
    }
}

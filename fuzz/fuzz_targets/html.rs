//! An HTML page of any bytes: decoded as a file would be, stripped of markup, and extracted.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|bytes: &[u8]| {
    let Ok(decoded) = guanxi::read::input::decode(bytes) else { return };
    let (text, title) = guanxi::read::input::html_to_text(&decoded.text);
    assert!(title.is_none_or(|t| !t.trim().is_empty()));
    common::extract(&guanxi::model::Document::new("page.html", text));
});

//! A JSON Lines file of any bytes: every record it yields is extracted; bad records are warnings, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|bytes: &[u8]| {
    let options = guanxi::read::input::ReadOptions { max_bytes: 1 << 16, ..Default::default() };
    let mut docs = Vec::new();
    let _ = guanxi::read::input::read_json_lines(Box::new(bytes), "fuzz.jsonl", &options, &mut |d| docs.push(d), &mut |_| {});
    for doc in &docs {
        common::extract(doc);
    }
});

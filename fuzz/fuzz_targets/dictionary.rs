//! The dictionary reader on arbitrary bytes: CSV parsing, decoding, validation and merging with the built-in
//! dictionaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut dict = guanxi::dict::Dictionary::empty();
    if dict.load_bytes(data, "fuzz.csv", true).is_ok() {
        // The same file twice, as a second user dictionary: merges and conflicts.
        let _ = dict.load_bytes(data, "again.csv", false);
        for (surface, entity, _) in dict.surfaces() {
            assert_eq!(dict.lookup(surface).is_some(), true);
            let _ = dict.entity(entity);
        }
        let _ = dict.take_warnings();
    }
});

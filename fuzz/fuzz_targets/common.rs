//! What both targets share: one pipeline (built-in dictionaries and rules, discovery on), loaded once, through
//! which every document the input yields is extracted, so a panic anywhere from decoding to relations is found.

use std::sync::OnceLock;

use guanxi::model::Document;
use guanxi::pipeline::{Options, Pipeline};

pub fn extract(doc: &Document) {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    let pipeline = PIPELINE.get_or_init(|| {
        let options = Options { discover: true, ..Options::default() };
        Pipeline::new(&options, &mut |_| {}).expect("the built-in dictionaries and rules load")
    });
    let extraction = pipeline.extractor().extract(doc);
    // Every span names a place in the document's text.
    for m in &extraction.mentions {
        assert!(m.span.start <= m.span.end);
    }
}

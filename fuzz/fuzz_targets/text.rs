//! The text pipeline on arbitrary bytes: decoding (as text, HTML and JSON Lines), normalisation, mentions,
//! sentences, rules, the graph, and every exporter.
#![no_main]

use std::sync::OnceLock;

use guanxi::export::Format;
use guanxi::model::Document;
use libfuzzer_sys::fuzz_target;

fn pipeline() -> &'static guanxi::Pipeline {
    static PIPELINE: OnceLock<guanxi::Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| guanxi::Pipeline::new(&Default::default(), &mut |_| {}).expect("built-in pipeline"))
}

fuzz_target!(|data: &[u8]| {
    let p = pipeline();
    let Ok(decoded) = guanxi::read::input::decode(data) else { return };
    let (html, _) = guanxi::read::input::html_to_text(&decoded.text);
    let mut graph = guanxi::Graph::new();
    for (id, text) in [("text", decoded.text.as_str()), ("html", html.as_str())] {
        let doc = Document::new(id, text);
        let extraction = p.extractor().extract(&doc);
        graph.add_document(doc.info(), &p.dict, &extraction);
        let _ = guanxi::explain::explain(p, &doc);
    }
    for format in [Format::GraphMl, Format::Gexf, Format::Dot, Format::Json, Format::Neo4j] {
        for (_, exporter) in format.exporters() {
            exporter.export(&graph, &mut std::io::sink()).expect("writing to a sink cannot fail");
        }
    }
    // JSON Lines: one record a line.
    let dir = std::env::temp_dir().join(format!("guanxi-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("input.jsonl");
    if std::fs::write(&path, data).is_ok() {
        let source = guanxi::read::input::Source::File(path);
        let _ = guanxi::read::input::read(&source, &Default::default(), &mut |d| drop(p.extractor().extract(&d)), &mut |_| {});
    }
});

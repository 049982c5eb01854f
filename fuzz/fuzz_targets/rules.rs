//! The rules reader on arbitrary text: TOML parsing and rule compilation; rules that compile are applied to
//! sentences with the built-in dictionary.
#![no_main]

use std::sync::OnceLock;

use guanxi::model::Document;
use libfuzzer_sys::fuzz_target;

fn dictionary() -> &'static (guanxi::dict::Dictionary, guanxi::extract::mentions::Matcher) {
    static D: OnceLock<(guanxi::dict::Dictionary, guanxi::extract::mentions::Matcher)> = OnceLock::new();
    D.get_or_init(|| {
        let dict = guanxi::dict::Dictionary::builtin().expect("built-in dictionaries");
        let matcher = guanxi::extract::mentions::Matcher::new(&dict).expect("matcher");
        (dict, matcher)
    })
}

const SENTENCES: &str = "潍坊综合保税区党工委书记王龙堂到保税北区调研。德纳在综保区投资建设新能源汽车动力产业园。\
    区党工委书记王龙堂表示,依托中南高科产业园、康华生物医药产业园等园区,青啤数字化工厂落户奎文区。\
    北京潍坊企业商会会长、北京姿美堂生物技术股份有限公司董事长徐熙明出席。该园区位于奎文区。";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(rules) = guanxi::extract::rules::RuleSet::parse(&text, "fuzz.toml") else { return };
    let (dict, matcher) = dictionary();
    let extractor = guanxi::extract::Extractor::new(dict, matcher, &rules);
    let doc = Document::new("fuzz", SENTENCES);
    let _ = extractor.extract(&doc);
    let _ = guanxi::explain::explain_with(&guanxi::extract::Extractor::new(dict, matcher, &rules).discovering(true), &doc);
});

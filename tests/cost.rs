//! Properties of cost on arbitrary input, counted rather than timed: what a sentence of many names makes grows
//! with its names, and the HTML reader does work in proportion to the page whatever its markup.

use guanxi::dict::Dictionary;
use guanxi::extract::mentions::Matcher;
use guanxi::extract::relations::CO_OCCURRENCE_WINDOW;
use guanxi::extract::rules::RuleSet;
use guanxi::extract::Extractor;
use guanxi::model::{Document, CO_OCCURS};
use proptest::prelude::*;

const NAMES: usize = 80;

fn name(i: usize) -> String {
    format!("丙{i}号材料有限公司")
}

fn setup() -> (Dictionary, Matcher, RuleSet) {
    let rows: String = (0..NAMES).map(|i| format!("{},company,\n", name(i))).collect();
    let mut dict = Dictionary::empty();
    dict.load_bytes(format!("name,type,aliases\n{rows}").as_bytes(), "t.csv", true).unwrap();
    let matcher = Matcher::new(&dict).unwrap();
    (dict, matcher, RuleSet::builtin().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// One sentence of any names, any repeated, with any of the separators a list uses: each mention makes
    /// co-occurrence edges with at most CO_OCCURRENCE_WINDOW entities, and a sentence of up to that many entities
    /// pairs them all.
    #[test]
    fn co_occurrence_grows_with_the_names_of_a_sentence(
        picks in prop::collection::vec(0..NAMES, 1..200),
        separators in prop::collection::vec(prop_oneof![Just("、"), Just("和"), Just(""), Just(" ")], 200),
    ) {
        let (dict, matcher, rules) = setup();
        let extractor = Extractor::new(&dict, &matcher, &rules);
        let text: String = picks.iter().zip(&separators).map(|(&i, s)| format!("{}{s}", name(i))).collect();
        let extraction = extractor.extract(&Document::new("t", format!("{text}。")));
        let co = extraction.relations.iter().filter(|r| &*r.relation == CO_OCCURS).count();
        let distinct: std::collections::BTreeSet<usize> = picks.iter().copied().collect();
        let n = distinct.len();
        prop_assert!(co <= picks.len() * CO_OCCURRENCE_WINDOW, "{co} edges for {} mentions", picks.len());
        if n <= CO_OCCURRENCE_WINDOW && text.chars().count() < 1_000 {
            prop_assert_eq!(co, n * (n - 1) / 2);
        }
    }

    /// A page of any markup, unclosed tags and comments included: the text taken from it is never longer than the
    /// page.
    #[test]
    fn html_text_is_no_longer_than_the_page(
        parts in prop::collection::vec(
            prop_oneof![Just("<"), Just(">"), Just("<a"), Just("</p>"), Just("<!--"), Just("-->"), Just("<script>"),
                        Just("<title>"), Just("</title>"), Just("&amp;"), Just("潍坊"), Just("x"), Just(" ")],
            0..400,
        ),
    ) {
        let page: String = parts.concat();
        let (text, _) = guanxi::read::input::html_to_text(&page);
        prop_assert!(text.chars().count() <= page.chars().count() + 1, "{page:?} → {text:?}");
    }
}

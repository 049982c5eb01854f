//! Plain data shared by every stage of the pipeline: documents, entities, mentions, relations and their evidence,
//! and the confidence a trained stage gives them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Index of an entity in its [`Dictionary`](crate::dict::Dictionary).
pub type EntityId = usize;

/// The relation name of sentence co-occurrence edges.
pub const CO_OCCURS: &str = "co-occurs";

/// One input text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The document id: the file name (`000_0c465170c85722f8.txt`), `stdin`, or a JSON Lines record's `id`.
    pub id: String,
    /// The decoded text, exactly as read (offsets in evidence point into it); for HTML, the text with tags removed.
    pub text: String,
    /// Other fields of the source (a JSON Lines record's `title`, `date`, `url` …; an HTML page's `title`).
    pub meta: BTreeMap<String, String>,
}

impl Document {
    /// A document without metadata.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document { id: id.into(), text: text.into(), meta: BTreeMap::new() }
    }

    /// Its id and metadata, without the text.
    pub fn info(&self) -> DocInfo {
        DocInfo { id: self.id.clone(), meta: self.meta.clone() }
    }
}

/// A document as the graph remembers it: its id and metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocInfo {
    /// Document id.
    pub id: String,
    /// Metadata (`title`, `date`, `url` …).
    #[serde(flatten)]
    pub meta: BTreeMap<String, String>,
}

/// Where an entry or a rule was defined, for messages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file (`builtin:companies.csv` for embedded dictionaries), shared by all its entries.
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: u64,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// The origin file recorded on entities found by discovery rather than read from a dictionary.
pub const DISCOVERED: &str = "discovered";

/// A dictionary entity: one node of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// The canonical name, as written in the dictionary.
    pub name: String,
    /// `company`, `official`, `district`, `park`, `organization`, or a user-defined lowercase word.
    pub kind: String,
    /// Other names of the same entity, as written in the dictionaries.
    pub aliases: Vec<String>,
    /// The entity this one lies in or belongs to (a park's district, an official's organization).
    pub parent: Option<String>,
    /// An official's post.
    pub title: Option<String>,
    /// Where the entity was first defined.
    pub origin: Origin,
    /// For a discovered entity, the tagger's confidence in it: the highest over its mentions in the document.
    /// `None` for dictionary entities, and for names found by rules alone.
    pub confidence: Option<Confidence>,
}

impl Entity {
    /// Whether discovery found it in a document (no dictionary lists it).
    pub fn is_discovered(&self) -> bool {
        &*self.origin.file == DISCOVERED
    }

    /// `dictionary` or `discovered`, as every output format writes it.
    pub fn source(&self) -> &'static str {
        if self.is_discovered() {
            DISCOVERED
        } else {
            "dictionary"
        }
    }
}

/// A span of a document: byte offsets for slicing and character offsets for users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First character, counted in Unicode scalar values from the start of the original text.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// An entity found in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The entity found.
    pub entity: EntityId,
    /// Byte range in the normalised text.
    pub norm: std::ops::Range<usize>,
    /// Character range in the original text.
    pub span: Span,
}

/// Why one edge exists: one sentence of one document. The strings are shared (`Arc<str>`): every relation found in
/// a sentence points to the same copy of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Document id.
    pub doc: Arc<str>,
    /// The sentence, as written in the original text.
    pub sentence: Arc<str>,
    /// Character range of the head mention in the original text.
    pub head: Span,
    /// Character range of the tail mention in the original text.
    pub tail: Span,
    /// The rule that fired (`co-occurrence` for co-occurs edges).
    pub rule: Arc<str>,
    /// The words that triggered the rule (for `leads`, the post held), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// Where an argument not named in the sentence came from, for relations resting on the document context:
    /// `title`, `dateline`, `self-reference` (我市, 本区 …), `prominence` (the place the document names most) or
    /// `anaphora` (该项目, 公司 … pointing back). The argument's span is then that of the referring words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Arc<str>>,
    /// The document's date, if it has one (set when the evidence joins a graph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<crate::read::dates::Date>,
    /// The relation scorer's probability for the relation in this sentence. `None` for co-occurrence and for
    /// rule-only builds (without the trained scorer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

/// One extracted relation occurrence, before aggregation into the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// The source entity.
    pub head: EntityId,
    /// The relation name (`leads`, `located-in`, `invests-in`, `co-occurs`, or a user's own).
    pub relation: Arc<str>,
    /// The target entity.
    pub tail: EntityId,
    /// Where it was found.
    pub evidence: Evidence,
}

/// A probability kept exactly as thousandths (0 to 1000): taking the highest of many is exact, and every output
/// writes the same digits whatever path a graph took (in memory or through the spool, built at once or updated,
/// extracted and merged).
///
/// Shown with three decimals (`0.873`, `1.000`, `0.000`). In JSON it is a number: the shortest decimal that reads
/// back to it, always with a fraction (`0.873`, `0.5`, `1.0`, `0.0`), so that every reader gets a float. Read from
/// any JSON number from 0 to 1, rounded to the nearest thousandth; anything else is an error that names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Confidence(u16);

impl Confidence {
    /// Certainty: 1.000.
    pub const ONE: Confidence = Confidence(1000);

    /// The nearest thousandth of `p`, clamped to 0..=1 (NaN counts as 0).
    pub fn from_probability(p: f64) -> Confidence {
        // A NaN stays NaN through `clamp`, and `as` makes it 0.
        Confidence((p * 1000.0).round().clamp(0.0, 1000.0) as u16)
    }

    /// `n` thousandths, if `n` is at most 1000.
    pub fn from_thousandths(n: u16) -> Option<Confidence> {
        (n <= 1000).then_some(Confidence(n))
    }

    /// The confidence in thousandths (0 to 1000).
    pub fn thousandths(self) -> u16 {
        self.0
    }

    /// The probability (0.0 to 1.0).
    pub fn get(self) -> f64 {
        f64::from(self.0) / 1000.0
    }

    /// The least confidence at or above the number `text` (from 0 to 1): what a threshold such as
    /// `--min-confidence 0.9` keeps. A number between two thousandths keeps the higher one (0.8734 → 0.874), so that
    /// a confidence passes exactly when it is at or above the number written.
    pub fn threshold(text: &str) -> Result<Confidence, String> {
        let x = text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| (0.0..=1.0).contains(x))
            .ok_or_else(|| format!("'{text}' is not a number from 0 to 1"))?;
        let c = Confidence::from_probability(x);
        // Below 1: a rounded-down thousandth has a next one.
        Ok(if c.get() < x { Confidence(c.0 + 1) } else { c })
    }

    /// How the spool's runs and the query index store an optional confidence: its thousandths, `u16::MAX` for none.
    pub(crate) fn pack(c: Option<Confidence>) -> u16 {
        c.map_or(u16::MAX, |c| c.0)
    }

    /// What [`Confidence::pack`] wrote; `None` for a number it cannot have written.
    pub(crate) fn unpack(bits: u16) -> Option<Option<Confidence>> {
        match bits {
            u16::MAX => Some(None),
            n => Confidence::from_thousandths(n).map(Some),
        }
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:03}", self.0 / 1000, self.0 % 1000)
    }
}

impl Serialize for Confidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // k / 1000 is the double nearest to the decimal 0.k, so the shortest decimal that reads back is that one.
        s.serialize_f64(self.get())
    }
}

impl<'de> Deserialize<'de> for Confidence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Confidence, D::Error> {
        struct Number;
        impl serde::de::Visitor<'_> for Number {
            type Value = Confidence;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a confidence: a number from 0 to 1")
            }
            fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<Confidence, E> {
                if !(0.0..=1.0).contains(&x) {
                    return Err(E::custom(format!("confidence {x} is not a number from 0 to 1")));
                }
                Ok(Confidence::from_probability(x))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Confidence, E> {
                match n {
                    0 | 1 => Ok(Confidence(n as u16 * 1000)),
                    _ => Err(E::custom(format!("confidence {n} is not a number from 0 to 1"))),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Confidence, E> {
                match u64::try_from(n) {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom(format!("confidence {n} is not a number from 0 to 1"))),
                }
            }
        }
        d.deserialize_any(Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_rounds_clamps_and_shows_three_decimals() {
        let table: &[(f64, u16, &str)] = &[
            (0.873, 873, "0.873"),
            (0.8734, 873, "0.873"),
            (0.87351, 874, "0.874"),
            (0.5, 500, "0.500"),
            (1.0, 1000, "1.000"),
            (0.0, 0, "0.000"),
            (0.0004, 0, "0.000"),
            (0.0005, 1, "0.001"),
            (1.7, 1000, "1.000"),
            (-0.2, 0, "0.000"),
            (f64::NAN, 0, "0.000"),
            (f64::INFINITY, 1000, "1.000"),
        ];
        for &(p, thousandths, shown) in table {
            let c = Confidence::from_probability(p);
            assert_eq!((c.thousandths(), c.to_string().as_str()), (thousandths, shown), "{p}");
        }
        assert!(Confidence::from_probability(0.2) < Confidence::from_probability(0.21));
        assert_eq!(Confidence::from_thousandths(1001), None);
        assert_eq!(Confidence::from_thousandths(1000), Some(Confidence::ONE));
        // None sorts below any confidence, so `max` over options is the highest present.
        assert_eq!(None.max(Some(Confidence(0))), Some(Confidence(0)));
    }

    #[test]
    fn confidence_json_is_a_number_with_at_most_three_decimals() {
        let table: &[(u16, &str)] =
            &[(873, "0.873"), (500, "0.5"), (1000, "1.0"), (0, "0.0"), (1, "0.001"), (10, "0.01")];
        for &(n, json) in table {
            assert_eq!(serde_json::to_string(&Confidence(n)).unwrap(), json);
        }
        // Every confidence: a plain decimal of at most three decimals that reads back to itself.
        for n in 0..=1000 {
            let text = serde_json::to_string(&Confidence(n)).unwrap();
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 3 && !text.contains('e'), "{n}: {text}");
            assert_eq!(serde_json::from_str::<Confidence>(&text).unwrap(), Confidence(n), "{text}");
        }
    }

    /// Text read as a JSON confidence and as a threshold (`--min-confidence`): thousandths, or part of the error.
    #[test]
    fn confidences_and_thresholds_are_read_from_numbers_from_0_to_1() {
        type Read = Result<u16, &'static str>;
        let table: &[(&str, Read, Read)] = &[
            ("0.873", Ok(873), Ok(873)),
            // A threshold between two thousandths keeps the higher: 0.873 is below 0.8734.
            ("0.8734", Ok(873), Ok(874)),
            ("0.8726", Ok(873), Ok(873)),
            ("0.87351", Ok(874), Ok(874)),
            ("1", Ok(1000), Ok(1000)),
            ("0.9999", Ok(1000), Ok(1000)),
            ("0", Ok(0), Ok(0)),
            ("1e-3", Ok(1), Ok(1)),
            (" 0.9 ", Ok(900), Ok(900)),
            (".5", Err("expected value"), Ok(500)),
            ("1.5", Err("confidence 1.5 is not a number from 0 to 1"), Err("'1.5' is not a number from 0 to 1")),
            ("-0.1", Err("confidence -0.1 is not"), Err("'-0.1' is not")),
            ("2", Err("confidence 2 is not"), Err("'2' is not")),
            ("-1", Err("confidence -1 is not"), Err("'-1' is not")),
            ("\"high\"", Err("string \"high\", expected a confidence"), Err("'\"high\"' is not")),
            ("null", Err("null, expected a confidence"), Err("'null' is not")),
            ("NaN", Err("expected value"), Err("'NaN' is not")),
            ("", Err("EOF"), Err("'' is not")),
        ];
        let json = |text: &str| serde_json::from_str::<Confidence>(text).map_err(|e| e.to_string());
        for (text, as_json, as_threshold) in table {
            for (how, got, want) in
                [("JSON", json(text), as_json), ("threshold", Confidence::threshold(text), as_threshold)]
            {
                match (got, want) {
                    (Ok(got), Ok(want)) => assert_eq!(got.0, *want, "{text} as {how}"),
                    (Err(e), Err(want)) => assert!(e.contains(want), "{text} as {how}: {e}"),
                    (got, want) => panic!("{text:?} as {how}: {got:?}, expected {want:?}"),
                }
            }
        }
    }

    #[test]
    fn packing_keeps_none_apart_and_refuses_what_it_never_writes() {
        for c in [None, Some(Confidence(0)), Some(Confidence(873)), Some(Confidence::ONE)] {
            assert_eq!(Confidence::unpack(Confidence::pack(c)), Some(c));
        }
        assert_eq!(Confidence::unpack(1001), None);
    }
}

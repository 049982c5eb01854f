//! Explanations for debugging dictionaries and rules: for each sentence, every candidate mention, kept or
//! rejected with the reason, every edge with the rule that made it, and why triggered rules made no edge.

use std::io::{self, Write};
use std::ops::Range;

use crate::dict::Dictionary;
use crate::extract::mentions::{Matcher, Verdict};
use crate::extract::rules::RuleSet;
use crate::extract::{pairs, Doc, Extractor};
use crate::model::{Document, EntityId, Relation, Span, CO_OCCURS};

/// What happened to one candidate mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// A mention.
    Kept,
    /// Rejected: it cuts through this word of the segmentation.
    WordBoundary(String),
    /// Hidden by a longer (or earlier) overlapping entry, given as its surface text.
    Overlap(String),
    /// A weak alias in a document that names the entity no other way.
    WeakAlone,
    /// A city's generic short name (高新区, 市发改委) in a document that names neither the entity nor its city.
    LocalElsewhere,
    /// A short name several entities claim (given), and nothing in the document decides which it means.
    Ambiguous(Vec<String>),
    /// A name no dictionary lists, found by discovery with this kind of evidence (`suffix`, `title`).
    Discovered(&'static str),
}

/// One candidate mention.
#[derive(Clone, Debug)]
pub struct CandidateNote {
    /// The text matched (normalised).
    pub surface: String,
    /// The entity's canonical name.
    pub entity: String,
    /// The entity's type.
    pub kind: String,
    /// Character offsets in the original text.
    pub span: (usize, usize),
    /// Kept or why not.
    pub status: Status,
}

/// One sentence explained.
#[derive(Clone, Debug)]
pub struct SentenceNotes {
    /// 1-based sentence number in the document.
    pub number: usize,
    /// The sentence as written.
    pub text: String,
    /// Candidate mentions in text order.
    pub candidates: Vec<CandidateNote>,
    /// Typed edges made in this sentence (co-occurrence is left out).
    pub edges: Vec<Relation>,
    /// (rule name, reason) for rules whose trigger words occur but that made no edge.
    pub near_misses: Vec<(String, String)>,
}

/// A document explained, sentence by sentence (only sentences with candidates or triggered rules).
#[derive(Clone, Debug)]
pub struct Explanation {
    /// Document id.
    pub doc: String,
    /// Number of sentences in the document.
    pub sentences: usize,
    /// The sentences worth showing.
    pub notes: Vec<SentenceNotes>,
    /// The entities discovery found in the document (edges may refer to them).
    pub discovered: Vec<crate::model::Entity>,
}

/// Explains one document, with discovery of unlisted names on or off: the layers extraction adds to it, sentence
/// by sentence, in the order of the stages (mentions, then edges, then the rules that made none).
pub fn explain(
    dict: &Dictionary,
    matcher: &Matcher,
    rules: &RuleSet,
    discover: bool,
    source: &Document,
) -> Explanation {
    let doc = Extractor::new(dict, matcher, rules).discovering(discover).read(source);
    let mentions = mention_notes(matcher, &doc);
    let notes = (0..doc.sentences.len()).filter_map(|i| sentence_notes(rules, &doc, &mentions, i)).collect();
    Explanation { doc: source.id.clone(), sentences: doc.sentences.len(), notes, discovered: doc.discovered }
}

/// Every candidate mention of the document, kept or rejected, by normalised range: each the matcher considered,
/// each discovery added, and overlapping occurrences the matcher never had to consider.
fn mention_notes(matcher: &Matcher, doc: &Doc) -> Vec<(Range<usize>, EntityId, Status)> {
    let (norm, dict) = (&doc.norm, &doc.dict);
    let kept: Vec<(Range<usize>, EntityId)> = doc.mentions.iter().map(|m| (m.norm.clone(), m.entity)).collect();
    let mut notes: Vec<(Range<usize>, usize, Status)> = Vec::new();
    for c in matcher.candidates(&norm.text) {
        let status = match c.verdict {
            Verdict::Kept if kept.contains(&(c.range.clone(), c.entity)) => Status::Kept,
            Verdict::Kept => {
                let inside = |r: &Range<usize>| r.start <= c.range.start && c.range.end <= r.end && *r != c.range;
                match doc.discovered_at.iter().find(|(r, _)| inside(r)) {
                    Some((r, _)) => Status::Overlap(norm.text[r.clone()].to_string()),
                    None if c.local && !c.weak => Status::LocalElsewhere,
                    None => Status::WeakAlone,
                }
            }
            Verdict::WordBoundary(word) => Status::WordBoundary(word),
            Verdict::Ambiguous(rivals) => {
                Status::Ambiguous(rivals.iter().map(|&e| dict.entity(e).name.clone()).collect())
            }
        };
        notes.push((c.range, c.entity, status));
    }
    for (range, why) in &doc.discovered_at {
        if let Some(m) = doc.mentions.iter().find(|m| m.norm == *range) {
            notes.push((range.clone(), m.entity, Status::Discovered(why)));
        }
    }
    for (entity, range) in matcher.occurrences(&norm.text) {
        if notes.iter().any(|(r, e, _)| *r == range && *e == entity) {
            continue;
        }
        let by = notes
            .iter()
            .find(|(r, _, s)| *s == Status::Kept && r.start < range.end && range.start < r.end)
            .or_else(|| notes.iter().find(|(r, _, _)| r.start < range.end && range.start < r.end))
            .map(|(r, _, _)| norm.text[r.clone()].to_string())
            .unwrap_or_default();
        notes.push((range, entity, Status::Overlap(by)));
    }
    notes.sort_by_key(|(r, e, _)| (r.start, std::cmp::Reverse(r.end), *e));
    notes
}

/// One sentence explained: its candidate mentions, its typed edges, and why triggered rules made none; `None` for
/// a sentence with neither mentions nor triggered rules.
fn sentence_notes(
    rules: &RuleSet,
    doc: &Doc,
    mentions: &[(Range<usize>, EntityId, Status)],
    number: usize,
) -> Option<SentenceNotes> {
    let range = &doc.sentences[number].range;
    let text = doc.sentence_text(&doc.sentences[number]).to_string();
    let Span { start, end } = doc.span(range.clone());
    let candidates: Vec<CandidateNote> = mentions
        .iter()
        .filter(|(r, _, _)| range.start <= r.start && r.start < range.end)
        .map(|(r, e, status)| {
            let entity = doc.dict.entity(*e);
            let span = doc.span(r.clone());
            CandidateNote {
                surface: doc.norm.text[r.clone()].to_string(),
                entity: entity.name.clone(),
                kind: entity.kind.clone(),
                span: (span.start, span.end),
                status: status.clone(),
            }
        })
        .collect();
    let edges: Vec<Relation> = doc
        .relations
        .iter()
        .filter(|r| &*r.relation != CO_OCCURS && r.evidence.head.start >= start && r.evidence.head.end <= end)
        .filter(|r| *r.evidence.sentence == *text)
        .cloned()
        .collect();
    let near_misses: Vec<(String, String)> = pairs::near_misses(rules, doc, number)
        .into_iter()
        .map(|n| (rules.rules()[n.rule].name.to_string(), n.reason))
        .collect();
    (!candidates.is_empty() || !near_misses.is_empty()).then(|| SentenceNotes {
        number: number + 1,
        text,
        candidates,
        edges,
        near_misses,
    })
}

impl Explanation {
    /// Writes the explanation for people. With `grep`, only sentences containing that text are shown.
    pub fn write(&self, dict: &Dictionary, out: &mut dyn Write, grep: Option<&str>) -> io::Result<()> {
        let dict = &dict.with_discovered(&self.discovered);
        let shown: Vec<&SentenceNotes> =
            self.notes.iter().filter(|n| grep.is_none_or(|g| n.text.contains(g))).collect();
        writeln!(
            out,
            "{}: {} sentences, {} shown (those with candidate mentions or triggered rules)",
            self.doc,
            self.sentences,
            shown.len()
        )?;
        for n in shown {
            writeln!(out)?;
            writeln!(out, "sentence {}: {}", n.number, n.text.trim())?;
            for c in &n.candidates {
                let status = match &c.status {
                    Status::Kept => "kept".to_string(),
                    Status::Discovered(why) => format!("kept, discovered ({})", discovery_reason(why)),
                    Status::WordBoundary(w) => format!("rejected, word boundary: cuts through '{w}'"),
                    Status::Overlap(by) => format!("rejected, overlap: inside '{by}'"),
                    Status::WeakAlone => "rejected, weak alias: the document names the entity no other way".to_string(),
                    Status::LocalElsewhere => {
                        "rejected, local short name: the document names neither the entity nor its city".to_string()
                    }
                    Status::Ambiguous(rivals) => format!(
                        "rejected, ambiguous: could be {}; the document names none of them otherwise, nor a parent \
                         or region of just one",
                        rivals.join(" or ")
                    ),
                };
                let name = if c.surface == c.entity { String::new() } else { format!(" → {}", c.entity) };
                writeln!(out, "  mention  {}{name} ({}) [{}..{}]: {status}", c.surface, c.kind, c.span.0, c.span.1)?;
            }
            for e in &n.edges {
                let trigger = e.evidence.trigger.as_deref().map(|t| format!(", trigger '{t}'")).unwrap_or_default();
                writeln!(
                    out,
                    "  edge     {} -[{}]-> {}: rule {}{trigger}",
                    dict.entity(e.head).name,
                    e.relation,
                    dict.entity(e.tail).name,
                    e.evidence.rule
                )?;
            }
            for (rule, reason) in &n.near_misses {
                writeln!(out, "  no edge  {rule}: {reason}")?;
            }
        }
        Ok(())
    }
}

/// Why discovery took a name, for people.
fn discovery_reason(evidence: &str) -> &'static str {
    match evidence {
        "suffix" => "a name before a company, park or organization ending",
        "title" => "a surname-led name after a post, or in the list of names after it",
        "subject" => "a person's name opening a clause before a verb of official business (出席, 主持, 调研)",
        "list" => "an item of a list of named projects or companies (A、B等N个项目)",
        "before-project" => "a trade name and a trade word right before a project's name (诺盟化工 + 年产…项目)",
        "short form" => "the short form of a company named in full in this document",
        "own zone" => "a bare zone word (高新区) in an article about one city: that city's zone",
        _ => "a Chinese name pattern",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explain_text(text: &str) -> String {
        let dict = Dictionary::builtin().unwrap();
        let matcher = Matcher::new(&dict).unwrap();
        let rules = RuleSet::builtin().unwrap();
        let e = explain(&dict, &matcher, &rules, true, &Document::new("t", text));
        let mut out = Vec::new();
        e.write(&dict, &mut out, None).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn explains_mentions_edges_and_near_misses() {
        let table: &[(&str, &[&str])] = &[
            (
                "潍坊市委书记到青啤数字化工厂调研,青啤数字化工厂落户奎文区。",
                &[
                    "mention  潍坊市 (district) [0..3]: rejected, word boundary: cuts through '市委书记'",
                    "mention  潍坊 → 潍坊市 (district) [0..2]: kept",
                    "edge     青啤数字化工厂 -[located-in]-> 奎文区: rule located-in/settles-in, trigger '落户'",
                    "no edge  leads/org-title-person: type: 青啤数字化工厂 is a park, and {head} takes official",
                ],
            ),
            ("苏州市山东商会潍坊商会成立。", &["mention  潍坊 → 潍坊市 (district) [7..9]: rejected, overlap: inside '苏州市山东商会潍坊商会'"]),
            ("歌尔股份有限公司洽谈落户奎文区。", &["no edge  located-in/settles-in: cancelled by 洽谈"]),
            (
                "歌尔股份有限公司签约落户奎文区。",
                &["edge     歌尔股份有限公司 -[located-in]-> 奎文区: rule located-in/settles-in, trigger '签约落户'"],
            ),
            ("潍坊市落户奎文区。", &["no edge  located-in/settles-in: type: 潍坊市 is a district, and {head} takes company or park or organization"]),
            (
                "产业园在保税建成。",
                &["mention  保税 → 潍坊综合保税区 (district) [4..6]: rejected, weak alias: the document names the entity no other way"],
            ),
            (
                "兖州区获批省级高新区。",
                &["mention  高新区 → 潍坊高新技术产业开发区 (district) [7..10]: rejected, local short name: the document names neither the entity nor its city"],
            ),
        ];
        for (text, want) in table {
            let got = explain_text(text);
            for line in *want {
                assert!(got.contains(line), "{text}: missing {line:?} in\n{got}");
            }
        }
    }
}

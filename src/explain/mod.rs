//! Explanations for debugging dictionaries, rules and the model: the layers extraction adds to a document, in the
//! order of its stages. First the document's context (its place); then, sentence by sentence, every candidate
//! mention, kept or rejected with the reason (with the tagger's confidence in a name it found), every edge with the
//! rule that made it and, with the model, its probability and the features that weighed most, and why rules
//! whose trigger words occur, and pairs the scorer kept below its threshold, made no edge. `write.rs` prints it.

mod write;

use std::ops::Range;

use crate::extract::mentions::{Matcher, Verdict};
use crate::extract::rules::RuleSet;
use crate::extract::scorer::stage::Decision;
use crate::extract::{pairs, Doc, Extractor};
use crate::model::{Document, EntityId, Relation, Span, CO_OCCURS};
use crate::pipeline::Pipeline;

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
    /// The tagger's confidence in a name it found.
    pub confidence: Option<f32>,
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
    /// Typed edges made in this sentence (co-occurrence is left out), each with the scorer's decision when the model
    /// made it.
    pub edges: Vec<(Relation, Option<Decision>)>,
    /// With the model: pairs of this sentence it scored below their threshold, most probable first (at most five).
    pub rejected: Vec<Decision>,
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
    /// The document's place and where it was read (`title`, `dateline` …), if anything decides it.
    pub place: Option<(String, String)>,
}

/// Explains one document as a pipeline reads it (its dictionaries, rules, discovery and model).
pub fn explain(pipeline: &Pipeline, source: &Document) -> Explanation {
    explain_with(&pipeline.extractor(), source)
}

/// Explains one document as an extractor reads it.
pub fn explain_with(extractor: &Extractor, source: &Document) -> Explanation {
    let doc = extractor.clone().explaining(true).read(source);
    let rules = extractor.rules();
    let mentions = mention_notes(extractor.matcher(), &doc);
    let notes = (0..doc.sentences.len()).filter_map(|i| sentence_notes(rules, &doc, &mentions, i)).collect();
    let place = doc.context.place.as_ref().map(|p| {
        let name = doc.dict.entity(p.entity).name.clone();
        // The place the user gave (--place, a record's place) that the self-reference was read as.
        let given = doc.source.meta.get("place").is_some_and(|g| doc.dict.lookup(g) == Some(p.entity));
        let source = p.source.name().to_string();
        (name, if given { format!("{source}, read as the place given with --place") } else { source })
    });
    Explanation { doc: source.id.clone(), sentences: doc.sentences.len(), notes, discovered: doc.discovered, place }
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
            let tagged = doc.tagged.iter().find(|(t, _)| t == r).map(|(_, c)| *c);
            CandidateNote {
                surface: doc.norm.text[r.clone()].to_string(),
                confidence: tagged.filter(|_| matches!(status, Status::Discovered(_))),
                entity: entity.name.clone(),
                kind: entity.kind.clone(),
                span: (span.start, span.end),
                status: status.clone(),
            }
        })
        .collect();
    let decision = |r: &Relation| {
        doc.decisions
            .iter()
            .find(|d| (d.head, d.relation, d.tail, d.sentence) == (r.head, &*r.relation, r.tail, number))
            .or_else(|| doc.decisions.iter().find(|d| (d.head, d.relation, d.tail) == (r.head, &*r.relation, r.tail)))
            .cloned()
    };
    let edges: Vec<(Relation, Option<Decision>)> = doc
        .relations
        .iter()
        .filter(|r| &*r.relation != CO_OCCURS && r.evidence.head.start >= start && r.evidence.head.end <= end)
        .filter(|r| *r.evidence.sentence == *text)
        .map(|r| (r.clone(), decision(r)))
        .collect();
    let mut rejected: Vec<Decision> = doc
        .decisions
        .iter()
        .filter(|d| d.sentence == number && d.unlearned_rule.is_none())
        .filter(|d| d.probability < d.threshold && d.probability >= d.threshold / 2.0)
        .cloned()
        .collect();
    rejected.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    rejected.truncate(5);
    let near_misses: Vec<(String, String)> = pairs::near_misses(rules, doc, number)
        .into_iter()
        .map(|n| (rules.rules()[n.rule].name.to_string(), n.reason))
        .collect();
    (!candidates.is_empty() || !near_misses.is_empty()).then(|| SentenceNotes {
        number: number + 1,
        text,
        candidates,
        edges,
        rejected,
        near_misses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::Dictionary;

    fn explain_text(text: &str) -> String {
        let dict = Dictionary::builtin().unwrap();
        let matcher = Matcher::new(&dict).unwrap();
        let rules = RuleSet::builtin().unwrap();
        let extractor = Extractor::new(&dict, &matcher, &rules).discovering(true);
        let e = explain_with(&extractor, &Document::new("t", text));
        let mut out = Vec::new();
        e.write(&dict, &mut out, None).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn explains_mentions_edges_and_near_misses() {
        let table: &[(&str, &[&str])] = &[
            (
                "海勃湾区委书记到青啤数字化工厂调研,青啤数字化工厂落户奎文区。",
                &[
                    // 区委书记 after a district's name is the district's own post, no cut through a word.
                    "mention  海勃湾区 (district) [0..4]: kept",
                    "edge     青啤数字化工厂 -[located-in]-> 奎文区: rule located-in/settles-in, trigger '落户'",
                    "no edge  leads/org-title-person: type: 青啤数字化工厂 is a park, and {head} takes official",
                ],
            ),
            (
                // Where the name without its level character is listed too, that form is found and the rules see
                // the whole post (市委书记).
                "潍坊市委书记到园区调研。",
                &["mention  潍坊 → 潍坊市 (district) [0..2]: kept"],
            ),
            ("高密度纤维板项目落户奎文区。", &["mention  高密 → 高密市 (district) [0..2]: rejected, word boundary: cuts through '高密度'"]),
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

//! Suggesting dictionary entries: names in the texts that no dictionary holds, with a guessed type and the evidence
//! for them, ranked, and written as dictionary CSV ready to review and append.
//!
//! Candidates come from [`crate::extract::discover`], the same mechanism that finds unlisted names during extraction, with
//! all its kinds of evidence (suffixes, titles, part of speech, edges of known entities); here they are tallied over
//! the corpus and ranked.

use std::collections::{BTreeMap, BTreeSet};

use crate::dict::Dictionary;
use crate::extract::discover::{self, Found};
use crate::extract::mentions::Matcher;
use crate::model::Document;
use crate::read::text::{self, normalize_name, NormText};

/// One suggested entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The name to add (for an alias, the known entity's canonical name).
    pub name: String,
    /// The guessed type.
    pub kind: String,
    /// For a new alias of a known entity, the alias.
    pub alias: Option<String>,
    /// How often it occurs.
    pub frequency: usize,
    /// In how many documents.
    pub documents: usize,
    /// The kinds of evidence seen (`suffix`, `title`, `pos`, `boundary`).
    pub evidence: BTreeSet<&'static str>,
    /// The first sentence it occurs in.
    pub example: String,
    /// The rank score: frequency, documents and kinds of evidence.
    pub score: f64,
}

#[derive(Default)]
struct Tally {
    frequency: usize,
    documents: BTreeSet<String>,
    evidence: BTreeSet<&'static str>,
    example: String,
    alias_of: Option<String>,
}

/// Collects suggestions over documents.
pub struct Suggester<'a> {
    dict: &'a Dictionary,
    matcher: &'a Matcher,
    /// (name, type) → what was seen.
    seen: BTreeMap<(String, String), Tally>,
}

impl<'a> Suggester<'a> {
    /// A suggester for names `dict` does not know.
    pub fn new(dict: &'a Dictionary, matcher: &'a Matcher) -> Self {
        Suggester { dict, matcher, seen: BTreeMap::new() }
    }

    /// Reads one document.
    pub fn add_document(&mut self, doc: &Document) {
        let norm = NormText::new(&doc.text);
        let known = self.matcher.find(&norm.text);
        let ranges: Vec<_> = known.iter().map(|(_, r)| r.clone()).collect();
        for sentence in text::sentences(&norm, &ranges) {
            let found = discover::sentence_candidates(self.dict, self.matcher, &norm, &known, sentence.clone());
            // A name inside a longer strong one of the sentence is a part of it (潍坊科技 in 潍坊科技中学); names
            // extraction would not accept (unbalanced brackets, slogans) are not proposed either.
            let strong: Vec<std::ops::Range<usize>> =
                found.iter().filter(|f| discover::is_strong(f) && f.alias.is_none()).map(|f| f.range.clone()).collect();
            let found: Vec<Found> = found
                .into_iter()
                .filter(|f| {
                    f.alias.is_some()
                        || (discover::acceptable(f)
                            && !strong
                                .iter()
                                .any(|r| *r != f.range && r.start <= f.range.start && f.range.end <= r.end))
                })
                .collect();
            let sentence_text = doc.text[norm.range_to_original(&doc.text, sentence.clone())].trim().to_string();
            for Found { name, evidence, kind, alias, .. } in found {
                let name = normalize_name(&name);
                let known_name = match &alias {
                    None => self.dict.lookup(&name).is_some(),
                    Some(a) => self.dict.lookup(a).is_some(),
                };
                // Projects belong to one article more than to a dictionary, and their descriptions are many: they
                // are discovered during extraction, not suggested.
                if known_name || name.ends_with("项目") {
                    continue;
                }
                // Another form of a known entity (江华县 for 江华瑶族自治县) is proposed as its alias.
                let variant =
                    alias.is_none().then(|| self.dict.variant_of(&name)).flatten().map(|e| self.dict.entity(e));
                let kind = variant.map_or(kind, |e| e.kind.as_str());
                let (name, alias) = match variant {
                    Some(e) => (e.name.clone(), Some(name)),
                    None => (name, alias),
                };
                let key = (alias.clone().unwrap_or_else(|| name.clone()), kind.to_string());
                let tally = self.seen.entry(key).or_default();
                tally.frequency += 1;
                tally.documents.insert(doc.id.clone());
                tally.evidence.insert(evidence);
                if tally.example.is_empty() {
                    tally.example.clone_from(&sentence_text);
                }
                if alias.is_some() {
                    tally.alias_of = Some(name);
                }
            }
        }
    }

    /// The suggestions, best first.
    pub fn suggestions(&self) -> Vec<Suggestion> {
        let mut all: Vec<Suggestion> = self
            .seen
            .iter()
            .map(|((name, kind), t)| {
                // A loose suffix name (a verb or generic word inside) counts as little as a part of speech.
                let strong = t.evidence.iter().filter(|e| !matches!(**e, "pos" | "suffix-loose")).count() as f64;
                let weak = t.evidence.iter().filter(|e| matches!(**e, "pos" | "suffix-loose")).count().min(1) as f64;
                let long = if name.chars().count() > 16 { 2.0 } else { 0.0 };
                let score = t.frequency as f64 + 2.0 * t.documents.len() as f64 + 3.0 * strong + weak - long;
                let (name, alias) = match &t.alias_of {
                    Some(canonical) => (canonical.clone(), Some(name.clone())),
                    None => (name.clone(), None),
                };
                Suggestion {
                    name,
                    kind: kind.clone(),
                    alias,
                    frequency: t.frequency,
                    documents: t.documents.len(),
                    evidence: t.evidence.clone(),
                    example: t.example.clone(),
                    score,
                }
            })
            .collect();
        all.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| (&a.name, &a.alias).cmp(&(&b.name, &b.alias))));
        let mut seen = BTreeSet::new();
        all.retain(|s| seen.insert((s.name.clone(), s.alias.clone())));
        all
    }
}

/// Writes suggestions as dictionary CSV: `name,type,aliases,note`, the note holding the evidence.
pub fn write_csv(out: &mut dyn std::io::Write, suggestions: &[Suggestion]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["name", "type", "aliases", "note"])?;
    for s in suggestions {
        let evidence: Vec<&str> = s.evidence.iter().copied().collect();
        let note = format!(
            "{}score {:.0}; {} times in {} document{}; {}; e.g. {}",
            if s.alias.is_some() { "new alias; " } else { "" },
            s.score,
            s.frequency,
            s.documents,
            if s.documents == 1 { "" } else { "s" },
            evidence.join("+"),
            s.example.chars().take(80).collect::<String>()
        );
        w.write_record([&s.name, &s.kind, s.alias.as_deref().unwrap_or(""), &note])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggest(known: &str, text: &str) -> Vec<Suggestion> {
        let mut dict = Dictionary::empty();
        dict.load_bytes(format!("name,type,aliases\n{known}").as_bytes(), "t.csv", true).unwrap();
        let matcher = Matcher::new(&dict).unwrap();
        let mut s = Suggester::new(&dict, &matcher);
        s.add_document(&Document::new("d", text));
        s.suggestions()
    }

    fn has(s: &[Suggestion], name: &str, kind: &str) -> bool {
        s.iter().any(|x| x.name == name && x.kind == kind && x.alias.is_none())
    }

    #[test]
    fn suggests_names_from_suffixes_titles_and_known_edges() {
        let s = suggest(
            "德纳,company,\n",
            "山东星河电子有限公司落户奎文区。星河电子有限公司董事长张明表示,德纳电机订单充足。",
        );
        assert!(has(&s, "山东星河电子有限公司", "company"), "{s:#?}");
        assert!(has(&s, "张明", "official"), "{s:#?}");
        assert!(s.iter().any(|x| x.name == "德纳" && x.alias.as_deref() == Some("德纳电机")), "{s:#?}");
        // Known names are never suggested again.
        assert!(!s.iter().any(|x| x.name == "德纳" && x.alias.is_none()));
    }

    #[test]
    fn known_places_may_stand_inside_a_name() {
        let s = suggest("安丘市,district,安丘\n", "王斌在家乡安丘建设苏州(安丘)科技产业园。");
        assert!(has(&s, "苏州(安丘)科技产业园", "park"), "{s:#?}");
    }

    #[test]
    fn generic_phrases_are_not_names() {
        let s = suggest("", "全区重点园区加快建设,企业集团发展良好,城市更新加快。");
        for generic in ["重点园区", "园区", "企业集团", "城市"] {
            assert!(!s.iter().any(|x| x.name == generic), "{generic}: {s:#?}");
        }
    }

    #[test]
    fn writes_dictionary_csv_that_loads_back() {
        let s = suggest("德纳,company,\n", "星河电子有限公司董事长张明表示,德纳电机订单充足。");
        let mut out = Vec::new();
        write_csv(&mut out, &s).unwrap();
        let mut d = Dictionary::empty();
        d.load_bytes(&out, "suggested.csv", true).unwrap();
        assert!(d.lookup("张明").is_some());
        assert!(d.lookup("德纳电机").is_some());
    }
}

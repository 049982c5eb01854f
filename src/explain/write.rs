//! Printing an explanation for people.

use std::io::{self, Write};

use super::{Explanation, SentenceNotes, Status};
use crate::dict::Dictionary;
use crate::extract::scorer::stage::Decision;

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
        if let Some((place, source)) = &self.place {
            writeln!(out, "context: the document's place is {place} (from its {source})")?;
        }
        for n in shown {
            writeln!(out)?;
            writeln!(out, "sentence {}: {}", n.number, n.text.trim())?;
            for c in &n.candidates {
                let status = match &c.status {
                    Status::Kept => "kept".to_string(),
                    Status::Discovered(why) => match c.confidence {
                        Some(p) => format!("kept, discovered ({}, confidence {p:.3})", discovery_reason(why)),
                        None => format!("kept, discovered ({})", discovery_reason(why)),
                    },
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
            write_edges(dict, n, out)?;
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
        "tagger" => "the trained tagger",
        _ => "a Chinese name pattern",
    }
}

/// A sentence's typed edges (with the scorer's probability and strongest features when the model made them), the
/// pairs the scorer kept just below their threshold, and the rules whose words occur but made no edge.
fn write_edges(dict: &Dictionary, n: &SentenceNotes, out: &mut dyn Write) -> io::Result<()> {
    let name = |e: usize| &dict.entity(e).name;
    for (e, decision) in &n.edges {
        let trigger = e.evidence.trigger.as_deref().map(|t| format!(", trigger '{t}'")).unwrap_or_default();
        let scored = decision.as_ref().map(|d| format!(", {}", scored(d))).unwrap_or_default();
        let (head, tail, rule) = (name(e.head), name(e.tail), &e.evidence.rule);
        writeln!(out, "  edge     {head} -[{}]-> {tail}: rule {rule}{trigger}{scored}", e.relation)?;
    }
    for d in &n.rejected {
        writeln!(out, "  no edge  {} -[{}]-> {}: {}", name(d.head), d.relation, name(d.tail), scored(d))?;
    }
    for (rule, reason) in &n.near_misses {
        writeln!(out, "  no edge  {rule}: {reason}")?;
    }
    Ok(())
}

/// A decision for people: its probability against the threshold, and the features that weighed most.
fn scored(d: &Decision) -> String {
    let sign = if d.probability >= d.threshold { "≥" } else { "<" };
    let features: Vec<String> = d.top.iter().take(5).map(|(f, w)| format!("{f} {w:+.2}")).collect();
    let trusted = match &d.unlearned_rule {
        Some(rule) => format!(" (kept whatever the score: the model never learned rule {rule})"),
        None => String::new(),
    };
    format!("scored {:.3} {sign} {:.3}{trusted}; {}", d.probability, d.threshold, features.join(" · "))
}

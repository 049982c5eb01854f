//! Writing a report: the misses and false positives, and the table of counts per relation.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{score, Counts, Report};

impl Report {
    /// Writes the report: with `errors` first every miss and false positive, then a table per relation (and a row
    /// for entities where the gold lists them), and as the last line `overall precision=P recall=R f1=F` (over the
    /// relations).
    pub fn write(&self, out: &mut dyn Write, errors: bool) -> io::Result<()> {
        if errors {
            self.write_errors(out)?;
        }
        write_table(out, &self.relations, self.entities, &self.entity_types)
    }

    /// Every miss and false positive, with its sentence and the rule that fired (or the nearest that did not).
    pub fn write_errors(&self, out: &mut dyn Write) -> io::Result<()> {
        for (title, items, label) in
            [("missed", &self.misses, "nearest rule"), ("false positive", &self.false_positives, "rule")]
        {
            for i in items {
                writeln!(out, "{title}: {} {} -> {} [{}]", i.head, i.relation, i.tail, i.doc)?;
                writeln!(out, "    {}", i.note.trim())?;
                if !i.rule.is_empty() {
                    writeln!(out, "    {label}: {}", i.rule)?;
                }
            }
        }
        for e in &self.entity_errors {
            writeln!(out, "{e}")?;
        }
        if !self.misses.is_empty() || !self.false_positives.is_empty() || !self.entity_errors.is_empty() {
            writeln!(out)?;
        }
        Ok(())
    }
}

/// A table of counts per relation, a row per entity type (`(company)` …) and one for all entities (`(entities)`) if
/// they were scored, and as its last line `overall precision=P recall=R f1=F` over the relations (`–` where nothing
/// was predicted or required).
pub fn write_table(
    out: &mut dyn Write,
    relations: &BTreeMap<String, Counts>,
    entities: Option<Counts>,
    entity_types: &BTreeMap<String, Counts>,
) -> io::Result<()> {
    let row = |out: &mut dyn Write, label: &str, c: &Counts| {
        let (p, r, f) = (score(c.precision()), score(c.recall()), score(c.f1()));
        writeln!(out, "{label:<14} {:>4} {:>4} {:>4} {p:>9} {r:>7} {f:>7}", c.tp, c.fp, c.fn_)
    };
    writeln!(
        out,
        "{:<14} {:>4} {:>4} {:>4} {:>9} {:>7} {:>7}",
        "relation", "tp", "fp", "fn", "precision", "recall", "f1"
    )?;
    let mut all = Counts::default();
    for (relation, c) in relations {
        all += *c;
        row(out, relation, c)?;
    }
    for (kind, c) in entity_types {
        row(out, &format!("({kind})"), c)?;
    }
    if let Some(c) = entities {
        row(out, "(entities)", &c)?;
    }
    writeln!(out, "overall precision={} recall={} f1={}", score(all.precision()), score(all.recall()), score(all.f1()))
}

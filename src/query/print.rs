//! Terminal output of the query commands: aligned tables (Chinese characters count two columns) and readable
//! cards. Machine-readable output is the query types serialised as JSON. Confidences are shown where an edge or an
//! entity has one (`0.873`); without any, the output is as it was before confidences existed.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::graph::Graph;
use crate::query::{Card, Direction, Hop, Neighbor, Stats};

/// Whether a character could steer a terminal or disguise text: C0 controls other than tab and newline (ESC starts
/// escape sequences, CR rewrites a line), DEL, C1 controls (U+009B is a CSI, U+009D an OSC), and the bidirectional
/// overrides and isolates that reorder what is shown.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Text with every character that could steer a terminal written as a visible escape (`\u{1b}`).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(is_unsafe_for_terminal) {
        return s.into();
    }
    s.chars()
        .map(|c| if is_unsafe_for_terminal(c) { c.escape_unicode().to_string() } else { c.to_string() })
        .collect::<String>()
        .into()
}

/// A writer for text meant to be read by people: control characters and bidirectional overrides that came in with
/// scraped text, ids or titles are written as visible escapes (see [`printable`]), so that a hostile page cannot
/// clear the screen, retitle the window or fake output. Text is passed through whole characters at a time.
pub struct Printable<W: Write> {
    inner: W,
    /// The start of a UTF-8 character cut off at the end of the last write.
    pending: Vec<u8>,
}

impl<W: Write> Printable<W> {
    /// Wraps a writer.
    pub fn new(inner: W) -> Self {
        Printable { inner, pending: Vec::new() }
    }
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            // A character cut in two waits for its end; bytes that are not UTF-8 at all pass through as they are.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => {
                let bytes = std::mem::take(&mut self.pending);
                self.inner.write_all(&bytes)?;
                return Ok(buf.len());
            }
        };
        let rest = self.pending.split_off(valid);
        let text = std::mem::replace(&mut self.pending, rest);
        // Checked above: the first `valid` bytes are UTF-8.
        let text = String::from_utf8(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        self.inner.write_all(printable(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let bytes = std::mem::take(&mut self.pending);
        self.inner.write_all(&bytes)?;
        self.inner.flush()
    }
}

/// "1 edge", "2 edges", "1 entity", "3 entities".
pub fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// How evidence names its document: the id, then the title and date where the input gave them.
pub fn doc_label(graph: &Graph, id: &str) -> String {
    let mut parts = vec![id.to_string()];
    if let Some(info) = graph.document(id) {
        parts.extend(["title", "date"].iter().filter_map(|k| info.meta.get(*k).cloned()));
    }
    parts.join(" · ")
}

/// Writes rows as a table whose columns are aligned by display width; the last column is not padded.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |out: &mut dyn Write, cells: Vec<&str>| -> io::Result<()> {
        let last = cells.len().saturating_sub(1);
        let mut text = String::new();
        for (i, cell) in cells.into_iter().enumerate() {
            text.push_str(cell);
            if i < last {
                text.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, header.to_vec())?;
    for row in rows {
        line(out, row.iter().map(String::as_str).collect())?;
    }
    Ok(())
}

/// The neighbours table; with a `confidence` column after the weight when any row has one (`-` for those
/// without).
pub fn neighbors(out: &mut dyn Write, rows: &[Neighbor]) -> io::Result<()> {
    let scored = rows.iter().any(|r| r.confidence.is_some());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.entity.clone(),
                r.kind.clone(),
                r.relation.clone(),
                r.direction.as_str().to_string(),
                r.weight.to_string(),
                r.depth.to_string(),
                r.via.clone(),
            ];
            if scored {
                row.insert(5, r.confidence.map_or_else(|| "-".to_string(), |c| c.to_string()));
            }
            row
        })
        .collect();
    let mut header = vec!["entity", "type", "relation", "direction", "weight", "depth", "via"];
    if scored {
        header.insert(5, "confidence");
    }
    table(out, &header, &cells)
}

/// `, confidence 0.873` for something that has one, nothing otherwise.
fn confidence_note(confidence: Option<crate::model::Confidence>) -> String {
    confidence.map(|c| format!(", confidence {c}")).unwrap_or_default()
}

/// `A -[rel]-> B`, `A <-[rel]- B` or `A -[rel]- B`.
pub fn arrow(from: &str, relation: &str, direction: Direction, to: &str) -> String {
    match direction {
        Direction::Out => format!("{from} -[{relation}]-> {to}"),
        Direction::In => format!("{from} <-[{relation}]- {to}"),
        Direction::Both => format!("{from} -[{relation}]- {to}"),
    }
}

/// Shortest paths, one hop a line with its evidence.
pub fn paths(out: &mut dyn Write, graph: &Graph, from: &str, to: &str, paths: &[Vec<Hop>]) -> io::Result<()> {
    let hops = paths.first().map_or(0, Vec::len);
    writeln!(
        out,
        "{from} → {to}: {} shortest path{} of {hops} hop{}",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" },
        if hops == 1 { "" } else { "s" }
    )?;
    for (i, path) in paths.iter().enumerate() {
        writeln!(out, "path {}:", i + 1)?;
        for hop in path {
            let (hop_arrow, note) =
                (arrow(&hop.from, &hop.relation, hop.direction, &hop.to), confidence_note(hop.confidence));
            writeln!(out, "  {hop_arrow} (weight {}{note})", hop.weight)?;
            if let Some(ev) = &hop.evidence {
                writeln!(out, "      {} [{}]", ev.sentence.trim(), doc_label(graph, &ev.doc))?;
            }
        }
    }
    Ok(())
}

/// An entity card.
pub fn card(out: &mut dyn Write, graph: &Graph, card: &Card) -> io::Result<()> {
    let node = &card.entity;
    writeln!(out, "{} ({})", node.name, node.kind)?;
    if !node.aliases.is_empty() {
        writeln!(out, "  aliases:   {}", node.aliases.join(" | "))?;
    }
    if let Some(p) = &node.parent {
        writeln!(out, "  parent:    {p}")?;
    }
    if let Some(t) = &node.title {
        writeln!(out, "  title:     {t}")?;
    }
    writeln!(
        out,
        "  mentions:  {} in {} document{}",
        node.mentions,
        node.documents,
        if node.documents == 1 { "" } else { "s" }
    )?;
    if let Some(c) = node.confidence {
        writeln!(out, "  confidence: {c}")?;
    }
    if !card.evidence_documents.is_empty() {
        writeln!(out, "  evidence:  {}", card.evidence_documents.join(", "))?;
    }
    // Typed relations first, co-occurrence last.
    let mut groups: Vec<(&String, &Vec<crate::query::CardEdge>)> = card.edges.iter().collect();
    groups.sort_by_key(|(r, _)| (r.as_str() == crate::model::CO_OCCURS, r.as_str()));
    for (relation, edges) in groups {
        writeln!(out)?;
        writeln!(out, "{relation} ({})", edges.len())?;
        for e in edges {
            let title = e.title.as_deref().map(|t| format!(", {t}")).unwrap_or_default();
            let seen = e.time.as_ref().map(|t| format!(", {}", seen(t))).unwrap_or_default();
            writeln!(
                out,
                "  {} (weight {}{}{title}{seen})",
                arrow(&node.name, relation, e.direction, &e.entity),
                e.weight,
                confidence_note(e.confidence)
            )?;
            if let Some(ev) = e.evidence.first() {
                writeln!(out, "      {} [{}]", ev.sentence.trim(), doc_label(graph, &ev.doc))?;
            }
        }
    }
    Ok(())
}

/// When an edge was seen: `2023-05-02` or `2023-05-02 – 2024-01-10`.
pub fn seen(t: &crate::graph::timing::Timing) -> String {
    if t.first == t.last {
        t.first.to_string()
    } else {
        format!("{} – {}", t.first, t.last)
    }
}

/// Graph statistics.
pub fn stats(out: &mut dyn Write, s: &Stats) -> io::Result<()> {
    writeln!(out, "{}, {}, {}", count(s.documents, "document"), count(s.entities, "entity"), count(s.edges, "edge"))?;
    writeln!(out)?;
    let types: Vec<Vec<String>> = s.types.iter().map(|(t, n)| vec![t.clone(), n.to_string()]).collect();
    table(out, &["type", "entities"], &types)?;
    writeln!(out)?;
    let relations: Vec<Vec<String>> = s.relations.iter().map(|(r, n)| vec![r.clone(), n.to_string()]).collect();
    table(out, &["relation", "edges"], &relations)?;
    writeln!(out)?;
    let top: Vec<Vec<String>> = s
        .top
        .iter()
        .map(|c| {
            vec![
                c.entity.clone(),
                c.kind.clone(),
                c.neighbours.to_string(),
                c.typed_edges.to_string(),
                c.mentions.to_string(),
            ]
        })
        .collect();
    table(out, &["most connected", "type", "neighbours", "typed edges", "mentions"], &top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_written_as_visible_escapes_even_when_cut_between_writes() {
        let table = [
            ("潍坊\u{1b}[2J市", "潍坊\\u{1b}[2J市"),
            ("a\u{1b}]0;owned\u{7}b", "a\\u{1b}]0;owned\\u{7}b"),
            ("c\u{9b}31md\r", "c\\u{9b}31md\\u{d}"),
            ("e\u{202e}fig.exe", "e\\u{202e}fig.exe"),
            ("tab\tand\nnewline stay, 奎文区 too", "tab\tand\nnewline stay, 奎文区 too"),
        ];
        for (input, want) in table {
            for cut in 0..=input.len() {
                let mut out = Printable::new(Vec::new());
                out.write_all(&input.as_bytes()[..cut]).unwrap();
                out.write_all(&input.as_bytes()[cut..]).unwrap();
                out.flush().unwrap();
                assert_eq!(String::from_utf8(out.inner).unwrap(), want, "{input:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn aligns_chinese_by_display_width() {
        let mut out = Vec::new();
        let rows = vec![vec!["潍坊市".to_string(), "district".to_string()], vec!["ABC".to_string(), "x".to_string()]];
        table(&mut out, &["entity", "type"], &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        // 潍坊市 is 6 columns wide, so the type column starts at column 8 on every line.
        assert_eq!(text, "entity  type\n潍坊市  district\nABC     x\n");
    }
}

//! Terminal output of the query commands: aligned tables (Chinese characters count two columns) and readable
//! cards. Machine-readable output is the query types serialised as JSON.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::graph::Graph;
use crate::query::{Card, Direction, Hop, Neighbor, Stats};

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

/// The neighbours table.
pub fn neighbors(out: &mut dyn Write, rows: &[Neighbor]) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.entity.clone(),
                r.kind.clone(),
                r.relation.clone(),
                r.direction.as_str().to_string(),
                r.weight.to_string(),
                r.depth.to_string(),
                r.via.clone(),
            ]
        })
        .collect();
    table(out, &["entity", "type", "relation", "direction", "weight", "depth", "via"], &cells)
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
            writeln!(out, "  {} (weight {})", arrow(&hop.from, &hop.relation, hop.direction, &hop.to), hop.weight)?;
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
            writeln!(out, "  {} (weight {}{title})", arrow(&node.name, relation, e.direction, &e.entity), e.weight)?;
            if let Some(ev) = e.evidence.first() {
                writeln!(out, "      {} [{}]", ev.sentence.trim(), doc_label(graph, &ev.doc))?;
            }
        }
    }
    Ok(())
}

/// Graph statistics.
pub fn stats(out: &mut dyn Write, s: &Stats) -> io::Result<()> {
    writeln!(out, "{} documents, {} entities, {} edges", s.documents, s.entities, s.edges)?;
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
        .map(|(name, kind, n, typed, mentions)| {
            vec![name.clone(), kind.clone(), n.to_string(), typed.to_string(), mentions.to_string()]
        })
        .collect();
    table(out, &["most connected", "type", "neighbours", "typed edges", "mentions"], &top)
}

#[cfg(test)]
mod tests {
    use super::*;

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

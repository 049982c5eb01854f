//! Neo4j bulk-import CSV: a directory (`-o graph.neo4j`) holding `nodes.csv` and `relationships.csv` with the
//! header syntax of `neo4j-admin database import`:
//!
//! ```text
//! id:ID,name,:LABEL,type,aliases:string[],parent,title,mentions:int,documents:int,source,confidence:float
//! :START_ID,:END_ID,:TYPE,relation,weight:double,directed:boolean,evidence,doc,rule,title,first:date,last:date,years,confidence:float
//! ```
//!
//! `confidence` (`0.873`) is the last column of both files, after the columns of earlier versions, so that an
//! import script that names columns by position still finds them; it is there in every export and empty where a
//! node or edge has none, which the importer reads as no property.
//!
//! Every node has the label `Entity` and its type capitalised (`Entity;Company`); relationship types are the
//! relation in upper snake case (`LOCATED_IN`). Lists use `;`, Neo4j's default array delimiter, so a `;` inside a
//! value becomes `；`.

use std::io::{self, Write};

use super::Exporter;
use crate::graph::Graph;

/// The file names inside a `.neo4j` directory.
pub const FILES: [&str; 2] = ["nodes.csv", "relationships.csv"];

/// Writes `nodes.csv`.
pub struct Nodes;

/// Writes `relationships.csv`.
pub struct Relationships;

/// A node label from an entity type: `company` → `Company`, `user-type` → `UserType`.
pub fn label(kind: &str) -> String {
    kind.split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// A relationship type from a relation: `located-in` → `LOCATED_IN`.
pub fn rel_type(relation: &str) -> String {
    let t: String = relation.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    if t.is_empty() {
        "RELATED".into()
    } else {
        t
    }
}

/// A value safe inside a `;`-delimited Neo4j array, without control characters.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\t').map(|c| if c == ';' { '；' } else { c }).collect()
}

impl Exporter for Nodes {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "id:ID",
            "name",
            ":LABEL",
            "type",
            "aliases:string[]",
            "parent",
            "title",
            "mentions:int",
            "documents:int",
            "source",
            "confidence:float",
        ])?;
        for (n, (_, node)) in graph.sorted_nodes().iter().enumerate() {
            let aliases: Vec<String> = node.aliases.iter().map(|a| clean(a)).collect();
            w.write_record([
                format!("n{n}"),
                clean(&node.name),
                format!("Entity;{}", label(&node.kind)),
                clean(&node.kind),
                aliases.join(";"),
                node.parent.as_deref().map(clean).unwrap_or_default(),
                node.title.as_deref().map(clean).unwrap_or_default(),
                node.mentions.to_string(),
                node.documents.to_string(),
                node.source().to_string(),
                node.confidence.map(|c| c.to_string()).unwrap_or_default(),
            ])?;
        }
        w.flush()
    }
}

impl Exporter for Relationships {
    fn export(&self, graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "relation",
            "weight:double",
            "directed:boolean",
            "evidence",
            "doc",
            "rule",
            "title",
            "first:date",
            "last:date",
            "years",
            "confidence:float",
        ])?;
        for sorted in graph.sorted_edges()? {
            let sorted = sorted?;
            let edge = &sorted.edge;
            let first = edge.evidence.first();
            w.write_record([
                format!("n{}", sorted.head_rank),
                format!("n{}", sorted.tail_rank),
                rel_type(&edge.relation),
                clean(&edge.relation),
                edge.weight.to_string(),
                edge.directed().to_string(),
                first.map(|e| clean(e.sentence.trim())).unwrap_or_default(),
                first.map(|e| clean(&e.doc)).unwrap_or_default(),
                first.map(|e| clean(&e.rule)).unwrap_or_default(),
                edge.title().map(clean).unwrap_or_default(),
                edge.time.as_ref().map(|t| t.first.to_string()).unwrap_or_default(),
                edge.time.as_ref().map(|t| t.last.to_string()).unwrap_or_default(),
                edge.time.as_ref().map(|t| t.years_text()).unwrap_or_default(),
                edge.confidence.map(|c| c.to_string()).unwrap_or_default(),
            ])?;
        }
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_labels_and_types() {
        let table =
            [("company", "Company"), ("organization", "Organization"), ("user-type", "UserType"), ("x_y2", "XY2")];
        for (kind, want) in table {
            assert_eq!(label(kind), want);
        }
        let table = [("located-in", "LOCATED_IN"), ("leads", "LEADS"), ("co-occurs", "CO_OCCURS"), ("", "RELATED")];
        for (relation, want) in table {
            assert_eq!(rel_type(relation), want);
        }
    }

    #[test]
    fn writes_the_fixture_graph() {
        let g = super::super::fixture::graph();
        let mut nodes = Vec::new();
        Nodes.export(&g, &mut nodes).unwrap();
        let nodes = String::from_utf8(nodes).unwrap();
        let mut lines = nodes.lines();
        assert_eq!(
            lines.next(),
            Some("id:ID,name,:LABEL,type,aliases:string[],parent,title,mentions:int,documents:int,source,confidence:float")
        );
        assert_eq!(lines.next(), Some("n0,\"A&B <\"\"公司\"\">\\x\",Entity;Company,company,a'b;c|d,,,1,1,dictionary,"));
        assert_eq!(lines.next(), Some("n1,安丘市,Entity;District,district,安丘,潍坊市,,2,1,dictionary,"));
        // The park stands for a discovered name, with a confidence.
        assert!(nodes.contains(",park,,,,1,1,discovered,0.912\n"), "{nodes}");
        let mut rels = Vec::new();
        Relationships.export(&g, &mut rels).unwrap();
        let rels = String::from_utf8(rels).unwrap();
        assert!(rels
            .starts_with(":START_ID,:END_ID,:TYPE,relation,weight:double,directed:boolean,evidence,doc,rule,title,first:date,last:date,years,confidence:float\n"));
        assert!(rels.contains("\nn2,n1,CO_OCCURS,co-occurs,2,false,"), "{rels}");
        assert!(rels.contains("\nn0,n2,LEADS,leads,1,true,"), "{rels}");
        // The last column: 0.873 on invests-in (王斌 n2 → the park n3), 0.500 on located-in, empty elsewhere.
        let last: Vec<(&str, &str)> =
            rels.lines().skip(1).map(|l| (&l[..l.find(',').unwrap()], l.rsplit(',').next().unwrap())).collect();
        assert_eq!(last, [("n0", ""), ("n2", ""), ("n2", "0.873"), ("n3", "0.500")], "{rels}");
    }
}

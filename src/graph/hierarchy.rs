//! The place hierarchy (`build --hierarchy`): the dictionaries' `parent` column as `located-in` edges, so that a
//! graph can be asked for everything under a place (东至县 → 池州市 → 安徽省).
//!
//! Each node whose entity has a parent in the dictionaries (officials excepted: an official's parent is the body
//! they serve) gets a `located-in` edge to it, and so does each parent up the chain, parents being added as nodes
//! where no document names them (with no mentions). The edges' evidence says where they come from: document
//! `dictionary`, rule `dictionary-parent`, and a sentence naming the dictionary file and line.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{Graph, Node};
use crate::dict::Dictionary;
use crate::model::{Evidence, Span};

/// The rule recorded on the edges.
pub const RULE: &str = "dictionary-parent";

/// Adds the parents of the graph's nodes as `located-in` edges; returns how many edges it added.
pub fn add(graph: &mut Graph, dict: &Dictionary) -> usize {
    let mut todo: Vec<String> = graph.sorted_nodes().iter().map(|(_, n)| n.name.clone()).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut added = 0;
    while let Some(name) = todo.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let Some(child) = dict.lookup(&name) else { continue };
        let entity = dict.entity(child);
        if entity.kind == "official" || entity.name != name {
            continue;
        }
        let Some(parent) = dict.parent(child) else { continue };
        let parent = dict.entity(parent);
        let (Some(head), tail) = (graph.node_index(&name), graph.add_node(Node::from_entity(parent))) else { continue };
        let sentence = format!("{} lies in {} ({})", entity.name, parent.name, entity.origin);
        let empty = Span { start: 0, end: 0 };
        let evidence = Evidence {
            doc: Arc::from("dictionary"),
            sentence: Arc::from(sentence.as_str()),
            head: empty,
            tail: empty,
            rule: Arc::from(RULE),
            trigger: None,
            context: None,
            date: None,
            confidence: None,
        };
        graph.add_evidence(head, "located-in", tail, 1, &[evidence]);
        added += 1;
        todo.push(parent.name.clone());
    }
    added
}

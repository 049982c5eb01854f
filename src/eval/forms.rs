//! The scoring conventions of the annotation guidelines (`../shared/gold/GUIDELINES.md`, "Scoring conventions"):
//!
//! - **Forms.** A gold name stands for every form of its entity: the entity's `name` and `aliases` in the
//!   document's gold, and the aliases the set's dictionary (`NAME.dictionary.csv` beside `NAME.jsonl`) gives it. A
//!   graph node matches when its name or one of its aliases is one of those forms.
//! - **Chains.** A `located-in` that follows from a chain of gold `located-in` relations (A in park B, B in district
//!   C, so A in C) is optional unless the gold lists it itself.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{GoldDoc, GoldRelation};
use crate::dict::Dictionary;
use crate::model::EntityId;
use crate::read::text::normalize_name;

/// The relation chains are followed for.
const LOCATED_IN: &str = "located-in";

/// A set's dictionary, as forms: each normalised name or alias → every form of its row.
#[derive(Clone, Debug, Default)]
pub struct SetForms {
    rows: Vec<Vec<String>>,
    by_form: HashMap<String, Vec<usize>>,
}

impl SetForms {
    /// The forms of every entity of a dictionary (a set's gold dictionary).
    pub fn from_dictionary(dict: &Dictionary) -> Self {
        let mut forms = SetForms::default();
        for e in dict.entities() {
            let row: Vec<String> = std::iter::once(&e.name).chain(&e.aliases).map(|n| normalize_name(n)).collect();
            for f in &row {
                forms.by_form.entry(f.clone()).or_default().push(forms.rows.len());
            }
            forms.rows.push(row);
        }
        forms
    }

    /// The forms of a gold set's dictionary: the one given, else `NAME.dictionary.csv` beside `NAME.jsonl` if there
    /// is one, else none.
    pub fn of_set(gold: &std::path::Path, given: Option<&std::path::Path>) -> crate::Result<Self> {
        let beside = gold.to_str().and_then(|g| g.strip_suffix(".jsonl")).map(|g| format!("{g}.dictionary.csv"));
        let path = match (given, beside) {
            (Some(given), _) => given.to_path_buf(),
            (None, Some(beside)) if std::path::Path::new(&beside).is_file() => beside.into(),
            _ => return Ok(SetForms::default()),
        };
        let mut dict = Dictionary::empty();
        dict.load_path(&path)?;
        Ok(SetForms::from_dictionary(&dict))
    }

    /// Every form of the rows that hold `form`.
    fn extend(&self, form: &str, out: &mut BTreeSet<String>) {
        for &row in self.by_form.get(form).into_iter().flatten() {
            out.extend(self.rows[row].iter().cloned());
        }
    }
}

/// The forms of the entities one gold document names.
pub struct DocForms<'a> {
    gold: &'a GoldDoc,
    set: &'a SetForms,
}

impl<'a> DocForms<'a> {
    /// The forms a gold document's names stand for, with its set's dictionary.
    pub fn new(gold: &'a GoldDoc, set: &'a SetForms) -> Self {
        DocForms { gold, set }
    }

    /// The gold document.
    pub fn gold(&self) -> &'a GoldDoc {
        self.gold
    }

    /// Every form (normalised) of the entity a gold name stands for: the name, the forms of the document's gold
    /// entity it names, and what the set's dictionary adds to each.
    pub fn of(&self, name: &str) -> BTreeSet<String> {
        let key = normalize_name(name);
        let mut forms = BTreeSet::from([key.clone()]);
        for g in self.gold.entities.iter().flatten() {
            let own: Vec<String> = std::iter::once(&g.name).chain(&g.aliases).map(|n| normalize_name(n)).collect();
            if own.contains(&key) {
                forms.extend(own);
            }
        }
        for f in forms.clone() {
            self.set.extend(&f, &mut forms);
        }
        forms
    }

    /// The gold relations of the document (co-occurrence left out), and those its `located-in` chains imply that
    /// it does not list, as optional relations.
    pub fn relations(&self) -> Vec<GoldRelation> {
        let listed: Vec<GoldRelation> =
            self.gold.relations.iter().filter(|g| g.relation != crate::model::CO_OCCURS).cloned().collect();
        let mut implied = chains(&listed, |name| self.of(name));
        implied.retain(|g| !listed.iter().any(|l| l.relation == LOCATED_IN && same(self, l, g)));
        listed.into_iter().chain(implied).collect()
    }
}

/// Whether two relations name the same entities (by forms).
fn same(forms: &DocForms, a: &GoldRelation, b: &GoldRelation) -> bool {
    !forms.of(&a.head).is_disjoint(&forms.of(&b.head)) && !forms.of(&a.tail).is_disjoint(&forms.of(&b.tail))
}

/// The `located-in` relations that follow from chains of two or more listed (required or optional) `located-in`
/// relations, as optional relations (`why`: the chain).
fn chains(listed: &[GoldRelation], forms: impl Fn(&str) -> BTreeSet<String>) -> Vec<GoldRelation> {
    // Entities as the smallest form of each name, so that aliases of one entity are one node.
    let key = |name: &str| forms(name).into_iter().next().unwrap_or_default();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut next: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for g in listed.iter().filter(|g| g.relation == LOCATED_IN && !g.negative) {
        let (h, t) = (key(&g.head), key(&g.tail));
        names.entry(h.clone()).or_insert_with(|| g.head.clone());
        names.entry(t.clone()).or_insert_with(|| g.tail.clone());
        next.entry(h).or_default().insert(t);
    }
    let mut implied = Vec::new();
    for (start, first) in &next {
        // Breadth first from the places `start` lies in directly: every place reached in two steps or more.
        let mut seen: BTreeSet<&String> = first.iter().collect();
        let mut frontier: Vec<&String> = first.iter().collect();
        while let Some(at) = frontier.pop() {
            for beyond in next.get(at).into_iter().flatten() {
                if beyond != start && seen.insert(beyond) {
                    frontier.push(beyond);
                    implied.push((start, beyond));
                }
            }
        }
    }
    implied.sort();
    implied.dedup();
    implied
        .into_iter()
        .filter(|(h, t)| !next.get(*h).is_some_and(|direct| direct.contains(*t)))
        .map(|(h, t)| GoldRelation {
            head: names[h].clone(),
            relation: LOCATED_IN.into(),
            tail: names[t].clone(),
            optional: true,
            negative: false,
            why: Some("implied by a chain of located-in".into()),
            evidence: None,
        })
        .collect()
}

/// The forms (normalised) of a graph node: its name and aliases.
pub fn node_forms(dict: &Dictionary, id: EntityId) -> BTreeSet<String> {
    let e = dict.entity(id);
    std::iter::once(&e.name).chain(&e.aliases).map(|n| normalize_name(n)).collect()
}

/// An entity of the dictionary that one of the forms names, to explain a miss with.
pub fn entity_named(dict: &Dictionary, forms: &BTreeSet<String>) -> Option<EntityId> {
    forms.iter().find_map(|f| dict.lookup_normalized(f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::read_gold;

    fn gold(line: &str) -> GoldDoc {
        read_gold(line, "g.jsonl").unwrap().remove(0)
    }

    #[test]
    fn a_name_stands_for_its_entity_s_forms_and_the_set_dictionary_s() {
        let g = gold(
            r#"{"doc": "d", "entities": [{"name": "甲乙高新技术产业开发区", "aliases": ["甲乙高新区"]}], "relations": []}"#,
        );
        let mut dict = Dictionary::empty();
        dict.load_bytes(
            "name,type,aliases\n甲乙高新技术产业开发区,district,高新区|甲乙高新区\n".as_bytes(),
            "s.csv",
            true,
        )
        .unwrap();
        let set = SetForms::from_dictionary(&dict);
        let forms = DocForms::new(&g, &set);
        // (gold name, forms it stands for)
        let table: &[(&str, &[&str])] = &[
            ("甲乙高新区", &["甲乙高新技术产业开发区", "甲乙高新区", "高新区"]),
            ("高新区", &["甲乙高新技术产业开发区", "甲乙高新区", "高新区"]),
            ("丙丁公司", &["丙丁公司"]),
        ];
        for (name, want) in table {
            let got = forms.of(name);
            let got: Vec<&str> = got.iter().map(String::as_str).collect();
            let mut want = want.to_vec();
            want.sort();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn chains_of_located_in_imply_optional_relations() {
        let g = gold(
            r#"{"doc": "d", "entities": [{"name": "丙园区", "aliases": ["丙园"]}], "relations": [
                {"head": "甲公司", "relation": "located-in", "tail": "丙园"},
                {"head": "丙园区", "relation": "located-in", "tail": "丁区"},
                {"head": "丁区", "relation": "located-in", "tail": "戊市", "optional": true},
                {"head": "甲公司", "relation": "located-in", "tail": "丁区"},
                {"head": "甲公司", "relation": "located-in", "tail": "己市", "negative": true}]}"#
                .replace('\n', " ")
                .as_str(),
        );
        let set = SetForms::default();
        let implied: Vec<(String, String, bool)> = DocForms::new(&g, &set)
            .relations()
            .into_iter()
            .filter(|r| r.why.as_deref() == Some("implied by a chain of located-in"))
            .map(|r| (r.head, r.tail, r.optional))
            .collect();
        // 甲 in 丁 is listed (required); 甲 in 戊 and 丙 in 戊 follow; the negative one starts no chain.
        let want = [("甲公司", "戊市", true), ("丙园", "戊市", true)];
        let want: Vec<(String, String, bool)> =
            want.iter().map(|(h, t, o)| (h.to_string(), t.to_string(), *o)).collect();
        let mut got = implied;
        got.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got, want);
    }
}

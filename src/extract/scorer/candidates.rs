//! Candidate pairs of one document, from plain data: which (head, relation, tail) the scorer is asked about, and
//! with what rules and document facts.
//!
//! - **In a sentence:** every ordered pair of mentions of two entities whose types the relation allows (the closest
//!   pair of mentions when an entity is named twice).
//! - **From the document:** every mention paired with the entities a sentence may leave implicit
//!   ([`implicit_tails`]): the document's place (from its title, dateline, 我市 …, or prominence), the entities of the
//!   title, the two most mentioned entities of each type, and the last entity of each type named in the three
//!   sentences before. These pairs have no tail span; a document has one candidate per (head, relation, tail),
//!   scored on the union of the features of the sentences naming the head ([`super::Scorer::score_group`]).
//! - **From the rules:** every edge `dictionaries/rules.toml` and the document context produce, where not already
//!   a candidate; every candidate carries the names of the rules that fired for it in its sentence.
//!
//! Facts are document-level flags: a dictionary parent link, the pair stated by a rule elsewhere in the
//! document, the head in an enumeration whose other items a rule links to the same tail, where a name starts with
//! a place, how often the head is named.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::{Arg, Candidate, Relation};

/// An entity of the document.
#[derive(Clone, Debug)]
pub struct Entity<'a> {
    /// Canonical name.
    pub name: &'a str,
    /// Type.
    pub kind: &'a str,
    /// `dictionary`, `tagger`, `discovered` (or `context` for one the text never names).
    pub source: &'a str,
    /// The entity stage's confidence (1 for dictionary entities).
    pub confidence: f32,
    /// Its dictionary parent, if any (an index into the entities).
    pub parent: Option<usize>,
    /// The place its name starts with (深圳 in 深圳科技工业园), if any.
    pub leading_place: Option<usize>,
}

/// A mention: entity index, sentence, byte range in the sentence. Mentions come in text order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The entity.
    pub entity: usize,
    /// The sentence.
    pub sentence: usize,
    /// Byte range in the sentence.
    pub range: Range<usize>,
}

/// An edge a rule produced.
#[derive(Clone, Debug)]
pub struct RuleHit {
    /// Head entity.
    pub head: usize,
    /// Relation.
    pub relation: Relation,
    /// Tail entity.
    pub tail: usize,
    /// The sentence of its evidence.
    pub sentence: usize,
    /// The rule's name (with `@source` when an argument came from the document context).
    pub rule: String,
    /// Whether an argument came from the document context.
    pub from_context: bool,
}

/// One document, as the candidate generator reads it.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    /// Sentences, normalised.
    pub sentences: &'a [&'a str],
    /// Per sentence, its jieba words (byte start, byte end, tag).
    pub tokens: &'a [Vec<(usize, usize, &'a str)>],
    /// Entities.
    pub entities: &'a [Entity<'a>],
    /// Mentions, in text order.
    pub mentions: &'a [Mention],
    /// Edges of the rules and the document context.
    pub rules: &'a [RuleHit],
    /// The document's place and where it was read (`title`, `dateline`, `self-reference`, `prominence`).
    pub place: Option<(usize, &'a str)>,
    /// Whether sentence 0 is the title.
    pub titled: bool,
}

impl<'a> Document<'a> {
    /// The mentions of sentence `k` (mentions come in text order, so those of a sentence are a run).
    pub fn of_sentence(&self, k: usize) -> &'a [Mention] {
        let mentions = self.mentions;
        &mentions[mentions.partition_point(|m| m.sentence < k)..mentions.partition_point(|m| m.sentence <= k)]
    }
}

/// A candidate pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// Head entity.
    pub head: usize,
    /// Relation.
    pub relation: Relation,
    /// Tail entity.
    pub tail: usize,
    /// The sentence it is read from.
    pub sentence: usize,
    /// Where the sentence names the head and the tail.
    pub head_span: Option<Range<usize>>,
    /// See `head_span`.
    pub tail_span: Option<Range<usize>>,
    /// For a tail from the document: where it came from (`place-title`, `in-title`, `freq1`, `recent` …).
    pub context: Option<&'static str>,
    /// Rules that fired for it in its sentence.
    pub rules: Vec<String>,
    /// Document facts.
    pub facts: Vec<&'static str>,
}

impl Pair {
    /// Whether its tail comes from the document (such pairs are scored together per (head, relation, tail)).
    pub fn is_context(&self) -> bool {
        self.context.is_some() && self.rules.is_empty()
    }
}

type Key = (usize, Relation, usize, usize);
type Spans = (Option<Range<usize>>, Option<Range<usize>>, Option<&'static str>);

/// Every candidate pair of a document, in a stable order (head, relation, tail, sentence).
pub fn candidates(doc: &Document) -> Vec<Pair> {
    let mut raw: BTreeMap<Key, Spans> = BTreeMap::new();
    let tails = implicit_tails(doc);
    for k in 0..doc.sentences.len() {
        let ms: Vec<&Mention> = doc.of_sentence(k).iter().collect();
        sentence_pairs(doc, &ms, k, &mut raw);
        let implicit = if ms.is_empty() { Vec::new() } else { tails(k) };
        for a in &ms {
            for &(t, src) in &implicit {
                if a.entity == t || ms.iter().any(|m| m.entity == t) {
                    continue;
                }
                for r in allowed(doc, a.entity, t) {
                    raw.entry((a.entity, r, t, k)).or_insert((Some(a.range.clone()), None, Some(src)));
                }
            }
        }
    }
    let mut rules_at: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    for h in doc.rules {
        rules_at.entry((h.head, h.relation, h.tail, h.sentence)).or_default().push(h.rule.clone());
        raw.entry((h.head, h.relation, h.tail, h.sentence)).or_insert_with(|| {
            let span = |e: usize| doc.of_sentence(h.sentence).iter().find(|m| m.entity == e).map(|m| m.range.clone());
            (span(h.head), span(h.tail), None)
        });
    }
    let facts = Facts::new(doc);
    raw.into_iter()
        .map(|(key, (head_span, tail_span, context))| {
            let rules = rules_at.get(&key).cloned().unwrap_or_default();
            let (head, relation, tail, sentence) = key;
            let mut pair = Pair { head, relation, tail, sentence, head_span, tail_span, context, rules, facts: vec![] };
            pair.facts = facts.of(doc, &pair);
            pair
        })
        .collect()
}

/// Relations whose types allow (head, tail).
fn allowed(doc: &Document, h: usize, t: usize) -> impl Iterator<Item = Relation> {
    let (kh, kt) = (doc.entities[h].kind.to_string(), doc.entities[t].kind.to_string());
    Relation::ALL.into_iter().filter(move |r| r.allows(&kh, &kt))
}

/// The pairs of mentions of one sentence (the closest pair per entity pair).
fn sentence_pairs(doc: &Document, ms: &[&Mention], k: usize, raw: &mut BTreeMap<Key, Spans>) {
    for a in ms {
        for b in ms {
            if a.entity == b.entity {
                continue;
            }
            for r in allowed(doc, a.entity, b.entity) {
                let key = (a.entity, r, b.entity, k);
                let d = a.range.start.abs_diff(b.range.start);
                let closer = raw.get(&key).is_none_or(|(h, t, _)| match (h, t) {
                    (Some(h), Some(t)) => h.start.abs_diff(t.start) > d,
                    _ => true,
                });
                if closer {
                    raw.insert(key, (Some(a.range.clone()), Some(b.range.clone()), None));
                }
            }
        }
    }
}

/// The entities a sentence may leave implicit, as a function of the sentence index (see the module docs). One
/// source per entity: the first listed wins (place, title, frequency, recency).
pub fn implicit_tails<'d>(doc: &'d Document) -> impl Fn(usize) -> Vec<(usize, &'static str)> + 'd {
    let mut fixed: Vec<(usize, &'static str)> = Vec::new();
    if let Some((e, src)) = doc.place {
        let name = match src {
            "title" => "place-title",
            "dateline" => "place-dateline",
            "self-reference" => "place-self",
            _ => "place-prominence",
        };
        fixed.push((e, name));
    }
    if doc.titled {
        fixed.extend(doc.of_sentence(0).iter().map(|m| (m.entity, "in-title")));
    }
    let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (i, m) in doc.mentions.iter().enumerate() {
        counts.entry(m.entity).or_insert((0, i)).0 += 1;
    }
    type Ranked = Vec<(std::cmp::Reverse<usize>, usize, usize)>;
    let mut by_kind: BTreeMap<&str, Ranked> = BTreeMap::new();
    for (e, (n, first)) in &counts {
        by_kind.entry(doc.entities[*e].kind).or_default().push((std::cmp::Reverse(*n), *first, *e));
    }
    for v in by_kind.values_mut() {
        v.sort_unstable();
        for (rank, (n, _, e)) in v.iter().take(2).enumerate() {
            if n.0 >= 2 {
                fixed.push((*e, if rank == 0 { "freq1" } else { "freq2" }));
            }
        }
    }
    move |k: usize| {
        let mut out = fixed.clone();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let before = doc.mentions.partition_point(|m| m.sentence < k.saturating_sub(3))
            ..doc.mentions.partition_point(|m| m.sentence < k);
        for m in doc.mentions[before].iter().rev() {
            if seen.insert(doc.entities[m.entity].kind) {
                out.push((m.entity, "recent"));
            }
        }
        let mut kept: Vec<(usize, &'static str)> = Vec::new();
        for (e, s) in out {
            if !kept.iter().any(|(x, _)| *x == e) {
                kept.push((e, s));
            }
        }
        kept
    }
}

/// What the document says about pairs beyond their sentence.
struct Facts {
    /// Heads located somewhere by a rule reading the sentence (not the context).
    stated: BTreeSet<usize>,
    /// (head, relation, tail) produced by a rule anywhere, and per sentence.
    triples: BTreeSet<(usize, Relation, usize)>,
    at: BTreeSet<Key>,
    /// Per sentence, its enumerations (entities joined only by list separators).
    groups: Vec<Vec<Vec<usize>>>,
    /// Mentions per entity.
    counts: BTreeMap<usize, usize>,
}

impl Facts {
    fn new(doc: &Document) -> Facts {
        let stated =
            doc.rules.iter().filter(|r| r.relation == Relation::LocatedIn && !r.from_context).map(|r| r.head).collect();
        let triples = doc.rules.iter().map(|r| (r.head, r.relation, r.tail)).collect();
        let at = doc.rules.iter().map(|r| (r.head, r.relation, r.tail, r.sentence)).collect();
        let groups = (0..doc.sentences.len()).map(|k| enumerations(doc, k)).collect();
        let mut counts = BTreeMap::new();
        for m in doc.mentions {
            *counts.entry(m.entity).or_insert(0) += 1;
        }
        Facts { stated, triples, at, groups, counts }
    }

    /// The facts of one pair.
    fn of(&self, doc: &Document, p: &Pair) -> Vec<&'static str> {
        let (h, r, t, k) = (p.head, p.relation, p.tail, p.sentence);
        let mut f = Vec::new();
        if lies_in(doc, h, t) {
            f.push("dict-lies-in");
        }
        if doc.entities[h].parent == Some(t) {
            f.push("dict-parent");
        }
        if doc.place.is_some_and(|(pe, _)| pe == t) {
            f.push("tail-is-place");
        }
        if p.context.is_some() && self.stated.contains(&h) {
            f.push("stated-elsewhere");
        }
        if p.rules.is_empty() && self.triples.contains(&(h, r, t)) {
            f.push("rule-elsewhere");
        }
        let group = self.groups[k].iter().find(|g| g.contains(&h)).map_or(&[][..], |g| g.as_slice());
        if group.len() >= 3 {
            f.push("in-list");
        }
        if group.iter().any(|&x| x != h && self.at.contains(&(x, r, t, k))) {
            f.push("listmate-rule");
        }
        if group.iter().any(|&x| x != h && self.triples.contains(&(x, r, t))) {
            f.push("listmate-rule-doc");
        }
        if let Some(lp) = doc.entities[h].leading_place {
            f.push(if lp == t {
                "name-starts-with-tail"
            } else if lies_in(doc, lp, t) {
                "name-starts-with-place-in-tail"
            } else if lies_in(doc, t, lp) {
                "name-starts-with-place-around-tail"
            } else {
                "name-starts-with-other-place"
            });
        }
        if p.context.is_some() {
            f.push(match self.counts.get(&h).copied().unwrap_or(0) {
                0 | 1 => "head-once",
                2 => "head-twice",
                _ => "head-often",
            });
        }
        f
    }
}

/// Does `a` lie in `b` by the dictionary's parent links (a few levels)?
fn lies_in(doc: &Document, a: usize, b: usize) -> bool {
    let mut at = a;
    for _ in 0..8 {
        match doc.entities[at].parent {
            Some(p) if p == b => return true,
            Some(p) if p != at => at = p,
            _ => return false,
        }
    }
    false
}

/// The enumerations of sentence `k`: runs of mentions joined only by 、 和 及 与 , quotes or spaces.
fn enumerations(doc: &Document, k: usize) -> Vec<Vec<usize>> {
    let s = doc.sentences[k];
    let ms: Vec<&Mention> = doc.of_sentence(k).iter().collect();
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        if i > 0 {
            let gap = &s[ms[i - 1].range.end.min(m.range.start)..m.range.start];
            let joined = !gap.is_empty()
                && gap.chars().all(|c| matches!(c, '、' | '和' | '及' | '与' | ' ' | '“' | '”' | '"' | ','));
            if !joined && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(m.entity);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The scorer's view of a pair.
pub fn candidate<'a>(
    doc: &'a Document<'a>,
    p: &'a Pair,
    mentions: &'a [(Range<usize>, &'a str)],
    rules: &'a [&'a str],
) -> Candidate<'a> {
    let arg = |e: usize, span: &Option<Range<usize>>| {
        let x = &doc.entities[e];
        Arg { name: x.name, kind: x.kind, source: x.source, span: span.clone(), confidence: x.confidence }
    };
    Candidate {
        relation: p.relation,
        head: arg(p.head, &p.head_span),
        tail: arg(p.tail, &p.tail_span),
        sentence: doc.sentences[p.sentence],
        tokens: &doc.tokens[p.sentence],
        mentions,
        rules,
        context: p.context,
        facts: &p.facts,
    }
}

/// The mentions of a sentence as the scorer's features read them: byte range and type.
pub fn sentence_mentions<'a>(doc: &Document<'a>, k: usize) -> Vec<(Range<usize>, &'a str)> {
    doc.of_sentence(k).iter().map(|m| (m.range.clone(), doc.entities[m.entity].kind)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity<'a>(name: &'a str, kind: &'a str, parent: Option<usize>) -> Entity<'a> {
        Entity { name, kind, source: "dictionary", confidence: 1.0, parent, leading_place: None }
    }

    /// A made-up document: title 青山区 news; 蓝海科技、白云机械 settle in 青山区; 王五 leads 青山区.
    #[test]
    fn pairs_come_from_sentences_the_document_and_the_rules() {
        let sentences = ["青山区新闻", "蓝海科技、白云机械落户", "区长王五调研"];
        let tokens = vec![vec![], vec![], vec![]];
        let entities = [
            entity("青山区", "district", None),
            entity("蓝海科技", "company", Some(0)),
            entity("白云机械", "company", None),
            entity("王五", "official", None),
        ];
        let b = |s: &str, ch: usize| s.char_indices().nth(ch).map_or(s.len(), |(i, _)| i);
        let mentions = [
            Mention { entity: 0, sentence: 0, range: 0..b(sentences[0], 3) },
            Mention { entity: 1, sentence: 1, range: 0..b(sentences[1], 4) },
            Mention { entity: 2, sentence: 1, range: b(sentences[1], 5)..b(sentences[1], 9) },
            Mention { entity: 3, sentence: 2, range: b(sentences[2], 2)..b(sentences[2], 4) },
        ];
        let rules = [RuleHit {
            head: 1,
            relation: Relation::LocatedIn,
            tail: 0,
            sentence: 1,
            rule: "located-in/settles-here@title".into(),
            from_context: true,
        }];
        let doc = Document {
            sentences: &sentences,
            tokens: &tokens,
            entities: &entities,
            mentions: &mentions,
            rules: &rules,
            place: Some((0, "title")),
            titled: true,
        };
        let pairs = candidates(&doc);
        let find = |h: usize, r: Relation, t: usize| {
            pairs.iter().find(|p| p.head == h && p.relation == r && p.tail == t).cloned()
        };
        // (head, relation, tail, sentence, context, rules, facts that must be there)
        type Row<'a> = (usize, Relation, usize, usize, Option<&'a str>, usize, &'a [&'a str]);
        let table: [Row; 4] = [
            (1, Relation::LocatedIn, 0, 1, Some("place-title"), 1, &["dict-lies-in", "dict-parent", "tail-is-place"]),
            (2, Relation::LocatedIn, 0, 1, Some("place-title"), 0, &["listmate-rule", "head-once"]),
            (3, Relation::Leads, 0, 2, Some("place-title"), 0, &["tail-is-place"]),
            (1, Relation::InvestsIn, 2, 1, None, 0, &[]),
        ];
        for (h, r, t, k, ctx, n_rules, facts) in table {
            let p = find(h, r, t).unwrap_or_else(|| panic!("no pair {h} {} {t}", r.name()));
            assert_eq!((p.sentence, p.context, p.rules.len()), (k, ctx, n_rules), "{p:?}");
            for f in facts {
                assert!(p.facts.contains(f), "{f} not in {p:?}");
            }
        }
        // Types the guidelines do not allow are no candidates.
        assert!(find(0, Relation::LocatedIn, 1).is_none());
        assert!(find(3, Relation::LocatedIn, 0).is_none());
    }

    #[test]
    fn implicit_tails_are_the_place_title_frequent_and_recent_entities() {
        let sentences = ["甲县", "乙公司", "乙公司", "丙园", "x"];
        let tokens = vec![vec![]; 5];
        let entities =
            [entity("甲县", "district", None), entity("乙公司", "company", None), entity("丙园", "park", None)];
        let mentions = [
            Mention { entity: 0, sentence: 0, range: 0..6 },
            Mention { entity: 1, sentence: 1, range: 0..9 },
            Mention { entity: 1, sentence: 2, range: 0..9 },
            Mention { entity: 2, sentence: 3, range: 0..6 },
        ];
        let doc = Document {
            sentences: &sentences,
            tokens: &tokens,
            entities: &entities,
            mentions: &mentions,
            rules: &[],
            place: Some((0, "dateline")),
            titled: true,
        };
        let tails = implicit_tails(&doc);
        assert_eq!(tails(4), vec![(0, "place-dateline"), (1, "freq1"), (2, "recent")]);
        assert_eq!(tails(0), vec![(0, "place-dateline"), (1, "freq1")]);
    }
}

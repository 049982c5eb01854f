//! Features of a candidate pair. Each is `template:value` (`rule:leads/org-title-person`, `bw:落户`); the same
//! code feeds [`Keys`] (64-bit FNV-1a of the feature's text, no allocation) and [`Names`] (the text itself).
//!
//! | template | value |
//! |---|---|
//! | `bias` | — |
//! | `types` | head type `>` tail type |
//! | `hsrc` `tsrc` | where each entity comes from (dictionary, tagger, discovered) |
//! | `hsuf` `tsuf` | the last two characters of each name; `tsuf1` the last one |
//! | `rule` | a rule that fired for the pair in this sentence; `norule` if none did |
//! | `ctx` `ctxk` | the source of the document's place (tail from context), alone and with the head's type |
//! | `fact` | a document fact (`dict-lies-in`, `stated-elsewhere` …) |
//! | `order` | `ht` or `th`: which comes first in the sentence |
//! | `dist` `between` `same` `breaks` | characters between (bucketed), mentions between, mentions of the far end's type between, clause breaks between |
//! | `bw` `btext` | each word between (up to 8), the text between (6 characters at most) |
//! | `bh` `ah` `bt` `at` | the word just before / after the head and the tail |
//! | `trig<` `trig=` `trig>` | a trigger word (落户, 投资, 书记 …) in the clause before, between or after the pair |
//! | `inname` | the head's name starts with / holds the tail's |
//! | `hconf` `tconf` | the entity stage's confidence in each argument (bucketed), when below 1 |
//! | `nearest` | whether the tail is the nearest mention of its type on its side of the head in the head's clause |
//! | `csent` `cplaces` `cfirst` | for a context tail: trigger words of the sentence, other places in it, head first in it |
//! | `cclause` `cownplace` `clisted` | trigger words of the head's clause, a place named in that clause, the head in a list |
//!
//! Every feature is emitted twice: as is, and prefixed by the candidate's domain (`R|`, `P|`, `C|`: a rule fired, a
//! pair in the sentence, a tail from the document).

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::Candidate;

/// Receives features.
pub trait Sink {
    /// One feature, `template:value`, or `domain|template:value` when a domain is given.
    fn feature_in(&mut self, domain: &str, template: &str, value: &str);

    /// One feature without a domain.
    fn feature(&mut self, template: &str, value: &str) {
        self.feature_in("", template, value)
    }
}

/// FNV-1a over bytes, continuing from `h`.
#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The key of a feature: FNV-1a of its text (`template:value`), so the key of a feature and of its name are the
/// same.
#[inline]
pub fn key(template: &str, value: &str) -> u64 {
    key_in("", template, value)
}

/// The key of `domain|template:value` (just `template:value` when the domain is empty).
#[inline]
pub fn key_in(domain: &str, template: &str, value: &str) -> u64 {
    let mut h = FNV_START;
    if !domain.is_empty() {
        h = fnv(fnv(h, domain.as_bytes()), b"|");
    }
    fnv(fnv(fnv(h, template.as_bytes()), b":"), value.as_bytes())
}

/// The key of a feature given by name.
pub fn key_of_name(name: &str) -> u64 {
    fnv(FNV_START, name.as_bytes())
}

/// Collects keys.
#[derive(Default, Debug)]
pub struct Keys {
    /// The keys so far.
    pub keys: Vec<u64>,
}

impl Sink for Keys {
    #[inline]
    fn feature_in(&mut self, domain: &str, template: &str, value: &str) {
        self.keys.push(key_in(domain, template, value));
    }
}

/// Collects names.
#[derive(Default, Debug)]
pub struct Names {
    /// The names so far.
    pub names: Vec<String>,
}

impl Sink for Names {
    fn feature_in(&mut self, domain: &str, template: &str, value: &str) {
        if domain.is_empty() {
            self.names.push(format!("{template}:{value}"));
        } else {
            self.names.push(format!("{domain}|{template}:{value}"));
        }
    }
}

/// Emits every feature twice: as is, and within the candidate's domain (`R` a rule fired, `P` a pair in the
/// sentence, `C` a tail from the document), so that each kind of candidate can weigh a feature its own way.
struct Doubled<'s, S: Sink> {
    domain: &'static str,
    inner: &'s mut S,
}

impl<S: Sink> Sink for Doubled<'_, S> {
    #[inline]
    fn feature_in(&mut self, domain: &str, template: &str, value: &str) {
        self.inner.feature_in(domain, template, value);
        self.inner.feature_in(self.domain, template, value);
    }
}

/// Words that signal a relation, wherever they stand.
pub const TRIGGERS: &str = "落户 入驻 进驻 位于 坐落 落地 扎根 选址 设在 建在 安家 投资 出资 斥资 建设 兴建 投建 打造 \
布局 控股 收购 入股 创办 参股 注资 并购 增资 开工 投产 竣工 建成 奠基 签约 签订 签署 洽谈 考察 对接 意向 调研 参观 走访 \
书记 市长 区长 县长 镇长 董事长 总经理 总裁 局长 主任 会长 主席 院长 校长 负责人 副 常委 委员 代表 子公司 全资 旗下 东侧 \
西侧 南侧 北侧 附近 周边 毗邻 来自 举行 仪式 项目 的 在 于 由 与 和 、 该项目 该公司 我市 我区 全市 全区 等 引进 合作 总部";

fn triggers() -> &'static (AhoCorasick, Vec<&'static str>) {
    static T: OnceLock<(AhoCorasick, Vec<&'static str>)> = OnceLock::new();
    T.get_or_init(|| {
        let words: Vec<&str> = TRIGGERS.split_whitespace().collect();
        (AhoCorasick::new(&words).expect("trigger automaton"), words)
    })
}

/// Distance buckets.
fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=8 => "5-8",
        9..=16 => "9-16",
        17..=32 => "17-32",
        _ => "33+",
    }
}

/// Confidence buckets.
fn confidence_bucket(x: f32) -> &'static str {
    match x {
        x if x < 0.2 => "<.2",
        x if x < 0.4 => "<.4",
        x if x < 0.6 => "<.6",
        x if x < 0.8 => "<.8",
        x if x < 0.95 => "<.95",
        _ => "high",
    }
}

/// The last `n` characters of a name.
fn last_chars(s: &str, n: usize) -> &str {
    let at = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    &s[at..]
}

/// Is this character a clause break?
fn is_break(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '。' | '!' | '?')
}

/// Emits every feature of a candidate (each also within its domain: see the module docs).
pub fn extract(c: &Candidate, sink: &mut impl Sink) {
    let domain = if !c.rules.is_empty() {
        "R"
    } else if c.tail.span.is_none() {
        "C"
    } else {
        "P"
    };
    let sink = &mut Doubled { domain, inner: sink };
    sink.feature("bias", "");
    let mut types = [0u8; 64];
    let t = join(&mut types, c.head.kind, ">", c.tail.kind);
    sink.feature("types", t);
    sink.feature("hsrc", c.head.source);
    sink.feature("tsrc", c.tail.source);
    if c.head.confidence < 1.0 {
        sink.feature("hconf", confidence_bucket(c.head.confidence));
    }
    if c.tail.confidence < 1.0 {
        sink.feature("tconf", confidence_bucket(c.tail.confidence));
    }
    sink.feature("hsuf", last_chars(c.head.name, 2));
    sink.feature("tsuf", last_chars(c.tail.name, 2));
    sink.feature("tsuf1", last_chars(c.tail.name, 1));
    for r in c.rules {
        sink.feature("rule", r);
    }
    if c.rules.is_empty() {
        sink.feature("norule", "");
    }
    for f in c.facts {
        sink.feature("fact", f);
    }
    if c.head.name.starts_with(c.tail.name) {
        sink.feature("inname", "prefix");
    } else if c.head.name.contains(c.tail.name) {
        sink.feature("inname", "inside");
    }
    match (&c.head.span, &c.tail.span) {
        (Some(h), Some(t)) => pair_features(c, h, t, sink),
        (Some(h), None) => context_features(c, h, sink),
        _ => sink.feature("noheadspan", ""),
    }
}

/// `a` + `sep` + `b` in a stack buffer (falls back to `a` if too long).
fn join<'b>(buf: &'b mut [u8; 64], a: &str, sep: &str, b: &str) -> &'b str {
    let total = a.len() + sep.len() + b.len();
    if total > buf.len() {
        return "";
    }
    buf[..a.len()].copy_from_slice(a.as_bytes());
    buf[a.len()..a.len() + sep.len()].copy_from_slice(sep.as_bytes());
    buf[a.len() + sep.len()..total].copy_from_slice(b.as_bytes());
    std::str::from_utf8(&buf[..total]).unwrap_or("")
}

/// The word ending at byte `at` / starting at byte `at`, if a token does.
fn word_before<'a>(c: &Candidate<'a>, at: usize) -> &'a str {
    c.tokens.iter().rev().find(|(_, e, _)| *e <= at).map_or("^", |(s, e, _)| &c.sentence[*s..*e])
}
fn word_after<'a>(c: &Candidate<'a>, at: usize) -> &'a str {
    c.tokens.iter().find(|(s, _, _)| *s >= at).map_or("$", |(s, e, _)| &c.sentence[*s..*e])
}

/// The clause around a byte range: back and forth to the nearest clause breaks.
fn clause(s: &str, r: Range<usize>) -> Range<usize> {
    let start = s[..r.start].char_indices().rev().find(|(_, ch)| is_break(*ch)).map_or(0, |(i, ch)| i + ch.len_utf8());
    let end = s[r.end..].char_indices().find(|(_, ch)| is_break(*ch)).map_or(s.len(), |(i, _)| r.end + i);
    start..end
}

fn pair_features(c: &Candidate, h: &Range<usize>, t: &Range<usize>, sink: &mut impl Sink) {
    let s = c.sentence;
    let (first, second) = if h.start <= t.start { (h, t) } else { (t, h) };
    sink.feature("order", if h.start <= t.start { "ht" } else { "th" });
    let gap = first.end.min(second.start)..second.start.max(first.end);
    let between = &s[gap.clone()];
    sink.feature("dist", bucket(between.chars().count()));
    let inside = |r: &Range<usize>| gap.start <= r.start && r.end <= gap.end;
    let far_kind = if h.start <= t.start { c.tail.kind } else { c.head.kind };
    let n_between = c.mentions.iter().filter(|(r, _)| inside(r)).count();
    let same = c.mentions.iter().filter(|(r, k)| inside(r) && *k == far_kind).count();
    sink.feature("between", bucket(n_between));
    sink.feature("same", bucket(same));
    sink.feature("breaks", bucket(between.chars().filter(|ch| is_break(*ch)).count()));
    let words: Vec<&(usize, usize, &str)> =
        c.tokens.iter().filter(|(a, b, _)| gap.start <= *a && *b <= gap.end).collect();
    if words.len() <= 8 {
        for (a, b, _) in words {
            sink.feature("bw", &s[*a..*b]);
        }
    } else {
        sink.feature("bw", "(long)");
    }
    if between.chars().count() <= 6 {
        sink.feature("btext", between);
    }
    sink.feature("bh", word_before(c, h.start));
    sink.feature("ah", word_after(c, h.end));
    sink.feature("bt", word_before(c, t.start));
    sink.feature("at", word_after(c, t.end));
    // Is the tail the nearest mention of its type to the head, on its side, within the clause?
    let head_clause = clause(s, h.clone());
    let nearest = c
        .mentions
        .iter()
        .filter(|(r, k)| *k == c.tail.kind && r != h && head_clause.start <= r.start && r.end <= head_clause.end)
        .filter(|(r, _)| (r.start < h.start) == (t.start < h.start))
        .min_by_key(|(r, _)| r.start.abs_diff(h.start))
        .map(|(r, _)| r);
    sink.feature(
        "nearest",
        match nearest {
            Some(r) if r == t => "tail",
            Some(_) => "other",
            None => "outside-clause",
        },
    );
    let around = clause(s, first.start..second.end);
    let (ac, words) = triggers();
    for m in ac.find_overlapping_iter(&s[around.clone()]) {
        let at = around.start + m.start();
        let name = if at < first.start {
            "trig<"
        } else if at >= second.end {
            "trig>"
        } else if at >= gap.start && at < gap.end {
            "trig="
        } else {
            continue;
        };
        sink.feature(name, words[m.pattern().as_usize()]);
    }
}

fn context_features(c: &Candidate, h: &Range<usize>, sink: &mut impl Sink) {
    let s = c.sentence;
    if let Some(src) = c.context {
        sink.feature("ctx", src);
        let mut buf = [0u8; 64];
        sink.feature("ctxk", join(&mut buf, c.head.kind, "|", src));
    }
    let (ac, words) = triggers();
    for m in ac.find_overlapping_iter(s) {
        sink.feature("csent", words[m.pattern().as_usize()]);
    }
    let places = c.mentions.iter().filter(|(r, k)| r != h && (*k == "district" || *k == "park")).count();
    sink.feature("cplaces", bucket(places));
    // The head's own clause: its trigger words, and whether it names a place of its own.
    let hc = clause(s, h.clone());
    for m in ac.find_overlapping_iter(&s[hc.clone()]) {
        sink.feature("cclause", words[m.pattern().as_usize()]);
    }
    let own = c
        .mentions
        .iter()
        .any(|(r, k)| r != h && hc.start <= r.start && r.end <= hc.end && (*k == "district" || *k == "park"));
    sink.feature("cownplace", if own { "yes" } else { "no" });
    let listed = s[..h.start].ends_with('、') || s[h.end..].starts_with('、') || s[h.end..].starts_with('等');
    if listed {
        sink.feature("clisted", "");
    }
    if c.mentions.iter().all(|(r, _)| r.start >= h.start) {
        sink.feature("cfirst", "");
    }
    sink.feature("bh", word_before(c, h.start));
    sink.feature("ah", word_after(c, h.end));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::scorer::{Arg, Relation};

    fn names(c: &Candidate) -> Vec<String> {
        let mut n = Names::default();
        extract(c, &mut n);
        n.names
    }

    #[test]
    fn pair_features_read_the_sentence_between_and_around() {
        // A made-up sentence: 蓝海科技 settles in 青山区.
        let s = "蓝海科技落户青山区,计划投资5亿元";
        let b = |ch: usize| s.char_indices().nth(ch).map_or(s.len(), |(i, _)| i);
        let tokens = [(b(0), b(4), "nz"), (b(4), b(6), "v"), (b(6), b(9), "ns"), (b(9), b(10), "x")];
        let mentions = [(b(0)..b(4), "company"), (b(6)..b(9), "district")];
        let c = Candidate {
            relation: Relation::LocatedIn,
            head: Arg {
                name: "蓝海科技", kind: "company", source: "tagger", span: Some(b(0)..b(4)), confidence: 0.5
            },
            tail: Arg {
                name: "青山区",
                kind: "district",
                source: "dictionary",
                span: Some(b(6)..b(9)),
                confidence: 1.0,
            },
            sentence: s,
            tokens: &tokens,
            mentions: &mentions,
            rules: &["located-in/settle"],
            context: None,
            facts: &["dict-lies-in"],
        };
        let got = names(&c);
        let want = [
            "bias:",
            "types:company>district",
            "hsrc:tagger",
            "tsuf:山区",
            "tsuf1:区",
            "rule:located-in/settle",
            "fact:dict-lies-in",
            "order:ht",
            "dist:2",
            "between:0",
            "bw:落户",
            "btext:落户",
            "bh:^",
            "at:,",
            "trig=:落户",
            "hconf:<.6",
            "nearest:tail",
        ];
        for w in want {
            assert!(got.iter().any(|g| g == w), "{w} not in {got:?}");
        }
        // The clause ends at the comma: 投资 after it is not a trigger of this pair.
        assert!(!got.iter().any(|g| g == "trig>:投资"), "{got:?}");
    }

    #[test]
    fn context_features_describe_the_sentence() {
        let s = "白石新材料项目开工";
        let b = |ch: usize| s.char_indices().nth(ch).map_or(s.len(), |(i, _)| i);
        let mentions = [(b(0)..b(7), "park")];
        let c = Candidate {
            relation: Relation::LocatedIn,
            head: Arg {
                name: "白石新材料项目",
                kind: "park",
                source: "tagger",
                span: Some(b(0)..b(7)),
                confidence: 0.9,
            },
            tail: Arg { name: "青山区", kind: "district", source: "dictionary", span: None, confidence: 1.0 },
            sentence: s,
            tokens: &[],
            mentions: &mentions,
            rules: &[],
            context: Some("title"),
            facts: &[],
        };
        let got = names(&c);
        for w in [
            "ctx:title",
            "ctxk:park|title",
            "csent:开工",
            "cclause:开工",
            "cownplace:no",
            "cplaces:0",
            "cfirst:",
            "norule:",
        ] {
            assert!(got.iter().any(|g| g == w), "{w} not in {got:?}");
        }
    }

    #[test]
    fn keys_of_names_match_keys_of_features() {
        let mut k = Keys::default();
        k.feature("rule", "leads/x");
        assert_eq!(k.keys[0], key_of_name("rule:leads/x"));
        assert_eq!(key("bias", ""), key_of_name("bias:"));
    }
}

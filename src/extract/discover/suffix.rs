//! Names before an ending (the `suffix` cue): a run of name-like words ending in 有限公司, 集团, 产业园, 基地, 项目,
//! 开发区, 局, 商会 … (the lexicon's endings; the ending gives the type). The run extends left over the words of a
//! name and stops at what cannot be one (a verb after a name, the company before its project, the zone a project
//! lies in); generic words and verbs at its front are dropped; a company's short name before its project is split
//! off (`before-project`); and the rest is kept if it has a proper part. A span whose every word fits a name is
//! `suffix` evidence, any other `suffix-loose`.

use super::accept::counted;
use super::candidates::{is_verb, name_like, proper, Sentence};
use super::lexicon;
use super::words::{ends_company, COMMON_ENDINGS, GENERIC, INDUSTRIES, NOT_IN_NAMES, PREDICATES};
use super::Found;
use crate::extract::mentions::ZONE_WORDS;
use crate::read::text::is_han;

/// Words a company's name holds that the segmenter may read as verbs or time words (山东神驰控股有限公司,
/// 置业发展有限公司, 现代农业集团).
const COMPANY_WORDS: &[&str] = &[
    "控股",
    "投资",
    "建设",
    "发展",
    "置业",
    "贸易",
    "制造",
    "开发",
    "运营",
    "管理",
    "服务",
    "有限",
    "有限责任",
    "股份",
    "股份有限",
    "中",
    "现代",
];

/// A name's ending: token `i` ends with `suffix`, which gives type `kind`.
struct Ending {
    i: usize,
    suffix: &'static str,
    kind: &'static str,
}

/// The names ending at token `i` (a company found before its project, then the name itself), if it ends with one
/// of the lexicon's endings.
pub(super) fn names_before_ending(s: &Sentence, i: usize, found: &mut Vec<Found>) {
    let Some(ending) = ending_at(s, i) else { return };
    let mut first = extend_left(s, &ending);
    first = with_place_before_company(s, &ending, first);
    first = without_generic_front(s, &ending, first);
    if ending.suffix == "项目" {
        first = split_company_before_project(s, &ending, first, found);
    }
    found.extend(suffix_found(s, &ending, first));
}

/// The lexicon's ending token `i` ends with (a quick test of its last character first: this runs for every word).
fn ending_at(s: &Sentence, i: usize) -> Option<Ending> {
    let word = s.tokens[i].2;
    let lex = lexicon();
    if !word.chars().next_back().is_some_and(|c| lex.ending_chars.contains(c)) {
        return None;
    }
    let (suffix, kind) = lex.endings.iter().find(|(suffix, _)| word.ends_with(suffix.as_str()))?;
    Some(Ending { i, suffix: suffix.as_str(), kind })
}

/// How the search for a name's first token goes on at the token before the current first.
enum Step {
    /// That token is part of the name; go on.
    Take(usize),
    /// That token is the name's first.
    TakeLast(usize),
    /// The name starts at the current first.
    Stop,
}

/// The first token of the name ending at `e`: left over the words that may be part of it.
fn extend_left(s: &Sentence, e: &Ending) -> usize {
    let mut first = e.i;
    while first > 0 {
        match step_left(s, e, first) {
            Step::Take(j) => first = j,
            Step::TakeLast(j) => {
                first = j;
                break;
            }
            Step::Stop => break,
        }
    }
    first
}

/// Whether the token before `first` belongs to the name.
fn step_left(s: &Sentence, e: &Ending, first: usize) -> Step {
    let j = first - 1;
    let (ps, pe, pw, _) = s.tokens[j];
    if starts_after(s, e, j) {
        return Step::Stop;
    }
    if s.known_at(ps, pe) {
        // A known place in brackets is inside the name; any other known name may start it, and ends the search.
        let in_brackets = j > 0 && s.tokens[j - 1].2 == "(" && s.tokens.get(j + 1).is_some_and(|t| t.2 == ")");
        if in_brackets && s.known_place(ps, pe) {
            return Step::Take(j);
        }
        let starts = e.kind == "park" || e.kind == "company" || s.known_place(ps, pe);
        return if starts { Step::TakeLast(j) } else { Step::Stop };
    }
    // Products listed inside a capacity-named project (年产4万吨消毒剂、发泡剂项目): 、 back to 年产.
    if e.suffix == "项目" && pw == "、" {
        if let Some(y) = capacity_start(s, j) {
            return Step::Take(y);
        }
    }
    if continues_name(s, e, first) {
        Step::Take(j)
    } else {
        Step::Stop
    }
}

/// Does the name start after token `j`, whatever that token is? When the name would grow too long, and after the
/// company before a project or zone, a place word, a conjunction or preposition, or before 年产; and after a
/// zone's generic name before a project or base, which is where it lies.
fn starts_after(s: &Sentence, e: &Ending, j: usize) -> bool {
    let (ps, _, pw, _) = s.tokens[j];
    let end = s.tokens[e.i].1;
    // Projects named by product and capacity are long (年产40万吨…和5万吨…项目).
    let longest = if e.suffix == "项目" { 40 } else { 20 };
    if s.text[ps..end].chars().count() > longest {
        return true;
    }
    // A project's or a zone's name starts after the company before it (X有限公司年产5万吨…项目), after a place word
    // (园内), after a conjunction or preposition, and at 年产. A company's name ends at its legal form: none runs on
    // after one (X有限公司 + 工业机器人).
    let (kind, suffix) = (e.kind, e.suffix);
    if kind != "company" && ends_company(pw)
        || kind == "company" && pw.ends_with("有限公司") && suffix != "分公司"
        || pw.chars().count() <= 3 && pw.ends_with('内')
        || matches!(pw, "与" | "对" | "同" | "跟" | "向" | "把" | "被" | "将")
        || (s.text[s.tokens[j + 1].0..end].starts_with("年产") && !matches!(pw, "和" | "及"))
    {
        return true;
    }
    // A zone's generic name (高新区, 开发区) before a project or base is where it lies, not part of its name
    // (高密市高新区 + 机械设计总院基地项目), known or not.
    (suffix.ends_with("项目") || suffix.ends_with("基地")) && ZONE_WORDS.contains(&pw)
}

/// The 年产 that starts a capacity-named project listing its products, up to 、 at token `j`.
fn capacity_start(s: &Sentence, j: usize) -> Option<usize> {
    let tokens = &s.tokens;
    (j.saturating_sub(8)..j).rev().find(|&y| {
        tokens[y].2.starts_with("年产")
            && tokens[y + 1..j]
                .iter()
                .all(|t| name_like(t.2, t.3) && !t.2.ends_with("项目") && !s.known_at(t.0, t.1) && t.2 != "、")
    })
}

/// May the token before `first` be part of the name: a word that fits a name, and no predicate?
fn continues_name(s: &Sentence, e: &Ending, first: usize) -> bool {
    let tokens = &s.tokens;
    let j = first - 1;
    let (_, _, pw, pt) = tokens[j];
    // A construction verb after a name or another verb is a predicate: the name starts after it.
    let predicate = PREDICATES.contains(&pw)
        && j > 0
        && (s.known_at(tokens[j - 1].0, tokens[j - 1].1)
            || PREDICATES.contains(&tokens[j - 1].2)
            || is_verb(tokens[j - 1].3)
            || tokens[j - 1].3.starts_with('p'));
    // Two verbs in a row are a predicate too.
    let after_verb = first < e.i && is_verb(tokens[first].3);
    let one_char_adverb = pt == "d" && pw.chars().count() == 1;
    // 及, 和 and / join the products of one project (研发及产业化项目, 20万吨/年异壬醇项目).
    let joins = e.suffix == "项目"
        && (matches!(pw, "及" | "和" | "/")
            && first < e.i
            && j > 0
            && name_like(tokens[j - 1].2, tokens[j - 1].3)
            && !tokens[j - 1].2.ends_with("项目"));
    let fits = name_like(pw, pt)
        || (is_verb(pt) && !after_verb)
        || pt.starts_with('f')
        || one_char_adverb
        || joins
        || (e.kind == "company" && COMPANY_WORDS.contains(&pw));
    !predicate && fits
}

/// A known place right before a known company that starts the name is part of it (云南 + 云内动力 + …有限公司).
fn with_place_before_company(s: &Sentence, e: &Ending, first: usize) -> usize {
    let (fs, fe, _, _) = s.tokens[first];
    if first > 0 && first < e.i && s.known_at(fs, fe) && !s.known_place(fs, fe) {
        let (ps, pe, _, _) = s.tokens[first - 1];
        if s.known_place(ps, pe) {
            return first - 1;
        }
    }
    first
}

/// Does token `f` follow a company (a word ending like one, or a known company)?
fn after_company(s: &Sentence, f: usize) -> bool {
    f > 0
        && (ends_company(s.tokens[f - 1].2)
            || s.known.iter().any(|(e, r)| r.end == s.tokens[f].0 && s.dict.entity(*e).kind == "company"))
}

/// The first token after the generic words and verbs at the name's front; right after a company a generic noun
/// starts its project's name (X有限公司 + 农业机器人研发中心).
fn without_generic_front(s: &Sentence, e: &Ending, mut first: usize) -> usize {
    let tokens = &s.tokens;
    while first < e.i
        && (GENERIC.contains(&tokens[first].2) && !(e.kind == "park" && after_company(s, first))
            || is_verb(tokens[first].3)
            || PREDICATES.contains(&tokens[first].2))
    {
        first += 1;
    }
    first
}

/// A company's short name before its project (诺盟化工 + 年产…项目, 华盛生物科技 + 饮料蛋白项目): a trade name and a
/// trade word, then what the project makes; not when the rest is a park's name (…智能制造基地项目). Adds the company
/// (inside the span, or right before it) and returns the project's first token.
fn split_company_before_project(s: &Sentence, e: &Ending, first: usize, found: &mut Vec<Found>) -> usize {
    let split = (first + 1..e.i).find(|&c| {
        // The company may lead with its province (山东 + 华盛 + 生物科技).
        let leads = |c: usize| c == first || c == first + 1 && s.known_place(s.tokens[first].0, s.tokens[first].1);
        company_before(s, c).is_some_and(leads) && product_after(s, c, e.i)
    });
    if let Some(c) = split {
        found.push(company_found(s, first, c));
        return c;
    }
    if let Some(c) = (first > 0).then(|| company_before(s, first)).flatten() {
        found.push(company_found(s, c, first));
    }
    first
}

/// The company right before token `at` (诺盟化工 before 年产…项目): a trade name of one or two words with a proper
/// part and two characters at least, then one or more trade words (化工, 生物科技); its first token.
fn company_before(s: &Sentence, at: usize) -> Option<usize> {
    let tokens = &s.tokens;
    let trade = |k: usize| is_trade(tokens[k].2) && !s.known_at(tokens[k].0, tokens[k].1);
    let mut k = at;
    while k > 0 && trade(k - 1) {
        k -= 1;
    }
    if k == at {
        return None;
    }
    let mut start = k;
    while start > 0 && k - start < 2 {
        let (a, b, w, t) = tokens[start - 1];
        if s.known_at(a, b) || !t.starts_with('n') && !proper(s.matcher, w, t) || GENERIC.contains(&w) {
            break;
        }
        start -= 1;
    }
    let head = &tokens[start..k];
    let chars: usize = head.iter().map(|t| t.2.chars().count()).sum();
    (chars >= 2 && head.iter().any(|t| proper(s.matcher, t.2, t.3))).then_some(start)
}

/// A trade word, or several written as one (生物科技).
fn is_trade(word: &str) -> bool {
    let mut rest = word;
    while !rest.is_empty() {
        match INDUSTRIES.iter().find(|t| rest.starts_with(*t)) {
            Some(t) => rest = &rest[t.len()..],
            None => return false,
        }
    }
    !word.is_empty()
}

/// Do tokens `c..=i` (`i` ends with 项目) name a project by what it makes: no park's ending before 项目, and four
/// characters or more besides 项目 (艾草生物经济项目 is one name: 经济 is too little to be a product)?
fn product_after(s: &Sentence, c: usize, i: usize) -> bool {
    let rest = &s.text[s.tokens[c].0..s.tokens[i].1];
    let Some(what) = rest.strip_suffix("项目") else { return false };
    what.chars().count() >= 4
        && !lexicon().endings.iter().any(|(e, _)| what.ends_with(e.as_str()))
        && s.tokens[c..=i].iter().all(|t| name_like(t.2, t.3) || t.3.starts_with('v'))
}

/// A company found before its project, tokens `a..b`.
fn company_found(s: &Sentence, a: usize, b: usize) -> Found {
    let range = s.tokens[a].0..s.tokens[b - 1].1;
    Found { name: s.text[range.clone()].to_string(), range, evidence: "before-project", kind: "company", alias: None }
}

/// A name's span: tokens `first..=i`, its text and type.
struct Span<'a> {
    first: usize,
    i: usize,
    suffix: &'static str,
    /// The ending's type, but a zone named after a company (卡特彼勒工业区) is a park; one named after its place
    /// (曹妃甸工业区) a district.
    kind: &'static str,
    name: &'a str,
    /// Characters before the suffix.
    prefix_chars: usize,
}

/// The name from token `first` to the ending, if it is one: `suffix` if strict, else `suffix-loose`.
fn suffix_found(s: &Sentence, e: &Ending, first: usize) -> Option<Found> {
    let start = s.tokens[first].0;
    let name = &s.text[start..s.tokens[e.i].1];
    let company_at_head = s.known.iter().any(|(k, r)| r.start == start && s.dict.entity(*k).kind == "company");
    let zone_of_company = e.kind == "district" && e.suffix.ends_with("区") && company_at_head;
    let span = Span {
        first,
        i: e.i,
        suffix: e.suffix,
        kind: if zone_of_company { "park" } else { e.kind },
        name,
        prefix_chars: name.chars().count().saturating_sub(e.suffix.chars().count()),
    };
    let proper = has_proper_part(s, &span);
    if !acceptable_span(s, &span, proper) {
        return None;
    }
    let evidence = if strict(s, &span, proper) { "suffix" } else { "suffix-loose" };
    Some(Found { range: start..s.tokens[e.i].1, name: name.to_string(), evidence, kind: span.kind, alias: None })
}

/// Does the span have a proper part: a name jieba knows or guessed, or a place written in full (高柳镇, 寿光市; a
/// short alias such as 保税 is not) followed by nouns?
fn has_proper_part(s: &Sentence, span: &Span) -> bool {
    let (first, i) = (span.first, span.i);
    let (_, _, word, tag) = s.tokens[i];
    let full_place = |a: usize, b: usize| {
        s.known_place(a, b) && ["镇", "乡", "街道", "区", "县", "市"].iter().any(|x| s.text[a..b].ends_with(x))
    };
    let place_and_nouns = s.tokens[first..i].iter().enumerate().all(|(k, t)| {
        if k == 0 {
            full_place(t.0, t.1)
        } else {
            t.3.starts_with('n') && !s.known_at(t.0, t.1)
        }
    });
    s.tokens[first..i].iter().any(|&(_, _, w, t)| proper(s.matcher, w, t))
        || (i > first && place_and_nouns)
        || (word.chars().count() > span.suffix.chars().count() && proper(s.matcher, word, tag))
}

/// Is the span a name at all? It needs a proper part or, for descriptive names of parks, some length; a
/// one-character suffix always needs a proper part and no common word; a company needs a trade name besides its
/// place (河北有限公司 is a fragment); and no count or foreign character may stand in it.
fn acceptable_span(s: &Sentence, span: &Span, proper: bool) -> bool {
    let (first, i, suffix, name) = (span.first, span.i, span.suffix, span.name);
    let word = s.tokens[i].2;
    let acceptable = if suffix.chars().count() == 1 || suffix == "中心" {
        proper && !COMMON_ENDINGS.contains(&word)
    } else {
        proper || (span.prefix_chars >= 4 && span.kind == "park")
    };
    let only_place = s.tokens[first..i].iter().all(|t| s.known_place(t.0, t.1) || matches!(t.2, "(" | ")"));
    acceptable
        && !(span.kind == "company" && only_place && word.chars().count() == suffix.chars().count())
        && span.prefix_chars >= 2
        && name.chars().all(|c| {
            is_han(c) || c.is_ascii_alphanumeric() || "()·/-".contains(c) || c == '、' && name.starts_with("年产")
        })
        && !counted(name)
}

/// Strict: every word before the suffix is a noun, a proper name, a number or a measure (no verb, adverb or
/// generic word), and some word is proper — or the name states a capacity (年产…). A project may be named by what
/// it makes (清洁能源项目): four characters or more of nouns.
fn strict(s: &Sentence, span: &Span, proper: bool) -> bool {
    let (first, i, suffix, kind, name) = (span.first, span.i, span.suffix, span.kind, span.name);
    let tokens = &s.tokens;
    // A trade name the segmenter reads as a verb right after the leading place (山东 + 远航 + 橡胶科技有限公司).
    let trade_verb = |k: usize| {
        k == first + 1
            && kind == "company"
            && s.known_place(tokens[first].0, tokens[first].1)
            && !PREDICATES.contains(&tokens[k].2)
    };
    // A capacity-named project may list its products and hold a verb (年产…超高性能轮胎、…项目, 20万吨/年…项目); so
    // may a project right after its company (X有限公司 + 汽车尾气催化材料搬迁入园升级改造项目).
    let measured = name.starts_with(|c: char| c.is_ascii_digit())
        && ["万吨", "吨", "万套", "套", "台", "千瓦", "兆瓦"].iter().any(|q| name.contains(q));
    let company_project = suffix == "项目" && span.prefix_chars >= 4 && after_company(s, first);
    let capacity = name.starts_with("年产") || measured || company_project;
    let clean = tokens[first..i].iter().enumerate().all(|(k, &(_, _, w, t))| {
        trade_verb(first + k)
            || capacity && (w == "、" || t.starts_with('v') && !PREDICATES.contains(&w))
            || (kind == "company" && COMPANY_WORDS.contains(&w))
            || !NOT_IN_NAMES.contains(&w)
                && (matches!(t.chars().next(), Some('n' | 'j' | 'm' | 'q' | 'a' | 'b' | 'k' | 'g'))
                    || t == "eng"
                    || t == "vn"
                    || t.is_empty()
                    || matches!(w, "(" | ")" | "·")
                    || (suffix == "项目" && matches!(w, "及" | "和" | "/")))
    });
    clean
        && (proper || capacity || (suffix == "项目" && span.prefix_chars >= 4))
        && !(kind == "park" && tokens[first..i].iter().any(|t| PREDICATES.contains(&t.2)))
}

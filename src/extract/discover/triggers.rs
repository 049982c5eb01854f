//! The quick test before tagging: can a sentence hold a strong candidate at all? Most of the time of discovery goes
//! into tagging, so one Aho–Corasick scan (built once) looks for the words a strong cue needs, and each word found
//! is checked for what makes it that cue.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Match};

use super::lexicon::{lexicon, Lexicon};
use super::words::{CLAUSE_STARTS, COMMON_ENDINGS, PROJECT_GENERIC};
use crate::extract::mentions::{local_form, ZONE_WORDS};
use crate::model::EntityId;
use crate::read::text::is_han;

/// What a word the scan found is, by its place among the scan's patterns: the lexicon's endings, then its posts,
/// then its verbs whose subject is an official, then 等.
#[derive(PartialEq, Eq)]
enum Trigger {
    Ending,
    Post,
    SubjectVerb,
    ListEnd,
}

/// The scan for every ending, post, verb of official business and 等; `None` if it cannot be built (then every
/// sentence is tagged).
fn scan() -> Option<&'static AhoCorasick> {
    static TRIGGERS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let lex = lexicon();
    TRIGGERS
        .get_or_init(|| {
            let words = lex.endings.iter().map(|e| e.0.as_str()).chain(lex.posts.iter().map(String::as_str));
            let all = words.chain(lex.subject_verbs.iter().map(String::as_str)).chain(["等"]);
            AhoCorasick::builder().kind(Some(AhoCorasickKind::DFA)).build(all).ok()
        })
        .as_ref()
}

/// Does a sentence hold any word a strong candidate needs: a name ending, a post, a verb whose subject is an official
/// (see [`Lexicon`]), or 等? An ending counts only after a head that may start a name: not at a clause's start or
/// after a particle or conjunction (项目建成后, 经营和项目), not as the end of a common word (全区, 城区, 重点项目), not
/// after a count outside a list (12个项目), and not at the end of a longer known name (有限公司 in a listed company's
/// name) unless that name is a generic local one (高新区, 市发改委: another place may lead it).
pub(super) fn may_hold_names(text: &str, sentence: &Range<usize>, known: &[(EntityId, Range<usize>)]) -> bool {
    let Some(triggers) = scan() else { return true };
    let s = &text[sentence.clone()];
    let found: Vec<Match> = triggers.find_overlapping_iter(s).collect();
    let sentence = ScannedSentence { text, s, start: sentence.start, known, found: &found, lex: lexicon() };
    found.iter().any(|m| match sentence.trigger(m) {
        Trigger::ListEnd => sentence.list_with_new_items(m),
        Trigger::SubjectVerb => sentence.names_before_verb(m),
        Trigger::Post => sentence.new_name_after_post(m),
        Trigger::Ending => sentence.head_before_ending(m),
    })
}

/// One sentence and the words the scan found in it.
struct ScannedSentence<'a> {
    /// The whole normalised text.
    text: &'a str,
    /// The sentence.
    s: &'a str,
    /// Where the sentence starts in `text`.
    start: usize,
    known: &'a [(EntityId, Range<usize>)],
    found: &'a [Match],
    lex: &'static Lexicon,
}

impl ScannedSentence<'_> {
    fn trigger(&self, m: &Match) -> Trigger {
        let pattern = m.pattern().as_usize();
        let posts_from = self.lex.endings.len();
        let verbs_from = posts_from + self.lex.posts.len();
        if pattern >= verbs_from + self.lex.subject_verbs.len() {
            Trigger::ListEnd
        } else if pattern >= verbs_from {
            Trigger::SubjectVerb
        } else if pattern >= posts_from {
            Trigger::Post
        } else {
            Trigger::Ending
        }
    }

    /// A known name starting at byte `at` of the sentence (spaces skipped): where it ends.
    fn known_at(&self, at: usize) -> Option<usize> {
        let s = self.s;
        let at = self.start + at + (s.len() - at - s[at..].trim_start().len());
        self.known.iter().find(|(_, r)| r.start == at).map(|(_, r)| r.end - self.start)
    }

    /// Does a known name end at byte `at` of the sentence?
    fn known_end(&self, at: usize) -> bool {
        self.known.iter().any(|(_, r)| r.end == self.start + at)
    }

    /// Where the clause holding the word found starts (after punctuation other than 、), in the sentence.
    fn clause(&self, m: &Match) -> usize {
        let s = self.s;
        let from = s[..m.start()].rfind(|c: char| CLAUSE_STARTS.iter().any(|b| b.starts_with(c) && c != '、'));
        from.map_or(0, |f| f + s[f..].chars().next().map_or(0, char::len_utf8))
    }

    /// 等 closes a list; one whose items are all known names holds nothing new.
    fn list_with_new_items(&self, m: &Match) -> bool {
        let from = self.clause(m);
        let items: Vec<&str> = self.s[from..m.start()].split('、').collect();
        let mut at = from;
        let all_known = items.iter().enumerate().all(|(k, item)| {
            let (start, end) = (at, at + item.len());
            at = end + '、'.len_utf8();
            self.known_end(end) && (k == 0 || self.known_at(start) == Some(end))
        });
        !all_known
    }

    /// A verb of official business needs names before it, back to the clause's start (刘晓波主持, A、B调研): two or
    /// three characters each, surname first (not 会议强调), not all of them known.
    fn names_before_verb(&self, m: &Match) -> bool {
        let from = self.clause(m);
        let chunk = &self.s[from..m.start()];
        let lex = self.lex;
        let names = chunk.split('、').all(|name| {
            (2..=3).contains(&name.chars().count())
                && name.chars().next().is_some_and(|f| lex.surnames.contains(f) || lex.rare_surnames.contains(f))
        });
        names && self.known_at(from) != Some(m.start())
    }

    /// A post followed by a known name (董事长张三) finds nothing new, unless a list of names goes on; a post that
    /// begins a longer one (董事 in 董事长) is that one.
    fn new_name_after_post(&self, m: &Match) -> bool {
        let longer = |o: &Match| o.start() == m.start() && o.end() > m.end() && self.trigger(o) == Trigger::Post;
        if self.found.iter().any(longer) {
            return false;
        }
        match self.known_at(m.end()) {
            Some(end) => self.s[end..].starts_with('、'),
            None => true,
        }
    }

    /// An ending counts after a head that may start a name (see [`may_hold_names`]).
    fn head_before_ending(&self, m: &Match) -> bool {
        let (s, text) = (self.s, self.text);
        let (start, end) = (self.start + m.start(), self.start + m.end());
        let in_known = self.known.iter().any(|(_, r)| r.start < start && end <= r.end && !local_form(&text[r.clone()]));
        if in_known {
            return false;
        }
        let before = &s[..m.start()];
        let mut chars = before.char_indices().rev();
        let Some((_, prev)) = chars.next().filter(|&(_, c)| is_han(c) && !"和与及的了在对把是为将从向被等".contains(c))
        else {
            return false;
        };
        // A count before it (12个项目) names nothing, unless a list ends there (A、B三个项目).
        if "个批家项".contains(prev) && !s.contains('、') {
            return false;
        }
        let word = chars.next().map_or("", |(k, _)| &before[k..]);
        let ending = &s[m.range()];
        // A zone's word after a head (泰安 + 高新区, 滨海 + 新区) names a zone, though 新区 alone is a common word.
        let upto = &s[..m.end()];
        let zone = ZONE_WORDS
            .iter()
            .any(|z| upto.strip_suffix(z).and_then(|head| head.chars().next_back()).is_some_and(is_han));
        let common = PROJECT_GENERIC.contains(&word)
            || !zone
                && COMMON_ENDINGS.iter().any(|w| {
                    w.len() > ending.len() && w.ends_with(ending) && before.ends_with(&w[..w.len() - ending.len()])
                });
        !common
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::Dictionary;
    use crate::extract::mentions::Matcher;
    use crate::read::text::NormText;

    #[test]
    fn sentences_that_cannot_hold_a_new_name_are_not_tagged() {
        let dict = Dictionary::builtin().unwrap();
        let matcher = Matcher::new(&dict).unwrap();
        let table: &[(&str, bool)] = &[
            // An ending after a head, a post before an unknown name, a verb of business after a name, a list.
            ("宏达化工年产5万吨树脂项目开工。", true),
            ("董事长王大明介绍。", true),
            ("王大明调研。", true),
            ("星光模具、蓝海物流等企业入驻。", true),
            // Endings in common words, after a count or at a clause's start; no head before them.
            ("今年以来,全区经济运行稳中有进。", false),
            ("截至目前,已有12个项目完成备案。", false),
            ("项目建成后,年产值可达9亿元。", false),
            ("加快推进重点项目建设。", false),
            // A verb of business after no name; an ending inside a listed name.
            ("会议强调,要做好各项工作。", false),
            ("歌尔股份有限公司发布新品。", false),
            // A count closing a list still counts.
            ("金桥机械、银河物流两个项目开工。", true),
            // A post before a listed official finds nothing new; before a list of names it may.
            ("会上,董事长郭兴平讲话。", false),
            ("会上,董事长郭兴平、王大明讲话。", true),
            // A generic local name may be another place's (石家庄 + 市发改委).
            ("石家庄市发改委发布通知。", true),
            ("泰安高新区新签约项目12个。", true),
        ];
        for (text, want) in table {
            let norm = NormText::new(text);
            let known = matcher.find(&norm.text);
            assert_eq!(may_hold_names(&norm.text, &(0..norm.text.len()), &known), *want, "{text}");
        }
    }
}

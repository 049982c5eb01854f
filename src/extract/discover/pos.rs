//! Words the segmenter guessed (the `pos` cue): a word missing from its dictionary that it tags as a person (`nr`),
//! place (`ns`) or organization (`nt`), and the place names it knows. Its own dictionary's tags are often wrong for
//! names (城市 is a place, 楼宇 a person), so this evidence is weak: `guanxi suggest` tallies it, extraction does not
//! take it.

use super::candidates::Sentence;
use super::lexicon;
use super::words::COMMON_ENDINGS;
use super::Found;
use crate::read::text::is_han;

/// Words jieba's dictionary tags as places that are not place names.
const COMMON_PLACE_WORDS: &[&str] = &[
    "城市",
    "全国",
    "国内",
    "国际",
    "海外",
    "境外",
    "省内",
    "全省",
    "全市",
    "中华",
    "中国",
    "世界",
    "全球",
    "亚洲",
    "中外",
    "沿海",
    "内地",
    "本地",
    "外地",
    "各地",
    "当地",
    "农村",
    "城乡",
    "乡村",
    "东方",
    "西方",
    "南方",
    "北方",
    "中部",
    "西部",
    "东部",
    "桥头堡",
    "上市",
    "新旧",
    "海洋",
];

/// Words before a reporter's name in a byline (记者 李潇, 通讯员王明): the name is no official.
const BYLINE_WORDS: &[&str] =
    &["记者", "作者", "通讯员", "摄影", "摄影记者", "见习记者", "实习生", "编辑", "责编", "责任编辑", "撰稿", "报道员"];

/// Whether token `i` follows a byline word (spaces between allowed).
fn after_byline(s: &Sentence, i: usize) -> bool {
    let before = s.tokens[..i].iter().rev().find(|t| !t.2.trim().is_empty());
    before.is_some_and(|t| BYLINE_WORDS.iter().any(|w| t.2.ends_with(w)))
}

/// The name token `i` is, if the segmenter guessed it or knows it as a place.
pub(super) fn guessed_name(s: &Sentence, i: usize) -> Option<Found> {
    let (start, end, word, tag) = s.tokens[i];
    let n = word.chars().count();
    let guessed = !s.matcher.segmenter().has_word(word);
    let place_word = tag == "ns" && !COMMON_PLACE_WORDS.contains(&word);
    if !word.chars().all(is_han) || !(guessed || place_word) {
        return None;
    }
    let surname = word.chars().next().is_some_and(|c| lexicon().surnames.contains(c));
    let kind = match tag {
        // A person's name starts with a surname (双引, a slogan's short form, does not).
        "nr" | "nrfg" | "nrt" if (2..=3).contains(&n) && surname && !after_byline(s, i) => "official",
        "ns" if n >= 2 && !COMMON_ENDINGS.contains(&word) => "district",
        "nt" if n >= 3 => "organization",
        _ => return None,
    };
    Some(Found { range: start..end, name: word.to_string(), evidence: "pos", kind, alias: None })
}

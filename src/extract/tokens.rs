//! Words of a sentence: jieba-rs's segmentation with parts of speech, the token stream the trained stages read
//! (the tagger's word features, the scorer's words between and around a pair).
//!
//! A sentence is segmented once and its words kept on the [`Doc`](super::Doc) ([`Tokens::of`]); a part-of-speech
//! tag is one of jieba's fixed set, kept as a `&'static str`, so a word costs no allocation.

use std::ops::Range;

use jieba_rs::Jieba;

/// A word: byte range in its sentence and part-of-speech tag.
pub type Token = (usize, usize, &'static str);

/// jieba-rs's part-of-speech tags (its dictionary's and its HMM's), sorted; `""` is the tag of words added without
/// one (the dictionaries' names).
const TAGS: &[&str] = &[
    "", "a", "ad", "ag", "an", "b", "bg", "c", "d", "df", "dg", "e", "en", "eng", "f", "g", "h", "i", "in", "j", "jn",
    "k", "l", "ln", "m", "mg", "mq", "n", "ng", "nr", "nrfg", "nrt", "ns", "nt", "nz", "o", "p", "q", "qe", "qg", "r",
    "rg", "rr", "rz", "s", "t", "tg", "u", "ud", "ug", "uj", "ul", "uv", "uz", "v", "vd", "vg", "vi", "vn", "vq", "w",
    "x", "y", "yg", "z", "zg",
];

/// The static copy of a tag (`x`, jieba's tag for other characters, for one it does not list).
fn intern(tag: &str) -> &'static str {
    TAGS.binary_search(&tag).map_or("x", |i| TAGS[i])
}

/// The words of the sentences segmented so far, by sentence range.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    by_sentence: Vec<(Range<usize>, Vec<Token>)>,
}

impl Tokens {
    /// The words of the sentence at `range` of `text` (normalised), segmented on first use.
    pub fn of(&mut self, jieba: &Jieba, text: &str, range: Range<usize>) -> &[Token] {
        let at = match self.by_sentence.binary_search_by(|(r, _)| (r.start, r.end).cmp(&(range.start, range.end))) {
            Ok(at) => at,
            Err(at) => {
                let words = segment(jieba, &text[range.clone()]);
                self.by_sentence.insert(at, (range, words));
                at
            }
        };
        &self.by_sentence[at].1
    }

    /// The words of a sentence already segmented.
    pub fn get(&self, range: &Range<usize>) -> Option<&[Token]> {
        let at = self.by_sentence.binary_search_by(|(r, _)| (r.start, r.end).cmp(&(range.start, range.end))).ok()?;
        Some(&self.by_sentence[at].1)
    }
}

/// jieba-rs's words of one sentence, with the HMM for words its dictionary lacks.
pub fn segment(jieba: &Jieba, sentence: &str) -> Vec<Token> {
    let mut at = 0;
    jieba
        .tag(sentence, true)
        .into_iter()
        .map(|t| {
            let start = at;
            at += t.word.len();
            (start, at, intern(t.tag))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_sorted_and_interned() {
        assert!(TAGS.windows(2).all(|w| w[0] < w[1]));
        // (tag, interned)
        for (tag, want) in [("ns", "ns"), ("", ""), ("eng", "eng"), ("unknown", "x")] {
            assert_eq!(intern(tag), want);
        }
    }

    #[test]
    fn words_cover_the_sentence_and_are_kept_per_sentence() {
        let jieba = Jieba::new();
        let text = "星河公司在奎文区投资。王市长到场。";
        let mut tokens = Tokens::default();
        let first = tokens.of(&jieba, text, 0..30).to_vec();
        assert_eq!(first.first().map(|t| t.0), Some(0));
        assert_eq!(first.last().map(|t| t.1), Some(30));
        assert!(first.windows(2).all(|w| w[0].1 == w[1].0));
        assert_eq!(tokens.get(&(0..30)), Some(first.as_slice()));
        assert_eq!(tokens.get(&(30..51)), None);
    }
}

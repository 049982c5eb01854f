//! Text normalisation and sentence splitting.
//!
//! Matching runs on a normalised copy of each document: full-width ASCII and brackets become half-width, the
//! ideographic space becomes a space, the dot variants used inside names (`·` `•` `・` `‧` …) become `·`, and a single
//! line break between two Chinese characters (a hard wrap, possibly inside a name) is removed. [`NormText`] keeps a
//! compact map back to the original text, so every offset reported to users points into the text as written.

use std::ops::Range;

/// The dot every dot variant becomes.
pub const NAME_DOT: char = '·';

/// Is `c` a Chinese character (CJK unified ideograph, any extension block, or a compatibility ideograph)?
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' | '〇')
}

/// How one character is normalised: `None` drops it.
pub fn normalize_char(c: char) -> Option<char> {
    match c {
        // Full-width ASCII (including the full-width brackets) → ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => Some(' '),
        '\u{00B7}' | '\u{2022}' | '\u{2027}' | '\u{2219}' | '\u{22C5}' | '\u{30FB}' | '\u{FF65}' | '\u{0387}' => {
            Some(NAME_DOT)
        }
        // Zero-width characters and stray byte-order marks carry nothing.
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
        _ => Some(c),
    }
}

/// Normalises a dictionary name or alias the way document text is normalised, and also drops line breaks and
/// collapses runs of spaces, so a name copied with a stray break still matches.
pub fn normalize_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter_map(normalize_char) {
        match c {
            '\r' | '\n' | '\t' => {}
            ' ' if out.is_empty() || out.ends_with(' ') => {}
            _ => out.push(c),
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Does the text start with a count: a number, then one of the `measures` (12个, 三家, 一批)?
pub fn starts_with_count(text: &str, measures: &str) -> bool {
    const NUMERALS: &str = "0123456789一二三四五六七八九十百千万几多两数";
    let n = text.chars().take_while(|c| NUMERALS.contains(*c)).count();
    n > 0 && text.chars().nth(n).is_some_and(|c| measures.contains(c))
}

/// A document's normalised text with a map back to the original.
#[derive(Clone, Debug)]
pub struct NormText {
    /// The normalised text.
    pub text: String,
    /// `(normalised byte, original byte)` pairs, sorted: from each pair up to the next one the text is copied
    /// unchanged, so any offset is found by one binary search.
    checkpoints: Vec<(usize, usize)>,
    /// Normalised byte offsets where a line break was removed: sentence boundaries unless a mention spans them.
    soft_breaks: Vec<usize>,
}

impl NormText {
    /// Normalises `original`; a Traditional Chinese text is read through its Simplified rendering
    /// ([`super::script`]), character for character, so that offsets still point into the original.
    pub fn new(original: &str) -> Self {
        let simplified = super::script::simplified_chars(original);
        let mut text = String::with_capacity(original.len());
        let mut checkpoints = vec![(0, 0)];
        let mut soft_breaks = Vec::new();
        let mut last_visible: Option<char> = None;
        let mut iter = original.char_indices().enumerate().map(|(k, (pos, c))| (pos, c, k)).peekable();
        while let Some((pos, c, k)) = iter.next() {
            if c == '\n' || c == '\r' || c == '\u{3000}' || c == ' ' || c == '\t' {
                // A run of white space: a soft break if it holds exactly one line break between two Chinese characters.
                let mut end = pos + c.len_utf8();
                while let Some(&(p, d, _)) = iter.peek() {
                    if matches!(d, '\n' | '\r' | '\u{3000}' | ' ' | '\t') {
                        end = p + d.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                let run = &original[pos..end];
                let breaks = count_line_breaks(run);
                let next = iter.peek().map(|&(_, d, _)| d);
                if breaks == 1 && last_visible.is_some_and(is_han) && next.is_some_and(is_han) {
                    soft_breaks.push(text.len());
                    checkpoints.push((text.len(), end));
                    continue;
                }
                for (off, d) in run.char_indices() {
                    let n = if d == '\u{3000}' { ' ' } else { d };
                    text.push(n);
                    if n != d {
                        checkpoints.push((text.len(), pos + off + d.len_utf8()));
                    }
                }
                continue;
            }
            let read = simplified.as_ref().map_or(c, |s| s[k]);
            match normalize_char(read) {
                Some(n) if n == c => text.push(c),
                Some(n) => {
                    text.push(n);
                    checkpoints.push((text.len(), pos + c.len_utf8()));
                }
                None => checkpoints.push((text.len(), pos + c.len_utf8())),
            }
            last_visible = Some(c);
        }
        NormText { text, checkpoints, soft_breaks }
    }

    /// The original byte offset of normalised byte offset `n` (a character boundary).
    pub fn to_original(&self, n: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(cn, _)| cn <= n) - 1;
        let (cn, co) = self.checkpoints[i];
        co + (n - cn)
    }

    /// The original byte range of a normalised byte range, not including white space removed at its end.
    pub fn range_to_original(&self, original: &str, r: Range<usize>) -> Range<usize> {
        let start = self.to_original(r.start);
        if r.end <= r.start {
            return start..start;
        }
        let last = self.text[..r.end].char_indices().next_back().map_or(0, |(i, _)| i);
        let last_orig = self.to_original(r.start.max(last));
        let len = original[last_orig..].chars().next().map_or(0, char::len_utf8);
        start..last_orig + len
    }

    /// Normalised byte offsets where a line break was removed.
    pub fn soft_breaks(&self) -> &[usize] {
        &self.soft_breaks
    }
}

/// Counts line breaks, taking `\r\n` and a lone `\r` as one each.
fn count_line_breaks(s: &str) -> usize {
    s.matches('\n').count() + s.matches('\r').count() - s.matches("\r\n").count()
}

/// Characters that end a sentence. `;` ends one too: Chinese news uses it between clauses that stand alone.
fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '\n' | '\r' | '…')
}

/// Closing quotes and brackets that belong to the sentence they follow.
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '》' | ')' | '】' | '"' | '\'')
}

/// Splits normalised text into sentences (byte ranges, trimmed of white space, never empty).
///
/// Sentences end at `。 ! ? ;` (after normalisation), at line breaks, and at removed line breaks unless one of
/// `keep_together` (mention ranges, sorted by start) spans the removed break.
pub fn sentences(norm: &NormText, keep_together: &[Range<usize>]) -> Vec<Range<usize>> {
    let text = norm.text.as_str();
    let mut cuts: Vec<usize> = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_terminator(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = iter.peek() {
                if is_closer(d) || (is_terminator(d) && d != '\n' && d != '\r') {
                    end = j + d.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            cuts.push(end);
        }
    }
    let mut m = 0;
    for &b in norm.soft_breaks() {
        while m < keep_together.len() && keep_together[m].end <= b {
            m += 1;
        }
        let spanned = keep_together[m..].iter().take_while(|r| r.start < b).any(|r| r.start < b && b < r.end);
        if !spanned {
            cuts.push(b);
        }
    }
    cuts.sort_unstable();
    cuts.push(text.len());
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts {
        if cut <= start {
            continue;
        }
        for piece_range in cap_length(text, start..cut, keep_together) {
            let piece = &text[piece_range.clone()];
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            if lead + trail < piece.len() {
                out.push(piece_range.start + lead..piece_range.end - trail);
            }
        }
        start = cut;
    }
    out
}

/// The longest sentence, in characters. Text without punctuation (a scraped table, a run-on page) would otherwise
/// make one sentence whose mentions all pair up; longer stretches are cut at a clause break.
pub const MAX_SENTENCE_CHARS: usize = 1_000;

/// Cuts `range` into pieces of at most [`MAX_SENTENCE_CHARS`] characters, preferring to cut after a comma, `、`
/// or space in the second half of a piece, and never inside one of `keep_together`.
fn cap_length(text: &str, range: Range<usize>, keep_together: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    while text[start..range.end].chars().nth(MAX_SENTENCE_CHARS).is_some() {
        let limit = start + text[start..].char_indices().nth(MAX_SENTENCE_CHARS).map_or(range.end, |(i, _)| i);
        let half = start + text[start..].char_indices().nth(MAX_SENTENCE_CHARS / 2).map_or(limit, |(i, _)| i);
        let inside = |at: usize| {
            let i = keep_together.partition_point(|r| r.end <= at);
            keep_together.get(i).is_some_and(|r| r.start < at)
        };
        let mut cut = text[half..limit]
            .char_indices()
            .rev()
            .map(|(i, c)| (half + i + c.len_utf8(), c))
            .find(|&(at, c)| matches!(c, ',' | '、' | ' ' | '\t') && !inside(at))
            .map_or(limit, |(at, _)| at);
        while inside(cut) {
            cut = prev_char_boundary(text, cut);
        }
        if cut <= start {
            cut = limit;
        }
        out.push(start..cut);
        start = cut;
    }
    out.push(start..range.end);
    out
}

/// The start of the character before byte offset `at` (0 at the start).
pub(crate) fn prev_char_boundary(text: &str, at: usize) -> usize {
    text[..at].char_indices().next_back().map_or(0, |(i, _)| i)
}

/// The end of the character at byte offset `at` (the text's length at the end).
pub(crate) fn next_char_boundary(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(text.len(), |c| at + c.len_utf8())
}

/// Converts increasing byte offsets of one text into character offsets in one pass.
#[derive(Debug, Default)]
pub struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    /// The character offset of byte offset `byte` (a character boundary) of `text`.
    pub fn at(&mut self, text: &str, byte: usize) -> usize {
        if byte < self.byte {
            *self = CharCounter::default();
        }
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_characters() {
        let table = [
            ("潍坊（上海）生物医药产业园", "潍坊(上海)生物医药产业园"),
            ("中南高科•鸢都汇智产业园", "中南高科·鸢都汇智产业园"),
            ("奎文・玉文创产业园", "奎文·玉文创产业园"),
            ("ＡＢＣ１２３", "ABC123"),
            ("全　区", "全 区"),
            ("歌\u{200B}尔", "歌尔"),
        ];
        for (input, want) in table {
            assert_eq!(NormText::new(input).text, want, "input {input:?}");
        }
    }

    #[test]
    fn normalises_names() {
        let table = [
            ("  潍坊综合\n保税区 ", "潍坊综合保税区"),
            ("Goertek   Inc", "Goertek Inc"),
            ("新松（潍坊）智慧园", "新松(潍坊)智慧园"),
        ];
        for (input, want) in table {
            assert_eq!(normalize_name(input), want, "input {input:?}");
        }
    }

    #[test]
    fn joins_hard_wrapped_lines_only() {
        let table = [
            ("潍坊综合\n保税区", "潍坊综合保税区", 1),
            ("潍坊综合\r\n  保税区", "潍坊综合保税区", 1),
            ("潍坊。\n保税区", "潍坊。\n保税区", 0),
            ("潍坊\n\n保税区", "潍坊\n\n保税区", 0),
            ("abc\ndef", "abc\ndef", 0),
        ];
        for (input, want, breaks) in table {
            let n = NormText::new(input);
            assert_eq!(n.text, want, "input {input:?}");
            assert_eq!(n.soft_breaks().len(), breaks, "input {input:?}");
        }
    }

    #[test]
    fn maps_offsets_back_to_the_original() {
        let original = "走进（山东）圣和\n薄膜，ＡＢ。";
        let n = NormText::new(original);
        assert_eq!(n.text, "走进(山东)圣和薄膜,AB。");
        for needle in ["山东", "圣和薄膜", "AB", "。", "走进"] {
            let at = n.text.find(needle).unwrap();
            let r = n.range_to_original(original, at..at + needle.len());
            let back = normalize_name(&original[r.clone()]);
            assert_eq!(back, needle, "needle {needle:?} mapped to {r:?}");
        }
    }

    #[test]
    fn splits_sentences() {
        let table: &[(&str, &[&str])] = &[
            ("甲。乙!丙", &["甲。", "乙!", "丙"]),
            ("他说:“好。”然后走了。", &["他说:“好。”", "然后走了。"]),
            ("第一行\n\n  第二行  ", &["第一行", "第二行"]),
            ("标题\n正文开始。", &["标题", "正文开始。"]),
            ("甲;乙;", &["甲;", "乙;"]),
            ("", &[]),
            ("  \n ", &[]),
        ];
        for (input, want) in table {
            let n = NormText::new(input);
            let got: Vec<&str> = sentences(&n, &[]).into_iter().map(|r| &n.text[r]).collect();
            assert_eq!(&got, want, "input {input:?}");
        }
    }

    #[test]
    fn caps_sentence_length_without_cutting_a_mention() {
        let run = "潍坊".repeat(3_000);
        let n = NormText::new(&run);
        // A mention straddling the character limit of the first piece.
        let mention = 1_998 * 3..2_004 * 3;
        let pieces = sentences(&n, std::slice::from_ref(&mention));
        assert!(pieces.len() >= 6, "{}", pieces.len());
        for p in &pieces {
            assert!(n.text[p.clone()].chars().count() <= MAX_SENTENCE_CHARS);
            assert!(!(p.start > mention.start && p.start < mention.end), "a piece starts inside the mention");
        }
        assert_eq!(pieces.first().unwrap().start, 0);
        assert_eq!(pieces.last().unwrap().end, n.text.len());
        // Commas are preferred cut points.
        let text = format!("{},{}", "甲".repeat(800), "乙".repeat(800));
        let n = NormText::new(&text);
        let pieces: Vec<&str> = sentences(&n, &[]).into_iter().map(|r| &n.text[r]).collect();
        assert_eq!(pieces[0], format!("{},", "甲".repeat(800)));
    }

    #[test]
    fn a_mention_across_a_removed_break_keeps_its_sentence_whole() {
        let n = NormText::new("走进潍坊综合\n保税区。");
        let at = n.text.find("潍坊综合保税区").unwrap();
        let mention = at..at + "潍坊综合保税区".len();
        assert_eq!(sentences(&n, &[]).len(), 2);
        assert_eq!(sentences(&n, &[mention]).len(), 1);
    }

    #[test]
    fn counts_characters() {
        let text = "潍坊a综保区";
        let mut c = CharCounter::default();
        assert_eq!(c.at(text, 0), 0);
        assert_eq!(c.at(text, 6), 2);
        assert_eq!(c.at(text, 7), 3);
        assert_eq!(c.at(text, 3), 1);
    }
}

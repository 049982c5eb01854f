//! Stage 2, dictionary mentions: where dictionary entities occur in normalised text.
//!
//! One Aho–Corasick automaton (daachorse's character-wise double array, leftmost-longest; the benchmark shows it
//! scanning about four times as fast as the aho-corasick crate on a 100,000-name dictionary) holds every name and
//! alias. A hit must start and end on Chinese
//! word boundaries: jieba-rs segments a small window around it (never the whole text), with every dictionary name
//! loaded as a user word so that segmentation agrees with the dictionaries. A rejected hit is retried with the
//! longest shorter entry starting at the same place, then the scan resumes one character later, so a valid shorter
//! name is never hidden behind an invalid longer one.

use std::ops::Range;

use daachorse::{
    CharwiseDoubleArrayAhoCorasick as DoubleArrayAhoCorasick,
    CharwiseDoubleArrayAhoCorasickBuilder as DoubleArrayAhoCorasickBuilder, MatchKind as DaachorseMatchKind,
};
use jieba_rs::Jieba;

use crate::dict::Dictionary;
use crate::error::{Error, Result};
use crate::model::{EntityId, Mention};
use crate::read::text::{is_han, next_char_boundary, prev_char_boundary, CharCounter};

use super::doc::{span_with, Doc};

/// The stage: the dictionary mentions of a document, in text order, with their spans in the original text.
pub fn add(matcher: &Matcher, doc: &mut Doc) {
    let mut chars = CharCounter::default();
    doc.mentions = matcher
        .find(&doc.norm.text)
        .into_iter()
        .map(|(entity, norm)| {
            let span = span_with(&mut chars, &doc.norm, &doc.source.text, norm.clone());
            Mention { entity, norm, span }
        })
        .collect();
}

/// Characters of context segmented on each side of a hit.
const WINDOW: usize = 6;

/// Characters of a hit segmented after its start and before its end when it is longer than twice this: the same
/// context as outside. Shorter hits (all real names) are segmented whole with their context.
const LONG_HIT: usize = 3 * WINDOW;

/// Why a candidate was kept or rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A mention.
    Kept,
    /// The hit cuts through a word of the segmentation; the word is given.
    WordBoundary(String),
    /// A surface form several entities claim (高新区), and nothing in the document decides which it means: the
    /// candidates are given.
    Ambiguous(Vec<EntityId>),
}

/// What decides between the entities an ambiguous surface form may mean.
#[derive(Clone, Debug)]
struct Rival {
    /// Its canonical name, normalised (枣庄高新区: a document naming 枣庄 means it).
    name: String,
    /// Its parent, if the dictionary gives one that is itself an entity.
    parent: Option<EntityId>,
}

/// A place where a dictionary surface form occurs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The entity the surface form refers to.
    pub entity: EntityId,
    /// Byte range in the normalised text.
    pub range: Range<usize>,
    /// Kept, or why not.
    pub verdict: Verdict,
    /// Found through a weak alias (counts only if the document also names the entity otherwise).
    pub weak: bool,
    /// Found through a city's generic short name for its own zone or body (高新区, 市发改委: see [`local_form`]).
    pub local: bool,
}

/// Generic names of a city's functional zones: every city has its own 高新区.
pub const ZONE_WORDS: &[&str] =
    &["高新区", "开发区", "经开区", "经济区", "综保区", "保税区", "新区", "工业园区", "产业园区"];

/// Is this surface a city's generic short name for one of its zones or bodies (高新区, 市发改委, 区委)? As an alias
/// of a listed entity it counts only in a document that names the entity otherwise or names its city (or a place
/// in it): 高新区 in an article about 兖州 is 兖州's, not 潍坊's.
pub fn local_form(surface: &str) -> bool {
    ZONE_WORDS.contains(&surface) || surface.starts_with(['市', '区', '县']) && surface.chars().count() >= 2
}

/// Finds dictionary entities in normalised text.
pub struct Matcher {
    /// `None` when the dictionary has no searchable name.
    automaton: Option<DoubleArrayAhoCorasick<u32>>,
    /// Surface forms, sorted; the automaton's values index them.
    patterns: Vec<String>,
    entity_of: Vec<EntityId>,
    weak: Vec<bool>,
    /// Per pattern: a generic local short name, an alias of an entity with a parent (see [`local_form`]).
    local: Vec<bool>,
    /// Every entity's parent, where the dictionary gives one.
    parent_of: std::collections::HashMap<EntityId, EntityId>,
    /// For each pattern claimed by several entities, all of them (the default first).
    rivals: std::collections::HashMap<usize, Box<[EntityId]>>,
    rival_info: std::collections::HashMap<EntityId, Rival>,
    jieba: Jieba,
    /// Aliases from users' dictionaries that are common words (see [`Matcher::common_word_aliases`]).
    common_aliases: Vec<(String, EntityId)>,
    /// Word-boundary verdicts already reached, by the window segmented and the hit's place in it: a verdict depends
    /// on nothing else, and news repeats its names in the same phrases.
    verdicts: std::sync::Mutex<Verdicts>,
    /// Characters segmented by word-boundary checks so far: the tests' measure of cost.
    #[cfg(test)]
    segmented: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("patterns", &self.entity_of.len()).finish()
    }
}

/// Short Chinese aliases (three characters at most) from users' dictionaries, not weak ones: those that may be
/// common words of the segmenter's dictionary.
fn short_user_aliases(dict: &Dictionary, surfaces: &[(&str, EntityId, bool)]) -> Vec<(String, EntityId)> {
    surfaces
        .iter()
        .filter(|&&(s, e, is_weak)| {
            let entity = dict.entity(e);
            !is_weak
                && !entity.origin.file.starts_with("builtin")
                && crate::read::text::normalize_name(&entity.name) != s
                && s.chars().count() <= 3
                && s.chars().all(is_han)
        })
        .map(|&(s, e, _)| (s.to_string(), e))
        .collect()
}

impl Matcher {
    /// Builds the automaton and the segmenter for a dictionary.
    pub fn new(dict: &Dictionary) -> Result<Self> {
        let mut patterns = Vec::new();
        let mut entity_of = Vec::new();
        let mut weak = Vec::new();
        let mut local = Vec::new();
        let parent_of: std::collections::HashMap<EntityId, EntityId> =
            (0..dict.len()).filter_map(|e| Some((e, dict.parent(e)?))).collect();
        // Surface forms come sorted, so a pattern can be found again by binary search.
        let mut rivals = std::collections::HashMap::new();
        let mut rival_info = std::collections::HashMap::new();
        let surfaces: Vec<(&str, EntityId, bool)> = dict.surfaces().collect();
        for &(surface, entity, is_weak) in &surfaces {
            if let Some(all) = dict.rivals(surface) {
                rivals.insert(patterns.len(), all.into());
                for &e in all {
                    let entity = dict.entity(e);
                    let name = crate::read::text::normalize_name(&entity.name);
                    rival_info.insert(e, Rival { name, parent: dict.parent(e) });
                }
            }
            patterns.push(surface.to_string());
            entity_of.push(entity);
            weak.push(is_weak);
            let alias = crate::read::text::normalize_name(&dict.entity(entity).name) != surface;
            local.push(alias && local_form(surface) && parent_of.contains_key(&entity));
        }
        let build_automaton = || {
            DoubleArrayAhoCorasickBuilder::new()
                .match_kind(DaachorseMatchKind::LeftmostLongest)
                .build_with_values(patterns.iter().enumerate().map(|(i, p)| (p.as_str(), i as u32)))
                .map_err(|e| Error::Usage(format!("cannot build the dictionary automaton: {e}")))
        };
        // Aliases from users' dictionaries that are common words of the segmenter's own dictionary (园区, 开发区):
        // checked before the dictionary's names are added to it.
        let user_aliases = short_user_aliases(dict, &surfaces);
        let mut common = Vec::new();
        let build_jieba = || {
            let mut jieba = Jieba::new();
            for (alias, e) in &user_aliases {
                let tags = jieba.tag(alias, false);
                let proper = ["nr", "ns", "nt", "nz"].iter().any(|p| tags[0].tag.starts_with(p));
                if tags.len() == 1 && jieba.has_word(alias) && !proper {
                    common.push((alias.clone(), *e));
                }
            }
            for p in &patterns {
                if p.chars().any(is_han) {
                    jieba.add_word(p, None, None);
                }
            }
            jieba
        };
        // The two are independent: build them side by side (on two cores, loading takes the longer of the two).
        // Not on a thread of their own under `-j1`: their peaks would add up (about 60 MB more).
        let (automaton, jieba) =
            rayon::join(|| if patterns.is_empty() { Ok(None) } else { build_automaton().map(Some) }, build_jieba);
        let automaton = automaton?;
        Ok(Matcher {
            automaton,
            patterns,
            entity_of,
            weak,
            local,
            parent_of,
            rivals,
            rival_info,
            jieba,
            common_aliases: common,
            verdicts: Default::default(),
            #[cfg(test)]
            segmented: Default::default(),
        })
    }

    /// Aliases from users' dictionaries (not the built-in ones) that the segmenter's own dictionary holds as common
    /// words (园区, 江南 as an official's alias): each is found wherever the word is used. `weak_aliases` keeps such a
    /// short form to documents that also name the entity otherwise.
    pub fn common_word_aliases(&self) -> &[(String, EntityId)] {
        &self.common_aliases
    }

    /// Every candidate in `text`, kept or rejected, in text order, with ambiguous surface forms decided for this
    /// text (see [`Matcher::find`]).
    pub fn candidates(&self, text: &str) -> Vec<Candidate> {
        let mut out = self.raw_candidates(text);
        if !self.rivals.is_empty() {
            self.resolve(text, &mut out);
        }
        out
    }

    /// Decides what each kept candidate with an ambiguous surface form means in this text: the one entity among
    /// those claiming it that the text also names by another name; else the one whose parent it names; else the
    /// one whose name starts with a place it names (枣庄 → 枣庄高新区). If none or several fit, the candidate is
    /// rejected as [`Verdict::Ambiguous`].
    fn resolve(&self, text: &str, candidates: &mut [Candidate]) {
        let pattern_of =
            |c: &Candidate| self.patterns.binary_search_by(|p| p.as_str().cmp(&text[c.range.clone()])).ok();
        let ambiguous: Vec<Option<&[EntityId]>> = candidates
            .iter()
            .map(|c| {
                if c.verdict == Verdict::Kept {
                    pattern_of(c).and_then(|p| self.rivals.get(&p)).map(|r| &**r)
                } else {
                    None
                }
            })
            .collect();
        if ambiguous.iter().all(Option::is_none) {
            return;
        }
        let named: std::collections::HashSet<EntityId> = candidates
            .iter()
            .zip(&ambiguous)
            .filter(|(c, a)| c.verdict == Verdict::Kept && !c.weak && a.is_none())
            .map(|(c, _)| c.entity)
            .collect();
        let surfaces: Vec<&str> = candidates
            .iter()
            .zip(&ambiguous)
            .filter(|(c, a)| c.verdict == Verdict::Kept && a.is_none())
            .map(|(c, _)| &text[c.range.clone()])
            .collect();
        for (c, rivals) in candidates.iter_mut().zip(&ambiguous) {
            let Some(rivals) = rivals else { continue };
            let info = |e: &EntityId| self.rival_info.get(e);
            let tests: [&dyn Fn(&EntityId) -> bool; 3] = [
                &|e| named.contains(e),
                &|e| info(e).and_then(|r| r.parent).is_some_and(|p| named.contains(&p)),
                &|e| info(e).is_some_and(|r| surfaces.iter().any(|s| r.name.len() > s.len() && r.name.starts_with(s))),
            ];
            let decided = tests.iter().find_map(|test| {
                let fit: Vec<EntityId> = rivals.iter().copied().filter(|e| test(e)).collect();
                (fit.len() == 1).then(|| fit[0])
            });
            match decided {
                Some(e) => c.entity = e,
                None => c.verdict = Verdict::Ambiguous(rivals.to_vec()),
            }
        }
    }

    fn raw_candidates(&self, text: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        let Some(automaton) = &self.automaton else {
            return out;
        };
        let mut pos = 0;
        'scan: while pos < text.len() {
            for m in automaton.leftmost_find_iter(&text[pos..]) {
                let (start, found_end) = (pos + m.start(), pos + m.end());
                let (mut end, mut pattern) = (found_end, m.value() as usize);
                let mut shorter = 0;
                loop {
                    let verdict = self.check(text, start..end);
                    let kept = verdict == Verdict::Kept;
                    out.push(Candidate {
                        entity: self.entity_of[pattern],
                        range: start..end,
                        verdict,
                        weak: self.weak[pattern],
                        local: self.local[pattern],
                    });
                    if kept && end == found_end {
                        break;
                    }
                    if kept {
                        // A shorter entry was kept: scan on from its end.
                        pos = end;
                        continue 'scan;
                    }
                    // Try the longest shorter entry that starts at the same place, else go on one character later.
                    // At most MAX_SHORTER of them: names nested in each other by the hundred (a run of one character
                    // and a dictionary of its repetitions) would otherwise cost their square at every character.
                    shorter += 1;
                    match self.longest_entry_before(text, start, end).filter(|_| shorter <= MAX_SHORTER) {
                        Some((e, p)) => (end, pattern) = (e, p),
                        None => {
                            pos = next_char_boundary(text, start);
                            continue 'scan;
                        }
                    }
                }
            }
            break;
        }
        out
    }

    /// The longest entry `text[start..e]` with `e < end`, if any: (its end, its pattern index).
    fn longest_entry_before(&self, text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
        let mut e = prev_char_boundary(text, end);
        while e > start {
            if let Ok(p) = self.patterns.binary_search_by(|x| x.as_str().cmp(&text[start..e])) {
                return Some((e, p));
            }
            e = prev_char_boundary(text, e);
        }
        None
    }

    /// The word segmenter, with every dictionary name loaded as a word.
    pub fn segmenter(&self) -> &Jieba {
        &self.jieba
    }

    /// The kept mentions in `text`: entity and byte range, in text order. A mention through a weak alias is kept
    /// only if the same entity is also found through its name or a regular alias; one through a generic local
    /// name (高新区, 市发改委) only if so, or if the text names the entity's city or a place in it.
    pub fn find(&self, text: &str) -> Vec<(EntityId, Range<usize>)> {
        let kept: Vec<Candidate> = self.candidates(text).into_iter().filter(|c| c.verdict == Verdict::Kept).collect();
        if !kept.iter().any(|c| c.weak || c.local) {
            return kept.into_iter().map(|c| (c.entity, c.range)).collect();
        }
        let strong: std::collections::HashSet<EntityId> =
            kept.iter().filter(|c| !c.weak && !c.local).map(|c| c.entity).collect();
        kept.into_iter().filter(|c| self.counts(c, &strong)).map(|c| (c.entity, c.range)).collect()
    }

    /// Does a kept candidate count, given the entities named by their names or regular aliases?
    pub fn counts(&self, c: &Candidate, strong: &std::collections::HashSet<EntityId>) -> bool {
        if strong.contains(&c.entity) {
            return true;
        }
        if c.weak {
            return false;
        }
        if !c.local {
            return true;
        }
        let Some(&city) = self.parent_of.get(&c.entity) else { return true };
        // The city itself, or a place whose chain of parents (from the map, not looked up by name) reaches it.
        strong.iter().any(|&named| {
            std::iter::successors(Some(named), |e| self.parent_of.get(e).copied()).take(8).any(|e| e == city)
        })
    }

    /// Every occurrence of every surface form in `text`, overlapping ones included (for explanations; this builds
    /// a second automaton).
    pub fn occurrences(&self, text: &str) -> Vec<(EntityId, Range<usize>)> {
        let all: Result<DoubleArrayAhoCorasick<u32>, _> = DoubleArrayAhoCorasickBuilder::new()
            .build_with_values(self.patterns.iter().enumerate().map(|(i, p)| (p.as_str(), i as u32)));
        let Ok(all) = all else {
            return Vec::new();
        };
        all.find_overlapping_iter(text).map(|m| (self.entity_of[m.value() as usize], m.start()..m.end())).collect()
    }

    /// Checks that `hit` starts and ends on word boundaries of a segmentation of its surroundings.
    fn check(&self, text: &str, hit: Range<usize>) -> Verdict {
        let before = text[..hit.start].chars().next_back();
        let after = text[hit.end..].chars().next();
        let first = text[hit.clone()].chars().next();
        let last = text[hit.clone()].chars().next_back();
        let joined = |a: Option<char>, b: Option<char>| a.is_some_and(is_han) && b.is_some_and(is_han);
        let (check_start, check_end) = (joined(before, first), joined(last, after));
        if !check_start && !check_end {
            return Verdict::Kept;
        }
        let start = window_edge(text[..hit.start].char_indices().rev(), hit.start, true);
        let end = window_edge(text[hit.end..].char_indices().map(|(i, c)| (hit.end + i, c)), hit.end, false);
        // The window and where the hit lies in it decide the verdict.
        let (window, at) = (&text[start..end], ((hit.start - start) as u32, (hit.end - start) as u32));
        let cache = || self.verdicts.lock().unwrap_or_else(|e| e.into_inner());
        let known = |v: &Vec<(u32, u32, Verdict)>| v.iter().find(|k| (k.0, k.1) == at).map(|k| k.2.clone());
        if let Some(v) = cache().get(window).and_then(known) {
            return v;
        }
        let verdict = self.segment_check(text, hit, start, end, check_start, check_end);
        let mut cache = cache();
        if cache.len() >= MAX_VERDICTS {
            cache.clear();
        }
        cache.entry(window.into()).or_default().push((at.0, at.1, verdict.clone()));
        verdict
    }

    /// [`Matcher::check`] of a hit that joins Chinese text at an edge, within the window `start..end`.
    fn segment_check(
        &self,
        text: &str,
        hit: Range<usize>,
        start: usize,
        end: usize,
        check_start: bool,
        check_end: bool,
    ) -> Verdict {
        // Cheap first: unless some word of the segmenter's dictionary spans an edge, no segmentation can cut there.
        let crossed = |at: usize| self.word_across(text, at, start, end);
        if !(check_start && crossed(hit.start) || check_end && crossed(hit.end)) {
            return Verdict::Kept;
        }
        // A long hit is segmented in two windows, one around each edge (the inside of a long name does not decide
        // its edges): the cost of a check stays bounded however long the dictionary's names are.
        let inside = text[hit.clone()].char_indices().map(|(i, _)| hit.start + i);
        let windows = match (inside.clone().nth(LONG_HIT), inside.clone().nth_back(LONG_HIT)) {
            (Some(after_start), Some(before_end)) if after_start < before_end => {
                vec![(start, after_start), (before_end, end)]
            }
            _ => vec![(start, end)],
        };
        // A place's own organ after its name (区委书记 after 海勃湾区) does not cut the name, unless the name without
        // its level character is also a form the dictionaries list (郑州 for 郑州市): that form is then found instead,
        // and the rules see the organ's whole word (市委书记).
        let name = &text[hit.clone()];
        let shorter = name.char_indices().next_back().map_or("", |(i, _)| &name[..i]);
        let own_organ = |word: &str| {
            organ_of_place(name, word) && self.patterns.binary_search_by(|p| p.as_str().cmp(shorter)).is_err()
        };
        let mut covering = None;
        for (start, end) in windows {
            #[cfg(test)]
            self.segmented.fetch_add(text[start..end].chars().count(), std::sync::atomic::Ordering::Relaxed);
            for token in self.jieba.cut(&text[start..end], false) {
                let (ts, te) = (start + token.byte_start, start + token.byte_end);
                for edge in [hit.start, hit.end] {
                    if ts < edge && edge < te && !(edge == hit.end && own_organ(token.word)) {
                        covering = Some(token.word);
                    }
                }
            }
        }
        match covering {
            Some(word) => Verdict::WordBoundary(word.to_string()),
            None => Verdict::Kept,
        }
    }

    /// Is there a word `text[a..b]` in the segmenter's dictionary with `lo <= a < at < b <= hi`, at most
    /// [`MAX_WORD`] characters long?
    fn word_across(&self, text: &str, at: usize, lo: usize, hi: usize) -> bool {
        let starts: Vec<usize> = text[lo..at].char_indices().rev().map(|(i, _)| lo + i).take(MAX_WORD - 1).collect();
        let ends: Vec<usize> =
            text[at..hi].char_indices().map(|(i, c)| at + i + c.len_utf8()).take(MAX_WORD - 1).collect();
        for (i, &a) in starts.iter().enumerate() {
            for &b in ends.iter().take(MAX_WORD - 1 - i) {
                if self.jieba.has_word(&text[a..b]) {
                    return true;
                }
            }
        }
        false
    }
}

/// The most shorter dictionary entries tried at one place after a longer one is rejected (潍坊高新区 → 潍坊高新 →
/// 潍坊): real names nest a few deep.
const MAX_SHORTER: usize = 8;

/// Remembered verdicts: by window, the hits' places in it (byte offsets) with their verdicts.
type Verdicts = rustc_hash::FxHashMap<Box<str>, Vec<(u32, u32, Verdict)>>;

/// The most word-boundary verdicts [`Matcher`] remembers (a few megabytes); beyond, it starts again.
const MAX_VERDICTS: usize = 1 << 16;

/// The longest word [`Matcher`]'s quick check looks for across a hit's edge.
const MAX_WORD: usize = 8;

/// The far edge of the window on one side of a hit: up to [`WINDOW`] characters, stopping at anything that is not
/// a letter or digit (jieba splits there anyway). `chars` walks away from the hit starting next to it.
fn window_edge(chars: impl Iterator<Item = (usize, char)>, from: usize, backwards: bool) -> usize {
    let mut edge = from;
    for (i, c) in chars.take(WINDOW) {
        if !c.is_alphanumeric() {
            break;
        }
        edge = if backwards { i } else { i + c.len_utf8() };
    }
    edge
}

/// Is `word`, which the segmenter cut across the end of a place's name, the place's own organ or head, sharing the
/// level character the name ends with: 区委书记 after 海勃湾区, 县长 after 江华县, 市政府 after 永康市? Such a word
/// does not make the name a cut through another word.
pub(crate) fn organ_of_place(name: &str, word: &str) -> bool {
    const LEVELS: &[char] = &['省', '市', '区', '县', '镇', '乡', '旗', '州'];
    const ORGANS: &[&str] = &["委", "长", "政府", "人大", "政协", "纪委", "党委", "党工委", "管委会"];
    let Some(level) = name.chars().next_back().filter(|c| LEVELS.contains(c)) else { return false };
    word.strip_prefix(level).is_some_and(|rest| ORGANS.iter().any(|o| rest.starts_with(o)))
}

#[cfg(test)]
mod tests;

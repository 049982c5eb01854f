//! The entity tagger: typed spans (company, official, district, park, organization) in one normalised sentence,
//! each with a confidence.
//!
//! A character-level BIOES tagger: an averaged structured perceptron ([`train`]) scores every label of every
//! character from hashed features ([`features`]): characters and bigrams around it, jieba's words and
//! part-of-speech tags, dictionary hits and discovery spans (both as hints: the model learns to trust them, and
//! dictionary hits were dropped at random during training so that it also learns the context), and cue words
//! (有限公司, 书记 …, [`Cues`]). Constrained Viterbi decoding picks the best labelling; a span's confidence comes
//! from max-marginals: how much worse the best labelling that changes any of its characters (or the characters
//! just outside it) scores.
//!
//! Inference allocates nothing per character: [`Scratch`] holds every buffer, reused across sentences.
//! The model format is in [`model`].

pub mod decode;
pub mod features;
pub mod model;
pub mod stage;
pub mod train;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use decode::{backward, decode, spans};
pub use decode::{Alternative, MAX_SPAN};
use features::Context;
pub use model::Model;

/// The entity types, in label order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Firms and groups.
    Company = 0,
    /// Named persons holding a post.
    Official = 1,
    /// Administrative divisions and functional zones.
    District = 2,
    /// Parks, bases, clusters and named projects.
    Park = 3,
    /// Government bodies, chambers, universities, hospitals …
    Organization = 4,
}

impl Kind {
    /// Every kind, in label order.
    pub const ALL: [Kind; 5] = [Kind::Company, Kind::Official, Kind::District, Kind::Park, Kind::Organization];

    /// The dictionary's name of the type.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Company => "company",
            Kind::Official => "official",
            Kind::District => "district",
            Kind::Park => "park",
            Kind::Organization => "organization",
        }
    }

    /// The kind of a dictionary type name, if it is one of the five.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Number of labels: O, then B I E S for each kind.
pub const LABELS: usize = 1 + 4 * Kind::ALL.len();

/// The label of place `p` (0 B, 1 I, 2 E, 3 S) in a span of `kind`.
#[inline]
pub fn label(kind: Kind, p: usize) -> usize {
    1 + 4 * kind as usize + p
}

/// The kind and place of a label other than O.
#[inline]
pub fn unlabel(l: usize) -> Option<(Kind, usize)> {
    (l > 0).then(|| (Kind::ALL[(l - 1) / 4], (l - 1) % 4))
}

/// Label names (`O`, `B-company` …), in label order.
pub fn label_names() -> Vec<String> {
    let mut v = vec!["O".to_string()];
    for k in Kind::ALL {
        for p in ["B", "I", "E", "S"] {
            v.push(format!("{p}-{}", k.name()));
        }
    }
    v
}

/// Where a hint comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HintSource {
    /// A dictionary hit.
    Dictionary,
    /// A span today's discovery proposes, with its kind of evidence (see [`evidence_code`]).
    Discovery(u8),
}

/// The code of a kind of discovery evidence (`suffix`, `title`, `subject`, `list`, `before-project`, other).
pub fn evidence_code(evidence: &str) -> u8 {
    match evidence {
        "suffix" => 1,
        "title" => 2,
        "subject" => 3,
        "list" => 4,
        "before-project" => 5,
        _ => 6,
    }
}

/// A typed span proposed by another stage, in characters of the sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hint {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Its type.
    pub kind: Kind,
    /// Where it comes from.
    pub source: HintSource,
}

/// What the tagger reads: one normalised sentence, its jieba words and the hints of other stages.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// The sentence, normalised.
    pub text: &'a str,
    /// Its words: (byte start, byte end, part-of-speech tag), in order.
    pub tokens: &'a [(usize, usize, &'a str)],
    /// Dictionary and discovery spans, in characters.
    pub hints: &'a [Hint],
}

/// A span the tagger found, in characters of the sentence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Its type.
    pub kind: Kind,
    /// In (0, 1): 1 − exp(−margin), the margin being how much worse the best labelling that changes the span
    /// scores, in units of the model's scale.
    pub confidence: f32,
}

/// Cue words by category: endings of names (有限公司, 区, 产业园, 局), posts (书记, 董事长), verbs of business and of
/// official visits. Found with one Aho–Corasick pass per sentence.
#[derive(Clone, Debug)]
pub struct Cues {
    words: Vec<String>,
    categories: Vec<u8>,
    automaton: AhoCorasick,
}

/// The built-in cue words, by category (a category is a feature value; at most 16).
pub const CUE_WORDS: &[(u8, &str)] = &[
    (0, "有限公司 股份有限公司 有限责任公司 集团 集团有限公司 公司 股份 控股 科技 实业 银行 分公司 子公司"),
    (1, "省 市 区 县 镇 乡 街道 开发区 高新区 新区 经开区 保税区 综保区 示范区 片区 自贸区 工业区 实验区 合作区"),
    (2, "园 产业园 园区 基地 项目 工程 小镇 产业城 中心 工厂 生产线 示范园 科技园 物流园 综合体"),
    (3, "局 委 委员会 管委会 商会 协会 大学 学院 医院 研究院 研究所 办公室 厅 政府 联盟 党委 党工委 人大 政协"),
    (4, "书记 市长 区长 县长 镇长 省长 董事长 总经理 总裁 局长 主任 会长 主席 院长 校长 负责人 部长 厅长 经理"),
    (4, "创始人 秘书长 理事长 行长 厂长 首席执行官 副市长 副区长 副县长 副书记 常委 委员 副总经理 党委书记 党工委书记"),
    (5, "投资 建设 落户 签约 位于 入驻 开工 投产 打造 布局 收购 成立 建成 竣工 奠基 扩建 新建 引进"),
    (6, "调研 考察 主持 会见 出席 表示 介绍 指出 讲话 带队 陪同 一行 会谈 座谈 察看 参加 强调 说"),
    (7, "先生 女士 同志"),
    (8, "年产 万吨 亿元 万元 总投资 占地 平方米 亩"),
    (9, "在 于 到 赴 与 和 及 、 等"),
];

impl Cues {
    /// The built-in cue words.
    pub fn builtin() -> Cues {
        let mut pairs: Vec<(String, u8)> = Vec::new();
        for (cat, words) in CUE_WORDS {
            for w in words.split_whitespace() {
                if !pairs.iter().any(|(x, c)| x == w && c == cat) {
                    pairs.push((w.to_string(), *cat));
                }
            }
        }
        let words: Vec<String> = pairs.iter().map(|(w, _)| w.clone()).collect();
        let categories = pairs.iter().map(|(_, c)| *c).collect();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&words)
            .expect("cue words build an automaton");
        Cues { words, categories, automaton }
    }

    /// Cue word `i`.
    pub fn word(&self, i: usize) -> &str {
        &self.words[i]
    }

    /// Whether any cue word of the name-ending or post categories (0–4) occurs in `text`: a sentence without one
    /// (and without hints) can be skipped by a caller that wants speed.
    pub fn any_in(&self, text: &str) -> bool {
        self.automaton.find_overlapping_iter(text).any(|m| self.categories[m.pattern().as_usize()] <= 4)
    }

    /// The category of cue word `i`.
    pub fn category(&self, i: usize) -> u8 {
        self.categories[i]
    }

    /// Marks, for each character, the categories of cue words ending and starting there and the longest such
    /// word. `char_at` maps each byte offset of `text` (and its end) to a character index.
    pub(crate) fn mark(&self, text: &str, char_at: &[u32], ctx: &mut Context) {
        let n = ctx.chars.len();
        for v in [&mut ctx.cue_end, &mut ctx.cue_start, &mut ctx.cue_word_end, &mut ctx.cue_word_start] {
            v.clear();
            v.resize(n, 0);
        }
        for m in self.automaton.find_overlapping_iter(text) {
            let (s, e) = (char_at[m.start()] as usize, char_at[m.end()] as usize);
            let (p, cat) = (m.pattern().as_usize(), self.categories[m.pattern().as_usize()]);
            ctx.cue_end[e - 1] |= 1 << cat;
            ctx.cue_start[s] |= 1 << cat;
            let longer = |cur: u16| cur == 0 || self.words[cur as usize - 1].len() < self.words[p].len();
            if longer(ctx.cue_word_end[e - 1]) {
                ctx.cue_word_end[e - 1] = p as u16 + 1;
            }
            if longer(ctx.cue_word_start[s]) {
                ctx.cue_word_start[s] = p as u16 + 1;
            }
        }
    }
}

/// Reusable buffers for tagging.
#[derive(Default, Debug)]
pub struct Scratch {
    ctx: Context,
    /// Per character, the score of each label.
    pub(crate) scores: Vec<f32>,
    /// Viterbi: best score of a labelling of the prefix ending in each label.
    alpha: Vec<f32>,
    /// Best score of the suffix after each character given its label.
    beta: Vec<f32>,
    back: Vec<u8>,
    pub(crate) path: Vec<u8>,
    /// Feature keys of the sentence, their rows, and where each character's start.
    keys: Vec<u64>,
    rows: Vec<u32>,
    offsets: Vec<u32>,
}

/// A trained tagger: the model and the cue words its features read.
#[derive(Debug)]
pub struct Tagger {
    /// The model.
    pub model: Model,
    cues: Cues,
}

impl Tagger {
    /// A tagger over a model.
    pub fn new(model: Model) -> Tagger {
        Tagger { model, cues: Cues::builtin() }
    }

    /// The cue words.
    pub fn cues(&self) -> &Cues {
        &self.cues
    }

    /// Tags one sentence: its spans, in order, appended to `out`.
    pub fn tag(&self, input: &Input, scratch: &mut Scratch, out: &mut Vec<Span>) {
        scratch.ctx.skip = self.model.skip;
        scratch.ctx.prepare(input.text, input.tokens, input.hints, &self.cues);
        let n = scratch.ctx.chars.len();
        if n == 0 {
            return;
        }
        self.emissions(input, scratch, n);
        decode(&self.model.lattice(), scratch, n, false);
        if scratch.path.iter().any(|&y| y != 0) {
            backward(&self.model.lattice(), scratch, n);
            spans(self.model.scale, scratch, n, out);
        }
    }
}

impl Tagger {
    /// Every character's label scores. Feature keys of the whole sentence are computed first and looked up
    /// afterwards, each lookup starting with a prefetch of the slot a few keys ahead: lookups are memory-bound,
    /// and independent misses then overlap.
    fn emissions(&self, input: &Input, scratch: &mut Scratch, n: usize) {
        scratch.keys.clear();
        scratch.offsets.clear();
        scratch.offsets.push(0);
        for i in 0..n {
            scratch.ctx.features(i, input.hints, &self.cues, &mut features::Hasher { keys: &mut scratch.keys });
            scratch.offsets.push(scratch.keys.len() as u32);
        }
        // Keys → rows, then rows → scores; each pass prefetches what it needs a few items ahead.
        const AHEAD: usize = 12;
        let m = &self.model;
        scratch.rows.clear();
        for k in scratch.keys.iter().take(AHEAD) {
            m.prefetch(*k);
        }
        for j in 0..scratch.keys.len() {
            if let Some(k) = scratch.keys.get(j + AHEAD) {
                m.prefetch(*k);
            }
            scratch.rows.push(m.row_index(scratch.keys[j]));
        }
        let q = m.quantum;
        scratch.scores.clear();
        for r in scratch.rows.iter().take(AHEAD) {
            m.prefetch_row(*r);
        }
        for i in 0..n {
            let mut acc = [0i32; model::ROW];
            let (a, b) = (scratch.offsets[i] as usize, scratch.offsets[i + 1] as usize);
            for j in a..b {
                if let Some(r) = scratch.rows.get(j + AHEAD) {
                    m.prefetch_row(*r);
                }
                if let Some(w) = m.row_at(scratch.rows[j]) {
                    for (x, y) in acc.iter_mut().zip(w) {
                        *x += *y as i32;
                    }
                }
            }
            scratch.scores.extend(acc[..LABELS].iter().map(|x| *x as f32 * q));
        }
    }
}

/// Labels that may follow `prev` (BIOES): after O, E or S comes O, B or S; after B or I of a kind, I or E of it.
#[inline]
pub fn allowed(prev: usize, cur: usize) -> bool {
    let open = |l: usize| unlabel(l).is_some_and(|(_, p)| p == 0 || p == 1);
    match (unlabel(prev), unlabel(cur)) {
        (_, None) => !open(prev),
        (None, Some((_, p))) => p == 0 || p == 3,
        (Some((kp, pp)), Some((kc, pc))) => {
            if pp == 0 || pp == 1 {
                kp == kc && (pc == 1 || pc == 2)
            } else {
                pc == 0 || pc == 3
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bioes_transitions() {
        let b = |k: Kind| label(k, 0);
        let i = |k: Kind| label(k, 1);
        let e = |k: Kind| label(k, 2);
        let s = |k: Kind| label(k, 3);
        let (c, p) = (Kind::Company, Kind::Park);
        // (previous, current, allowed)
        let table = [
            (0, 0, true),
            (0, b(c), true),
            (0, i(c), false),
            (0, e(c), false),
            (0, s(p), true),
            (b(c), i(c), true),
            (b(c), e(c), true),
            (b(c), e(p), false),
            (b(c), 0, false),
            (i(c), i(c), true),
            (e(c), 0, true),
            (e(c), b(p), true),
            (e(c), i(c), false),
            (s(c), s(p), true),
        ];
        for (prev, cur, want) in table {
            assert_eq!(allowed(prev, cur), want, "{prev} → {cur}");
        }
    }

    #[test]
    fn labels_round_trip() {
        for k in Kind::ALL {
            for p in 0..4 {
                assert_eq!(unlabel(label(k, p)), Some((k, p)));
            }
        }
        assert_eq!(unlabel(0), None);
        assert_eq!(label_names().len(), LABELS);
        assert_eq!(Kind::from_name("park"), Some(Kind::Park));
        assert_eq!(Kind::from_name("project"), None);
    }

    #[test]
    fn cues_mark_ends_and_starts_in_characters() {
        let cues = Cues::builtin();
        let mut ctx = Context::default();
        // 白石镇 (made up) then 镇长 and a name.
        let text = "白石镇镇长李四";
        ctx.prepare(text, &[], &[], &cues);
        // 镇 at 2 ends a district cue (category 1); 镇长 starting at 3 is a post (category 4).
        assert_ne!(ctx.cue_end[2] & (1 << 1), 0);
        assert_ne!(ctx.cue_start[3] & (1 << 4), 0);
        assert_eq!(cues.word(ctx.cue_word_start[3] as usize - 1), "镇长");
    }
}

//! Training the tagger: an averaged structured perceptron over annotated sentences.
//!
//! Each epoch visits the sentences in a shuffled order (a fixed seed: the same data and settings give the same
//! model, byte for byte). Dictionary hints are dropped at random (`dict_dropout`), so the model learns to find
//! names from their context and cues as well as from the dictionary; discovery hints likewise (`disc_dropout`).
//! Where the best labelling under the current weights differs from the gold one, the gold labelling's features
//! gain one and the predicted one's lose one; the weights kept are the average over all steps (Collins 2002), with
//! the usual lazy-averaging trick.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::features::{Context, Hasher, Namer};
use super::model::{Meta, Model};
use super::{decode, label, Cues, Hint, HintSource, Kind, Scratch, LABELS};

/// One annotated sentence.
#[derive(Clone, Debug, Default)]
pub struct Example {
    /// The normalised sentence.
    pub text: String,
    /// Its words: (byte start, byte end, part-of-speech tag).
    pub tokens: Vec<(usize, usize, String)>,
    /// Dictionary and discovery hints, in characters.
    pub hints: Vec<Hint>,
    /// Gold spans (start char, end char, kind), in order, not overlapping.
    pub gold: Vec<(usize, usize, Kind)>,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Passes over the data.
    pub epochs: usize,
    /// Probability that a dictionary hint is hidden from one training pass over a sentence.
    pub dict_dropout: f64,
    /// The same for discovery hints.
    pub disc_dropout: f64,
    /// Seed of the shuffling and dropout.
    pub seed: u64,
    /// Features kept after training: those with the largest total |weight| (see [`Model::prune`]).
    pub keep: usize,
    /// Templates left out, comma-separated names (see [`super::features::TEMPLATES`]).
    pub skip: String,
}

impl Default for Config {
    fn default() -> Self {
        Config { epochs: 10, dict_dropout: 0.5, disc_dropout: 0.2, seed: 1, keep: 25_000, skip: String::new() }
    }
}

/// splitmix64: a small generator whose stream is fixed by its seed.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Shuffles in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// The gold label of every character.
pub fn gold_labels(n: usize, gold: &[(usize, usize, Kind)]) -> Vec<u8> {
    let mut y = vec![0u8; n];
    for &(s, e, k) in gold {
        if e > n || s >= e {
            continue;
        }
        if e - s == 1 {
            y[s] = label(k, 3) as u8;
        } else {
            y[s] = label(k, 0) as u8;
            for l in &mut y[s + 1..e - 1] {
                *l = label(k, 1) as u8;
            }
            y[e - 1] = label(k, 2) as u8;
        }
    }
    y
}

/// Averaged features (key, weights), start scores and transitions.
type Averaged = (Vec<(u64, Vec<f32>)>, Vec<f32>, Vec<f32>);

/// Weights being learnt, with their running sums for averaging.
struct Learner {
    index: FxHashMap<u64, u32>,
    w: Vec<f32>,
    u: Vec<f32>,
    start: Vec<f32>,
    start_u: Vec<f32>,
    trans: Vec<f32>,
    trans_u: Vec<f32>,
    step: f32,
}

impl Learner {
    fn row(&mut self, key: u64) -> usize {
        let next = self.index.len() as u32;
        let r = *self.index.entry(key).or_insert(next) as usize;
        if r == next as usize {
            self.w.extend_from_slice(&[0.0; LABELS]);
            self.u.extend_from_slice(&[0.0; LABELS]);
        }
        r
    }

    fn scores(&self, keys: &[u64], offsets: &[usize], out: &mut Vec<f32>) {
        out.clear();
        for i in 0..offsets.len() - 1 {
            let mut acc = [0.0f32; LABELS];
            for k in &keys[offsets[i]..offsets[i + 1]] {
                if let Some(&r) = self.index.get(k) {
                    for (a, x) in acc.iter_mut().zip(&self.w[r as usize * LABELS..]) {
                        *a += x;
                    }
                }
            }
            out.extend_from_slice(&acc);
        }
    }

    /// One perceptron update towards `gold` and away from `pred`.
    fn update(&mut self, keys: &[u64], offsets: &[usize], gold: &[u8], pred: &[u8]) {
        let c = self.step;
        for i in 0..gold.len() {
            let (g, p) = (gold[i] as usize, pred[i] as usize);
            if g != p {
                for &k in &keys[offsets[i]..offsets[i + 1]] {
                    let r = self.row(k) * LABELS;
                    self.w[r + g] += 1.0;
                    self.u[r + g] += c;
                    self.w[r + p] -= 1.0;
                    self.u[r + p] -= c;
                }
            }
            let (gp, pp) = if i == 0 { (None, None) } else { (Some(gold[i - 1] as usize), Some(pred[i - 1] as usize)) };
            if (gp, g) != (pp, p) {
                match (gp, pp) {
                    (Some(a), Some(b)) => {
                        self.trans[a * LABELS + g] += 1.0;
                        self.trans_u[a * LABELS + g] += c;
                        self.trans[b * LABELS + p] -= 1.0;
                        self.trans_u[b * LABELS + p] -= c;
                    }
                    _ => {
                        self.start[g] += 1.0;
                        self.start_u[g] += c;
                        self.start[p] -= 1.0;
                        self.start_u[p] -= c;
                    }
                }
            }
        }
    }

    fn averaged(&self) -> Averaged {
        let avg = |w: &[f32], u: &[f32]| -> Vec<f32> { w.iter().zip(u).map(|(w, u)| w - u / self.step).collect() };
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(k, r)| (*k, *r)).collect();
        keys.sort_unstable();
        let features = keys
            .into_iter()
            .map(|(k, r)| {
                let r = r as usize * LABELS;
                (k, avg(&self.w[r..r + LABELS], &self.u[r..r + LABELS]))
            })
            .collect();
        (features, avg(&self.start, &self.start_u), avg(&self.trans, &self.trans_u))
    }
}

/// The hints a training pass sees: each dropped with its source's probability.
fn visible_hints(hints: &[Hint], config: &Config, rng: &mut Rng) -> Vec<Hint> {
    hints
        .iter()
        .filter(|h| {
            let p = match h.source {
                HintSource::Dictionary => config.dict_dropout,
                HintSource::Discovery(_) => config.disc_dropout,
            };
            rng.unit() >= p
        })
        .copied()
        .collect()
}

/// Feature keys of every character of a sentence, with the offsets of each character's keys.
fn sentence_keys(
    ctx: &mut Context,
    cues: &Cues,
    text: &str,
    tokens: &[(usize, usize, &str)],
    hints: &[Hint],
    keys: &mut Vec<u64>,
    offsets: &mut Vec<usize>,
) {
    ctx.prepare(text, tokens, hints, cues);
    keys.clear();
    offsets.clear();
    offsets.push(0);
    for i in 0..ctx.chars.len() {
        ctx.features(i, hints, cues, &mut Hasher { keys });
        offsets.push(keys.len());
    }
}

/// Trains a model.
pub fn train(examples: &[Example], config: &Config) -> Model {
    let cues = Cues::builtin();
    let mut learner = Learner {
        index: FxHashMap::default(),
        w: Vec::new(),
        u: Vec::new(),
        start: vec![0.0; LABELS],
        start_u: vec![0.0; LABELS],
        trans: vec![0.0; LABELS * LABELS],
        trans_u: vec![0.0; LABELS * LABELS],
        step: 1.0,
    };
    let mut rng = Rng(config.seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let (mut ctx, mut keys, mut offsets) = (Context::default(), Vec::new(), Vec::new());
    ctx.skip = super::features::template_mask(&config.skip);
    let mut scratch = Scratch::default();
    let shell = Model::from_parts(Meta::default(), vec![], vec![0.0; LABELS], vec![0.0; LABELS * LABELS], 1.0);
    for _ in 0..config.epochs {
        rng.shuffle(&mut order);
        for &x in &order {
            let ex = &examples[x];
            let hints = visible_hints(&ex.hints, config, &mut rng);
            let tokens: Vec<(usize, usize, &str)> = ex.tokens.iter().map(|(s, e, t)| (*s, *e, t.as_str())).collect();
            sentence_keys(&mut ctx, &cues, &ex.text, &tokens, &hints, &mut keys, &mut offsets);
            let n = ctx.chars.len();
            if n > 0 {
                learner.scores(&keys, &offsets, &mut scratch.scores);
                let lattice = shell.with_scores(&learner.start, &learner.trans);
                decode(&lattice, &mut scratch, n, false);
                let gold = gold_labels(n, &ex.gold);
                if gold != scratch.path {
                    let pred = scratch.path.clone();
                    learner.update(&keys, &offsets, &gold, &pred);
                }
            }
            learner.step += 1.0;
        }
    }
    let (features, start, trans) = learner.averaged();
    let meta = Meta {
        labels: super::label_names(),
        templates: super::features::TEMPLATES.iter().map(|s| s.to_string()).collect(),
        training: BTreeMap::from([
            ("epochs".to_string(), config.epochs.to_string()),
            ("dict_dropout".to_string(), config.dict_dropout.to_string()),
            ("disc_dropout".to_string(), config.disc_dropout.to_string()),
            ("seed".to_string(), config.seed.to_string()),
            ("sentences".to_string(), examples.len().to_string()),
            ("skip".to_string(), config.skip.clone()),
            ("cue_words".to_string(), super::CUE_WORDS.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" ")),
        ]),
    };
    let mut model = Model::from_parts(meta, features, start, trans, 1.0);
    model.prune(config.keep);
    model.meta.training.insert("features".to_string(), model.features().to_string());
    model.meta.training.insert("keep".to_string(), config.keep.to_string());
    model.scale = margin_scale(&model, examples, &cues);
    name_features(&mut model, examples, &cues);
    model
}

/// The median margin of the spans the model finds in its training sentences: margins are divided by it, so that
/// a typical span has confidence 1 − 1/e.
fn margin_scale(model: &Model, examples: &[Example], cues: &Cues) -> f32 {
    let tagger = super::Tagger { model: model.clone(), cues: cues.clone() };
    let mut scratch = Scratch::default();
    let mut margins = Vec::new();
    let mut out = Vec::new();
    for ex in examples.iter().step_by(3) {
        let tokens: Vec<(usize, usize, &str)> = ex.tokens.iter().map(|(s, e, t)| (*s, *e, t.as_str())).collect();
        out.clear();
        tagger.tag(&super::Input { text: &ex.text, tokens: &tokens, hints: &ex.hints }, &mut scratch, &mut out);
        // With scale 1 the confidence is 1 − exp(−margin): invert it.
        margins.extend(out.iter().map(|s| -(1.0 - s.confidence as f64).max(1e-30).ln()));
    }
    if margins.is_empty() {
        return 1.0;
    }
    margins.sort_by(f64::total_cmp);
    (margins[margins.len() / 2] as f32).max(1e-3)
}

/// Records the readable name of every feature the model kept.
fn name_features(model: &mut Model, examples: &[Example], cues: &Cues) {
    let mut ctx = Context { skip: model.skip, ..Context::default() };
    for ex in examples {
        let tokens: Vec<(usize, usize, &str)> = ex.tokens.iter().map(|(s, e, t)| (*s, *e, t.as_str())).collect();
        ctx.prepare(&ex.text, &tokens, &ex.hints, cues);
        let mut namer = Namer::default();
        for i in 0..ctx.chars.len() {
            ctx.features(i, &ex.hints, cues, &mut namer);
        }
        for (k, name) in namer.names {
            if model.row(k).is_some() {
                model.names.entry(k).or_insert(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tagger::{Input, Tagger};

    /// Sentences written for this test: made-up companies before 有限公司, people after 董事长.
    fn examples() -> Vec<Example> {
        let rows = [
            ("青松科技有限公司董事长王小明到场", vec![(0, 8, Kind::Company), (11, 14, Kind::Official)]),
            ("红叶材料有限公司董事长李大海介绍", vec![(0, 8, Kind::Company), (11, 14, Kind::Official)]),
            ("白云机械有限公司董事长赵一平发言", vec![(0, 8, Kind::Company), (11, 14, Kind::Official)]),
            ("今天天气很好大家都来了", vec![]),
        ];
        rows.iter().map(|(t, g)| Example { text: t.to_string(), gold: g.clone(), ..Default::default() }).collect()
    }

    #[test]
    fn learns_a_pattern_and_is_deterministic() {
        let config = Config { epochs: 8, ..Default::default() };
        let a = train(&examples(), &config);
        let b = train(&examples(), &config);
        let (mut fa, mut fb) = (Vec::new(), Vec::new());
        a.save(&mut fa).unwrap();
        b.save(&mut fb).unwrap();
        assert_eq!(fa, fb, "same data and seed, same bytes");
        let tagger = Tagger::new(a);
        let mut out = Vec::new();
        // A new sentence of the same shape.
        let text = "绿洲电子有限公司董事长周明远介绍";
        tagger.tag(&Input { text, tokens: &[], hints: &[] }, &mut Scratch::default(), &mut out);
        let got: Vec<(usize, usize, Kind)> = out.iter().map(|s| (s.start, s.end, s.kind)).collect();
        assert_eq!(got, vec![(0, 8, Kind::Company), (11, 14, Kind::Official)]);
        assert!(out.iter().all(|s| s.confidence > 0.0 && s.confidence < 1.0));
    }

    #[test]
    fn the_lattice_offers_the_best_spans_and_near_misses() {
        let tagger = Tagger::new(train(&examples(), &Config { epochs: 8, ..Default::default() }));
        let text = "绿洲电子有限公司董事长周明远介绍";
        let mut alts = Vec::new();
        tagger.alternatives(&Input { text, tokens: &[], hints: &[] }, &mut Scratch::default(), 50.0, &mut alts);
        // The best labelling's spans have gap 0 and a confidence; every other span a positive gap.
        for (start, end, kind) in [(0, 8, Kind::Company), (11, 14, Kind::Official)] {
            let a = alts.iter().find(|a| (a.start, a.end, a.kind) == (start, end, kind)).expect("best span");
            assert_eq!(a.gap, 0.0);
            assert!(a.confidence.is_some());
        }
        assert!(alts.iter().filter(|a| a.confidence.is_none()).all(|a| a.gap > 0.0));
        assert!(alts.len() > 2, "{alts:?}");
    }

    #[test]
    fn gold_labels_are_bioes() {
        let y = gold_labels(6, &[(0, 1, Kind::Official), (2, 5, Kind::Park)]);
        let want = [label(Kind::Official, 3), 0, label(Kind::Park, 0), label(Kind::Park, 1), label(Kind::Park, 2), 0];
        assert_eq!(y.iter().map(|&l| l as usize).collect::<Vec<_>>(), want);
    }
}

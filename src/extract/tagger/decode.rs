//! Decoding the tagger's lattice: constrained Viterbi over BIOES labels, backward max-scores, the spans of the
//! best labelling with their confidences (from max-marginals), and the other spans the lattice finds nearly as
//! good ([`Tagger::alternatives`]).

use super::{label, unlabel, Input, Kind, Scratch, Span, Tagger, LABELS};

/// A candidate span from the tagger's lattice: any span whose best labelling scores within a margin of the best
/// labelling (the best labelling's own spans have gap 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Alternative {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Its type.
    pub kind: Kind,
    /// How much worse the best labelling holding this span scores than the best labelling, over the model's
    /// scale (0 for the best labelling's spans).
    pub gap: f32,
    /// The confidence of the best labelling's span, if the span is one of them.
    pub confidence: Option<f32>,
}

/// The longest span the lattice proposes, in characters.
pub const MAX_SPAN: usize = 40;

impl Tagger {
    /// Tags one sentence and lists every span whose best labelling scores within `max_gap` (in units of the
    /// model's scale) of the best labelling, best-labelling spans included (gap 0, with their confidence).
    pub fn alternatives(&self, input: &Input, scratch: &mut Scratch, max_gap: f32, out: &mut Vec<Alternative>) {
        let mut best_spans = Vec::new();
        self.tag(input, scratch, &mut best_spans);
        let n = scratch.ctx.chars.len();
        if n == 0 {
            return;
        }
        backward(&self.model.lattice(), scratch, n);
        let l = LABELS;
        let (s, m) = (&*scratch, &self.model);
        let best = (0..l).filter(|&y| may_end(y)).map(|y| s.alpha[(n - 1) * l + y]).fold(f32::NEG_INFINITY, f32::max);
        let limit = max_gap * m.scale;
        for k in Kind::ALL {
            let (b, i_, e, sl) = (label(k, 0), label(k, 1), label(k, 2), label(k, 3));
            for start in 0..n {
                let single = s.alpha[start * l + sl] + s.beta[start * l + sl];
                self.push_alternative(&best_spans, start, start + 1, k, best - single, limit, out);
                let mut run = s.alpha[start * l + b];
                let mut prev = b;
                for j in start + 1..n.min(start + MAX_SPAN) {
                    if run == f32::NEG_INFINITY {
                        break;
                    }
                    let through = run + m.transition(prev, e) + s.scores[j * l + e] + s.beta[j * l + e];
                    self.push_alternative(&best_spans, start, j + 1, k, best - through, limit, out);
                    run += m.transition(prev, i_) + s.scores[j * l + i_];
                    prev = i_;
                    // A run far below the best cannot come back: emissions and transitions are bounded by what the
                    // best labelling gains after this point, which beta already counts.
                    if best - (run + s.beta[j * l + i_]) > limit {
                        break;
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_alternative(
        &self,
        best: &[Span],
        start: usize,
        end: usize,
        kind: Kind,
        gap: f32,
        limit: f32,
        out: &mut Vec<Alternative>,
    ) {
        let on_path = best.iter().find(|sp| sp.start == start && sp.end == end && sp.kind == kind);
        if gap <= limit || on_path.is_some() {
            let gap = if on_path.is_some() { 0.0 } else { gap.max(0.0) / self.model.scale };
            out.push(Alternative { start, end, kind, gap, confidence: on_path.map(|sp| sp.confidence) });
        }
    }
}

/// May a labelling start / end with this label?
#[inline]
fn may_start(l: usize) -> bool {
    unlabel(l).is_none_or(|(_, p)| p == 0 || p == 3)
}
#[inline]
fn may_end(l: usize) -> bool {
    unlabel(l).is_none_or(|(_, p)| p == 2 || p == 3)
}

/// What decoding needs of a model: start and transition scores, and which labels may follow which.
pub(crate) struct Lattice<'a> {
    pub start: &'a [f32],
    pub trans: &'a [f32],
    pub succs: &'a [Vec<u8>],
}

/// Labels after which a span may start: O, and E and S of every kind.
const CLOSED: [usize; 11] = [0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20];
/// Labels that may follow a closed one: O, and B and S of every kind.
const OPENING: [usize; 11] = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20];

/// Constrained Viterbi: fills `alpha` and the best `path`, and with `beta` the backward max-scores too (for
/// max-marginals).
pub(crate) fn decode(m: &Lattice, s: &mut Scratch, n: usize, beta: bool) {
    const NEG: f32 = f32::NEG_INFINITY;
    let l = LABELS;
    s.alpha.clear();
    s.alpha.resize(n * l, NEG);
    s.back.clear();
    s.back.resize(n * l, 0);
    for y in (0..l).filter(|&y| may_start(y)) {
        s.alpha[y] = m.start[y] + s.scores[y];
    }
    for i in 1..n {
        let (prev, cur) = s.alpha.split_at_mut(i * l);
        let prev: &[f32; LABELS] = prev[(i - 1) * l..].try_into().expect("a row");
        let cur: &mut [f32] = &mut cur[..l];
        let sc: &[f32; LABELS] = s.scores[i * l..(i + 1) * l].try_into().expect("a row");
        let back: &mut [u8] = &mut s.back[i * l..(i + 1) * l];
        // After O, E or S (closed) come O, B and S; after B or I of a kind, I or E of it.
        for &y in &OPENING {
            let mut best = (NEG, 0u8);
            for &c in &CLOSED {
                let v = prev[c] + m.trans[c * l + y];
                if v > best.0 {
                    best = (v, c as u8);
                }
            }
            cur[y] = best.0 + sc[y];
            back[y] = best.1;
        }
        for k in 0..Kind::ALL.len() {
            let (b, i_, e) = (1 + 4 * k, 2 + 4 * k, 3 + 4 * k);
            for y in [i_, e] {
                let (vb, vi) = (prev[b] + m.trans[b * l + y], prev[i_] + m.trans[i_ * l + y]);
                let (v, p) = if vb >= vi { (vb, b) } else { (vi, i_) };
                cur[y] = v + sc[y];
                back[y] = p as u8;
            }
        }
    }
    s.path.clear();
    s.path.resize(n, 0);
    let last = (0..l)
        .filter(|&y| may_end(y))
        .max_by(|&a, &b| s.alpha[(n - 1) * l + a].total_cmp(&s.alpha[(n - 1) * l + b]))
        .unwrap_or(0);
    s.path[n - 1] = last as u8;
    for i in (1..n).rev() {
        s.path[i - 1] = s.back[i * l + s.path[i] as usize];
    }
    if beta {
        backward(m, s, n);
    }
}

/// The backward max-scores (`beta`), for max-marginals.
pub(crate) fn backward(m: &Lattice, s: &mut Scratch, n: usize) {
    const NEG: f32 = f32::NEG_INFINITY;
    let l = LABELS;
    s.beta.clear();
    s.beta.resize(n * l, NEG);
    for y in (0..l).filter(|&y| may_end(y)) {
        s.beta[(n - 1) * l + y] = 0.0;
    }
    for i in (0..n - 1).rev() {
        for y in 0..l {
            let mut best = NEG;
            for &c in &m.succs[y] {
                let c = c as usize;
                best = best.max(m.trans[y * l + c] + s.scores[(i + 1) * l + c] + s.beta[(i + 1) * l + c]);
            }
            s.beta[i * l + y] = best;
        }
    }
}

/// The spans of the best path, with confidences from max-marginals.
pub(crate) fn spans(scale: f32, s: &Scratch, n: usize, out: &mut Vec<Span>) {
    let l = LABELS;
    let best = (0..l).map(|y| s.alpha[y] + s.beta[y]).fold(f32::NEG_INFINITY, f32::max);
    // How much worse the best labelling with another label at character i scores.
    let margin = |i: usize| {
        let own = s.path[i] as usize;
        let other = (0..l)
            .filter(|&y| y != own)
            .map(|y| s.alpha[i * l + y] + s.beta[i * l + y])
            .fold(f32::NEG_INFINITY, f32::max);
        (best - other).max(0.0)
    };
    let mut i = 0;
    while i < n {
        let Some((kind, p)) = unlabel(s.path[i] as usize) else {
            i += 1;
            continue;
        };
        let start = i;
        let mut end = i + 1;
        if p == 0 {
            while end < n && unlabel(s.path[end] as usize).is_some_and(|(_, q)| q == 1 || q == 2) {
                end += 1;
                if unlabel(s.path[end - 1] as usize).is_some_and(|(_, q)| q == 2) {
                    break;
                }
            }
        }
        let lo = start.saturating_sub(1);
        let hi = (end + 1).min(n);
        let m = (lo..hi).map(margin).fold(f32::INFINITY, f32::min);
        let confidence = 1.0 - (-m / scale).exp();
        out.push(Span { start, end, kind, confidence });
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tagger::model::{Meta, Model};

    /// Decodes hand-set label scores with a model without features or transition preferences.
    fn decode_scores(n: usize, set: &[(usize, usize, f32)]) -> (Vec<usize>, Vec<Span>) {
        let model = Model::from_parts(Meta::default(), vec![], vec![0.0; LABELS], vec![0.0; LABELS * LABELS], 1.0);
        let mut s = Scratch { scores: vec![0.0; n * LABELS], ..Default::default() };
        for &(i, l, v) in set {
            s.scores[i * LABELS + l] = v;
        }
        decode(&model.lattice(), &mut s, n, true);
        let mut out = Vec::new();
        spans(1.0, &s, n, &mut out);
        (s.path.iter().map(|&l| l as usize).collect(), out)
    }

    #[test]
    fn viterbi_follows_the_scores_within_bioes() {
        let (p, c) = (Kind::Park, Kind::Company);
        // (characters, scores set, expected labels, expected spans)
        type Row = (usize, Vec<(usize, usize, f32)>, Vec<usize>, Vec<(usize, usize, Kind)>);
        let table: Vec<Row> = vec![
            (
                4,
                vec![(0, label(p, 0), 5.0), (1, label(p, 1), 5.0), (2, label(p, 2), 5.0), (3, 0, 5.0)],
                vec![label(p, 0), label(p, 1), label(p, 2), 0],
                vec![(0, 3, p)],
            ),
            // An I cannot start a sentence, nor a span end open: the best valid labelling wins.
            (2, vec![(0, label(c, 1), 10.0), (0, 0, 1.0), (1, 0, 1.0)], vec![0, 0], vec![]),
            // A single-character span is S.
            (3, vec![(1, label(c, 3), 3.0), (0, 0, 1.0), (2, 0, 1.0)], vec![0, label(c, 3), 0], vec![(1, 2, c)]),
        ];
        for (n, set, want_path, want_spans) in table {
            let (path, spans) = decode_scores(n, &set);
            assert_eq!(path, want_path, "{set:?}");
            let got: Vec<(usize, usize, Kind)> = spans.iter().map(|s| (s.start, s.end, s.kind)).collect();
            assert_eq!(got, want_spans);
            assert!(spans.iter().all(|s| s.confidence > 0.0 && s.confidence < 1.0));
        }
    }

    #[test]
    fn a_clear_span_is_more_confident_than_a_close_call() {
        let p = Kind::Park;
        let clear = decode_scores(3, &[(0, label(p, 0), 9.0), (1, label(p, 2), 9.0), (2, 0, 9.0)]).1;
        let close =
            decode_scores(3, &[(0, label(p, 0), 1.0), (1, label(p, 2), 1.0), (0, 0, 0.9), (1, 0, 0.9), (2, 0, 1.0)]).1;
        assert!(clear[0].confidence > close[0].confidence, "{clear:?} {close:?}");
    }
}

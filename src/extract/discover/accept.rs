//! Which candidates may stand as entities: the strong kinds of evidence (a suffix, a post, a clause's subject, a
//! list item, a company before its project), and the tests a candidate's name must pass whatever its cue (balanced
//! brackets, no count at its front, no kind of project, no city or town guessed from a one-character ending).

use super::words::PROJECT_GENERIC;
use super::Found;

/// Kinds of evidence strong enough to make an entity during extraction.
const STRONG: &[&str] = &["suffix", "title", "subject", "list", "before-project"];

/// Is this candidate's evidence strong enough to make an entity during extraction (a suffix, a post, a clause's
/// subject, a list item)?
pub fn is_strong(f: &Found) -> bool {
    STRONG.contains(&f.evidence)
}

/// Does a phrase start with a count (12个重大项目, 三家企业, 一批项目)? Then it is no name.
pub(super) fn counted(name: &str) -> bool {
    crate::read::text::starts_with_count(name, "个家项批大条座所只")
}

/// A candidate good enough to stand as an entity: not a city or town guessed from a one-character ending.
pub fn acceptable(f: &Found) -> bool {
    if f.name.matches('(').count() != f.name.matches(')').count() {
        return false;
    }
    if f.name.ends_with("项目") {
        let stem = &f.name[..f.name.len() - "项目".len()];
        let counted_before = stem.ends_with(['个', '批']) || stem.contains("亿元") || stem.contains("万元");
        if counted_before || stem.contains("项目") || stem.ends_with("系列") || stem.ends_with(['及', '和']) {
            return false;
        }
    }
    match f.kind {
        "district" => {
            !f.name.ends_with('市')
                && f.name.chars().count() >= 3
                && !["立区", "强区", "兴区", "活区", "地区", "市区", "城区"].iter().any(|e| f.name.ends_with(e))
        }
        "company" => !f.name.ends_with("子公司") && !f.name.contains('与'),
        "park" => !f.name.ends_with("项目") || !PROJECT_GENERIC.iter().any(|g| f.name.ends_with(&format!("{g}项目"))),
        _ => true,
    }
}

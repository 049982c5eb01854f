//! Enumerations for list slots (`{head*}`, `{tail*}`): runs of mentions joined by a rule's separators
//! (`A、B和C`), of one type unless a closer (等, a count) says the run is one list.

use super::matcher::{Bound, SentenceMatcher};
use super::{Role, Rule};

/// Characters that may surround an enumeration's items besides the separators.
const LIST_PADDING: &[char] = &[' ', '“', '”', '"', '\'', '‘', '’', '「', '」', '『', '』', '《', '》'];

/// Does the text after a list close it: 等, or a count of items (三个, 12家)?
fn closes_list(after: &str) -> bool {
    after.starts_with('等') || crate::read::text::starts_with_count(after, "个家大项座")
}

impl SentenceMatcher<'_> {
    /// The maximal enumerations (`A、B和C`) of mentions of the role's types. Items of one enumeration are alike:
    /// 天元集团投资的A项目、台州德仕乐 … lists a project, then starts a clause about a company. A list closed by 等 or
    /// a count (A公司、B项目等12个项目; A、B、C三个项目) is one enumeration whatever its items' types.
    pub(super) fn enumerations(&self, rule: &Rule, role: Role) -> Vec<Bound> {
        let alike = self.runs(rule, role, true);
        let mut out: Vec<Bound> = Vec::new();
        for mixed in self.runs(rule, role, false) {
            let closed = closes_list(self.text[mixed.end..self.sentence.end].trim_start_matches(LIST_PADDING));
            if closed && mixed.items.len() > 1 {
                out.push(mixed);
            } else {
                out.extend(alike.iter().filter(|b| mixed.start <= b.start && b.end <= mixed.end).cloned());
            }
        }
        out
    }

    /// Maximal runs of mentions of the role's types joined by separators, all of one type if `alike`.
    fn runs(&self, rule: &Rule, role: Role, alike: bool) -> Vec<Bound> {
        let types = rule.types(role);
        let mut out: Vec<Bound> = Vec::new();
        let mut current: Option<Bound> = None;
        for (m, mention) in self.mentions.iter().enumerate() {
            if !self.slot_accepts(types, mention.kind) {
                out.extend(current.take());
                continue;
            }
            let (s, e) = mention.range;
            // A company named right before its project (金宏物流现代化物流中心项目): the item is the project.
            let owner_then_project = current.as_ref().is_some_and(|b| {
                let last = &self.mentions[*b.items.last().unwrap_or(&m)];
                b.end == s && last.kind == "company" && mention.kind != "company"
            });
            let kind_of = |b: &Bound| self.mentions[*b.items.last().unwrap_or(&m)].kind;
            current = match current.take() {
                Some(mut b) if owner_then_project => {
                    b.end = e;
                    b.items.pop();
                    b.items.push(m);
                    Some(b)
                }
                Some(mut b)
                    if self.is_separator(rule, &self.text[b.end..s]) && (!alike || kind_of(&b) == mention.kind) =>
                {
                    b.end = e;
                    b.items.push(m);
                    Some(b)
                }
                other => {
                    out.extend(other);
                    Some(Bound { start: s, end: e, items: vec![m] })
                }
            };
        }
        out.extend(current);
        out
    }

    /// Is this text between two mentions one of the rule's separators (padding aside)?
    fn is_separator(&self, rule: &Rule, gap: &str) -> bool {
        let core = gap.trim_matches(|c| LIST_PADDING.contains(&c));
        rule.separators.iter().any(|s| s == core)
    }
}

//! Stop lists: names never to be found, whether a dictionary lists them or discovery or the tagger would propose
//! them. A line is a name or alias (matched after normalisation), or a pattern with `*` for any characters
//! (`*房地产项目`, `城市更新*`). Each entry counts the discovered mentions it removed, so that a run can report what
//! each line did.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::read::text::normalize_name;

/// One line of a stop list.
#[derive(Debug)]
pub struct StopEntry {
    /// The line as written.
    pub line: String,
    /// Its normalised parts between `*`s (one part: an exact name).
    parts: Vec<String>,
    /// Whether the line holds a `*`.
    pattern: bool,
    /// Dictionary forms it removed.
    pub forms: u64,
    /// Discovered mentions it removed, over the whole run.
    pub mentions: AtomicU64,
    /// Whether it is a user's (reported by a run, and applied to discovered names; the built-in list only blocks
    /// dictionary forms).
    pub reported: bool,
}

impl StopEntry {
    /// An entry from a stop list's line.
    pub fn new(line: &str) -> StopEntry {
        let pattern = line.contains('*');
        let parts = line.split('*').map(normalize_name).collect();
        StopEntry { line: line.to_string(), parts, pattern, forms: 0, mentions: AtomicU64::new(0), reported: true }
    }

    /// Counts one discovered mention removed.
    pub fn count(&self) {
        self.mentions.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether a normalised name is stopped by this entry.
    pub fn matches(&self, name: &str) -> bool {
        if !self.pattern {
            return self.parts[0] == name;
        }
        let (first, last) = (&self.parts[0], &self.parts[self.parts.len() - 1]);
        if !name.starts_with(first.as_str()) || name.len() < first.len() + last.len() || !name.ends_with(last.as_str())
        {
            return false;
        }
        // The middle parts in order, between the first and the last.
        let mut rest = &name[first.len()..name.len() - last.len()];
        for part in &self.parts[1..self.parts.len() - 1] {
            match rest.find(part.as_str()) {
                Some(i) => rest = &rest[i + part.len()..],
                None => return false,
            }
        }
        true
    }
}

/// Every stop list of a run.
#[derive(Clone, Debug, Default)]
pub struct StopList {
    entries: Vec<Arc<StopEntry>>,
}

impl StopList {
    /// Adds an entry.
    pub fn push(&mut self, entry: StopEntry) {
        self.entries.push(Arc::new(entry));
    }

    /// The entries, in the order read.
    pub fn entries(&self) -> &[Arc<StopEntry>] {
        &self.entries
    }

    /// Whether any entry is a user's (only those stop discovered names).
    pub fn has_user_entries(&self) -> bool {
        self.entries.iter().any(|e| e.reported)
    }

    /// The user's entry that stops a normalised name, if any, without counting.
    pub fn stopping(&self, name: &str) -> Option<&StopEntry> {
        self.entries.iter().map(AsRef::as_ref).find(|e| e.reported && e.matches(name))
    }

    /// Whether a normalised name is stopped; counts one removed mention on the first entry that stops it.
    pub fn stops(&self, name: &str) -> bool {
        self.stopping(name).inspect(|e| e.count()).is_some()
    }

    /// What each entry removed, a line each: `'城市更新*': 2 dictionary forms, 5 discovered mentions`.
    pub fn report(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| e.reported)
            .map(|e| {
                let mentions = e.mentions.load(Ordering::Relaxed);
                format!("stop '{}': {} dictionary forms, {mentions} discovered mentions removed", e.line, e.forms)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_and_patterns() {
        let table = [
            ("城市更新项目", "城市更新项目", true),
            ("城市更新项目", "城市更新", false),
            ("城市更新*", "城市更新项目", true),
            ("*房地产项目", "高端房地产项目", true),
            ("*房地产项目", "房地产", false),
            ("栾伟江*我县", "栾伟江督导检查我县", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxcyyb", false),
            ("ab*ba", "aba", false),
        ];
        for (line, name, want) in table {
            assert_eq!(StopEntry::new(line).matches(name), want, "{line} ~ {name}");
        }
    }

    #[test]
    fn a_stop_counts_on_its_entry() {
        let mut list = StopList::default();
        list.push(StopEntry::new("城市更新*"));
        list.push(StopEntry::new("房地产项目"));
        assert!(list.stops("城市更新项目") && list.stops("城市更新工程") && list.stops("房地产项目"));
        assert!(!list.stops("星河电子有限公司"));
        let report = list.report();
        assert_eq!(report[0], "stop '城市更新*': 0 dictionary forms, 2 discovered mentions removed");
        assert_eq!(report[1], "stop '房地产项目': 0 dictionary forms, 1 discovered mentions removed");
    }
}

//! Discovery's word lists, read from `dictionaries/discovery.toml` (embedded in the binary): the name endings and
//! the type each gives, the posts a person's name follows, the verbs whose subject is an official, and surnames.

use std::sync::OnceLock;

use serde::Deserialize;

/// The built-in word lists.
pub const BUILTIN_LEXICON: &str = include_str!("../../../dictionaries/discovery.toml");

/// The word lists, with the last characters of endings and posts for quick tests.
#[derive(Debug)]
pub struct Lexicon {
    /// Name endings and the type they give, longest first where one ends another.
    pub endings: Vec<(String, &'static str)>,
    /// Posts after which a name follows.
    pub posts: Vec<String>,
    /// Verbs whose subject at the start of a clause is an official.
    pub subject_verbs: Vec<String>,
    /// Common surnames.
    pub surnames: String,
    /// Rarer surnames, trusted only after a post.
    pub rare_surnames: String,
    /// The last characters of the endings.
    pub ending_chars: String,
    /// The last characters of the posts.
    pub post_chars: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    endings: Vec<(String, String)>,
    posts: Vec<String>,
    subject_verbs: Vec<String>,
    surnames: String,
    rare_surnames: String,
}

impl Lexicon {
    /// Reads word lists in the format of `dictionaries/discovery.toml`.
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut endings = Vec::new();
        for (ending, kind) in file.endings {
            let known = crate::dict::KNOWN_TYPES
                .iter()
                .find(|k| **k == kind)
                .ok_or_else(|| format!("ending '{ending}': unknown type '{kind}'"))?;
            endings.push((ending, *known));
        }
        let last = |words: &mut dyn Iterator<Item = &String>| {
            let mut chars = String::new();
            for c in words.filter_map(|w| w.chars().next_back()) {
                if !chars.contains(c) {
                    chars.push(c);
                }
            }
            chars
        };
        let ending_chars = last(&mut endings.iter().map(|e| &e.0));
        let post_chars = last(&mut file.posts.iter());
        Ok(Lexicon {
            endings,
            posts: file.posts,
            subject_verbs: file.subject_verbs,
            surnames: file.surnames,
            rare_surnames: file.rare_surnames,
            ending_chars,
            post_chars,
        })
    }
}

/// The built-in word lists, read once. The file is part of the build: a test checks that it loads, so failing here
/// would be a bug of the build, not of a user's input.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON
        .get_or_init(|| Lexicon::parse(BUILTIN_LEXICON).unwrap_or_else(|e| panic!("dictionaries/discovery.toml: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_word_lists_load_and_order_endings_longest_first() {
        let lex = Lexicon::parse(BUILTIN_LEXICON).unwrap();
        assert!(lex.endings.len() >= 50 && lex.posts.len() >= 40, "{lex:?}");
        // An ending that ends an earlier one must come later (有限公司 after 股份有限公司), or the shorter would win.
        for (i, (a, _)) in lex.endings.iter().enumerate() {
            for (b, _) in &lex.endings[i + 1..] {
                assert!(!b.ends_with(a.as_str()) || b == a, "'{b}' ends with the earlier '{a}'");
            }
        }
        for (e, _) in &lex.endings {
            assert!(lex.ending_chars.contains(e.chars().last().unwrap()), "{e}");
        }
    }

    #[test]
    fn bad_word_lists_are_refused_with_the_reason() {
        let table = [
            ("endings = [[\"公司\", \"firm\"]]\nposts = []\nsubject_verbs = []\nsurnames = \"\"\nrare_surnames = \"\"\n", "unknown type 'firm'"),
            ("endings = []\n", "missing field"),
        ];
        for (text, want) in table {
            let err = Lexicon::parse(text).unwrap_err();
            assert!(err.contains(want), "{err}");
        }
    }
}

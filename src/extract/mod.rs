//! Extraction: one document through its stages, in order, each a module of this folder.
//!
//! | # | stage | module | adds to the [`Doc`] |
//! |---|---|---|---|
//! | 1 | text | [`crate::read::text`] | the normalised text with its offset map |
//! | 2 | dictionary mentions | [`mentions`] | entities the dictionaries list, where they occur |
//! | 3 | discovered names | [`discover`] | names no dictionary lists, as the document's own entities |
//! | 4 | sentences | [`sentences`] | sentences, each with the mentions inside it |
//! | 5 | document context | [`context`] | the document's place and title, its most-mentioned entities |
//! | 6 | candidate pairs | [`pairs`] | what the rules ([`rules`]) match in each sentence |
//! | 7 | relations | [`relations`] | typed relations and co-occurrences with their evidence, and those resting on the whole document |
//! | 8 | relation scorer | [`scorer`] | with the trained model: the typed relations that hold, each with its confidence |
//!
//! With the trained model ([`trained`]), stage 3 is the entity tagger ([`tagger`]), which reads discovery's names
//! as hints, and stage 8 re-decides the typed relations, the rules' among them ([`scorer`]). Without it
//! (`--no-model`), discovery's names are taken as they are and the rules decide.
//!
//! [`Extractor::read`] lists the stages; [`Extractor::extract`] keeps what the graph needs ([`Extraction`]), and
//! `guanxi explain` prints the layers in the same order.

pub mod context;
pub mod discover;
pub mod doc;
pub mod mentions;
pub mod pairs;
pub mod relations;
pub mod rules;
pub mod scorer;
pub mod sentences;
pub mod tagger;
pub mod tokens;
pub mod trained;

pub use doc::{Doc, Sentence};

use crate::dict::Dictionary;
use crate::model::{Document, Entity, Mention, Relation};
use mentions::Matcher;
use rules::RuleSet;

/// What one document yields for the graph.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// The entities discovery found in the document, which no dictionary lists: mentions and relations refer to
    /// them by ids from the dictionary's length on (see [`Dictionary::with_discovered`]).
    pub discovered: Vec<Entity>,
    /// Every kept mention, in text order.
    pub mentions: Vec<Mention>,
    /// Every relation found, co-occurrences included, in sentence order.
    pub relations: Vec<Relation>,
}

/// Extracts documents with one dictionary, its matcher, one rule set and, optionally, the trained model.
#[derive(Clone, Debug)]
pub struct Extractor<'a> {
    dict: &'a Dictionary,
    matcher: &'a Matcher,
    rules: &'a RuleSet,
    discover: bool,
    model: Option<&'a trained::Model>,
    explain: bool,
}

impl<'a> Extractor<'a> {
    /// An extractor over a dictionary, its matcher and a rule set, without discovery.
    pub fn new(dict: &'a Dictionary, matcher: &'a Matcher, rules: &'a RuleSet) -> Self {
        Extractor { dict, matcher, rules, discover: false, model: None, explain: false }
    }

    /// This extractor with the trained model's stages (the tagger, the relation scorer), or without them.
    pub fn with_model(mut self, model: Option<&'a trained::Model>) -> Self {
        self.model = model;
        self
    }

    /// This extractor keeping, for `explain`, every decision of the relation scorer with its strongest features.
    pub fn explaining(mut self, on: bool) -> Self {
        self.explain = on;
        self
    }

    /// This extractor with discovery of unlisted names on or off (the default).
    pub fn discovering(mut self, on: bool) -> Self {
        self.discover = on;
        self
    }

    /// The rules it applies.
    pub fn rules(&self) -> &'a RuleSet {
        self.rules
    }

    /// Its dictionary matcher.
    pub fn matcher(&self) -> &'a Matcher {
        self.matcher
    }

    /// Reads one document through every stage, in order.
    pub fn read<'d>(&self, source: &'d Document) -> Doc<'d> {
        let mut doc = self.read_to_rules(source);
        if let Some(model) = self.model {
            scorer::stage::decide(&model.scorer, self.matcher, &mut doc, self.explain);
        }
        doc
    }

    /// Reads one document through the stages before the relation scorer: with the model, its tagger finds the
    /// names (discovery's among its hints); the rules and the document context decide the relations.
    pub fn read_to_rules<'d>(&self, source: &'d Document) -> Doc<'d> {
        let mut doc = Doc::new(source, self.dict);
        mentions::add(self.matcher, &mut doc);
        match self.model {
            Some(model) if self.discover => {
                tagger::stage::add(&model.tagger, model.manifest.tagger_threshold, self.matcher, &mut doc)
            }
            _ if self.discover => discover::add(self.matcher, &mut doc),
            _ => {}
        }
        sentences::cut(&mut doc);
        context::read(&mut doc);
        pairs::find(self.rules, &mut doc);
        relations::decide(self.rules, &mut doc);
        doc
    }

    /// Extracts one document: what the graph keeps of it.
    pub fn extract(&self, source: &Document) -> Extraction {
        let doc = self.read(source);
        Extraction { discovered: doc.discovered, mentions: doc.mentions, relations: doc.relations }
    }
}

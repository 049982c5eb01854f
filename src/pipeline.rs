//! The whole pipeline: dictionaries and rules are loaded once, then each input document flows through
//! text → mentions → relations and is folded into the graph.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::dict::Dictionary;
use crate::error::{Error, Result};
use crate::extract::mentions::Matcher;
use crate::extract::rules::RuleSet;
use crate::extract::trained::Model;
use crate::extract::{Extraction, Extractor};
use crate::graph::Graph;
use crate::model::Document;
use crate::read::input::{self, Source};

/// What to load.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// User dictionaries (CSV files or directories of them), in order.
    pub dicts: Vec<PathBuf>,
    /// Leave the built-in dictionaries out.
    pub no_default_dict: bool,
    /// A rules file added to the built-in rules (a rule of the same name replaces the built-in one).
    pub rules: Option<PathBuf>,
    /// Leave the built-in rules out: only `rules` counts.
    pub no_default_rules: bool,
    /// Discover names the dictionaries do not list (see [`crate::extract::discover`]).
    pub discover: bool,
    /// Stop lists (one name or alias per line) added to the built-in one: those surface forms are never looked for.
    pub stop: Vec<PathBuf>,
    /// Which trained model reads the documents (see [`crate::extract::trained`]).
    pub model: ModelChoice,
}

/// Which trained model a pipeline uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ModelChoice {
    /// The model built into the binary.
    #[default]
    Builtin,
    /// The model in a folder (`--model DIR`).
    Dir(PathBuf),
    /// None: discovery's names and the rules' relations as they are (`--no-model`).
    None,
}

/// Loaded dictionaries, matcher and rules.
#[derive(Debug)]
pub struct Pipeline {
    /// The merged dictionaries.
    pub dict: Dictionary,
    /// The mention matcher built from them.
    pub matcher: Matcher,
    /// The relation rules.
    pub rules: RuleSet,
    /// How inputs are read.
    pub read_options: input::ReadOptions,
    /// Worker threads for extraction; 0 means one per core. The output does not depend on it.
    pub threads: usize,
    /// Treat a problem with an input file (unreadable, binary, undecodable, empty, a bad JSON Lines record) as an
    /// error instead of a warning.
    pub strict: bool,
    /// Set from elsewhere (a Ctrl-C handler) to stop between batches with [`Error::Interrupted`].
    pub cancel: Arc<AtomicBool>,
    /// Discover names the dictionaries do not list (see [`crate::extract::discover`]).
    pub discover: bool,
    /// The trained model, unless `--no-model`.
    pub model: Option<Model>,
    /// Ids of documents already in the graph that `build --update` adds to: a document with one of them is
    /// skipped with a warning, so that adding the same file twice does not count it twice.
    pub known_ids: std::collections::HashSet<String>,
    /// Only documents dated in this range are read (`--since`, `--until`); an open range reads every document.
    pub dates: crate::read::dates::Range,
}

/// `base#2`, `base#3` … whichever is not in `taken` first (for a document id used twice).
pub fn unused_id(base: &str, taken: &std::collections::HashSet<String>) -> String {
    (2..).map(|n| format!("{base}#{n}")).find(|id| !taken.contains(id)).unwrap_or_default()
}

/// A batch of documents extracted in parallel holds at most this much text…
const BATCH_BYTES: usize = 4 << 20;
/// …or this many documents.
const BATCH_DOCUMENTS: usize = 512;

/// A batch of documents with their extractions, in input order: done, or being extracted by the pool.
enum Batch {
    Done(Vec<(Document, Extraction)>),
    Pending(std::sync::mpsc::Receiver<Vec<(Document, Extraction)>>),
}

impl Batch {
    /// The results, once extracted. A batch whose extraction panicked yields nothing here; the panic itself is
    /// raised again when the scope that spawned it ends.
    fn wait(self) -> Vec<(Document, Extraction)> {
        match self {
            Batch::Done(done) => done,
            Batch::Pending(rx) => rx.recv().unwrap_or_default(),
        }
    }
}

/// Figures about one build.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Documents read.
    pub documents: usize,
    /// Inputs skipped because they could not be read or decoded.
    pub skipped: usize,
    /// Documents skipped because the graph updated already holds them.
    pub known: usize,
    /// Documents left out because they are undated or dated outside `--since`/`--until`.
    pub out_of_range: usize,
    /// Mentions found.
    pub mentions: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl Pipeline {
    /// Loads dictionaries and rules. Warnings (alias conflicts, ignored columns) are passed to `warn`.
    pub fn new(options: &Options, warn: &mut dyn FnMut(String)) -> Result<Self> {
        let mut dict = if options.no_default_dict { Dictionary::empty() } else { Dictionary::builtin()? };
        for path in &options.dicts {
            dict.load_path(path)?;
        }
        for w in dict.take_warnings() {
            warn(w);
        }
        if !options.no_default_dict {
            dict.block(crate::dict::BUILTIN_STOP, false);
        }
        for path in &options.stop {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            dict.block(&text, true);
            for w in dict.take_warnings() {
                warn(format!("{}: {w}", path.display()));
            }
        }
        if dict.is_empty() {
            return Err(Error::Usage("no dictionary entries: give --dict, or drop --no-default-dict".into()));
        }
        let rules = match &options.rules {
            Some(path) => RuleSet::load_with(path, !options.no_default_rules)?,
            None if options.no_default_rules => {
                return Err(Error::Usage("--no-default-rules needs --rules FILE: no rule would be left".into()))
            }
            None => RuleSet::builtin()?,
        };
        let matcher = Matcher::new(&dict)?;
        for (alias, e) in matcher.common_word_aliases() {
            let entity = dict.entity(*e);
            warn(format!(
                "{}:{}: alias '{alias}' of {} is a common word and will be found wherever the word is used; \
                 move it to weak_aliases to count it only in documents that also name the entity otherwise",
                entity.origin.file, entity.origin.line, entity.name
            ));
        }
        Ok(Pipeline {
            dict,
            matcher,
            rules,
            read_options: input::ReadOptions::default(),
            threads: 0,
            strict: false,
            cancel: Arc::new(AtomicBool::new(false)),
            discover: options.discover,
            model: match &options.model {
                ModelChoice::Builtin => Some(Model::builtin()?),
                ModelChoice::Dir(dir) => Some(Model::load(dir)?),
                ModelChoice::None => None,
            },
            known_ids: Default::default(),
            dates: Default::default(),
        })
    }

    /// An extractor over this pipeline's dictionary and rules.
    pub fn extractor(&self) -> Extractor<'_> {
        Extractor::new(&self.dict, &self.matcher, &self.rules)
            .discovering(self.discover)
            .with_model(self.model.as_ref())
    }

    /// Reads every source and builds the graph. A source that cannot be read or decoded is reported to `warn`
    /// and skipped; if no document at all could be read, that is an error.
    pub fn build(&self, sources: &[Source], warn: &mut dyn FnMut(String)) -> Result<(Graph, Summary)> {
        let mut graph = Graph::new();
        let summary = self.for_each_document(sources, warn, &mut |doc, extraction| {
            graph.add_document(doc.info(), &self.dict, &extraction);
        })?;
        Ok((graph, summary))
    }

    /// Reads every source, extracts each document and hands it to `each`, in input order. A source that cannot be
    /// read or decoded is reported to `warn` and skipped; if no document at all could be read, that is an error.
    pub fn for_each_document(
        &self,
        sources: &[Source],
        warn: &mut dyn FnMut(String),
        each: &mut dyn FnMut(Document, Extraction),
    ) -> Result<Summary> {
        self.for_each_document_with_progress(sources, warn, each, &mut |_| {})
    }

    /// [`Pipeline::for_each_document`], calling `progress` after each source is done.
    pub fn for_each_document_with_progress(
        &self,
        sources: &[Source],
        warn: &mut dyn FnMut(String),
        each: &mut dyn FnMut(Document, Extraction),
        progress: &mut dyn FnMut(&Source),
    ) -> Result<Summary> {
        let started = Instant::now();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .map_err(|e| Error::Usage(format!("cannot start {} threads: {e}", self.threads)))?;
        let extractor = self.extractor();
        // With one thread, everything happens on this one. With more, this thread reads documents and folds the
        // results of one batch into the graph while the pool extracts the next.
        let overlap = pool.current_num_threads() > 1;
        let mut summary = pool.in_place_scope(|scope| -> Result<Summary> {
            let dispatch = |batch: Vec<Document>| -> Batch {
                let extract = |doc: Document| {
                    let extraction = extractor.extract(&doc);
                    (doc, extraction)
                };
                if !overlap {
                    return Batch::Done(batch.into_iter().map(extract).collect());
                }
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                scope.spawn(move |_| {
                    use rayon::prelude::*;
                    let _ = tx.send(batch.into_par_iter().map(extract).collect());
                });
                Batch::Pending(rx)
            };
            let mut batches =
                Batches { dispatch, in_flight: None, batch: Vec::new(), bytes: 0, each, summary: Default::default() };
            let mut ids = self.known_ids.clone();
            for source in sources {
                if self.cancel.load(Ordering::Relaxed) {
                    return Err(Error::Interrupted);
                }
                let Some(arrived) = self.read_source(source, warn, &mut batches.summary)? else {
                    continue;
                };
                for doc in arrived {
                    if let Some(doc) = self.admit(doc, source, &mut ids, warn, &mut batches.summary) {
                        batches.push(doc, &self.cancel)?;
                    }
                }
                progress(source);
            }
            Ok(batches.finish())
        })?;
        self.check_any_read(&summary)?;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// The documents of one source, or `None` when it could not be read (warned about and counted, or an error
    /// with `--strict`).
    fn read_source(
        &self,
        source: &Source,
        warn: &mut dyn FnMut(String),
        summary: &mut Summary,
    ) -> Result<Option<Vec<Document>>> {
        let mut notes = Vec::new();
        let mut arrived = Vec::new();
        let read = input::read(source, &self.read_options, &mut |doc| arrived.push(doc), &mut |w| notes.push(w));
        if self.strict {
            read?;
            if let Some(note) = notes.into_iter().next() {
                return Err(Error::Usage(format!("{note} (--strict)")));
            }
            return Ok(Some(arrived));
        }
        for note in notes {
            warn(note);
        }
        if let Err(e) = read {
            warn(format!("{e}; skipped"));
            summary.skipped += 1;
            return Ok(None);
        }
        Ok(Some(arrived))
    }

    /// The document if it is to be extracted: not one the updated graph holds, dated within `--since`/`--until`,
    /// and with an id of its own (a document with an id seen before is told apart by its source and a number).
    fn admit(
        &self,
        mut doc: Document,
        source: &Source,
        ids: &mut std::collections::HashSet<String>,
        warn: &mut dyn FnMut(String),
        summary: &mut Summary,
    ) -> Option<Document> {
        if self.known_ids.contains(&doc.id) {
            warn(format!("document '{}' is already in the graph; skipped", doc.id));
            summary.known += 1;
            return None;
        }
        let dated_in_range = || {
            let date = doc.meta.get("date").and_then(|d| crate::read::dates::normalize(d));
            self.dates.contains(date.as_deref())
        };
        if !self.dates.is_open() && !dated_in_range() {
            summary.out_of_range += 1;
            return None;
        }
        if !ids.insert(doc.id.clone()) {
            let base = match source {
                Source::File(path) if input::Kind::of(path) == input::Kind::Text => path.display().to_string(),
                _ => doc.id.clone(),
            };
            let id = if ids.contains(&base) { unused_id(&base, ids) } else { base };
            warn(format!("document id '{}' is used twice; using '{id}' for this one", doc.id));
            doc.id = id;
            ids.insert(doc.id.clone());
        }
        Some(doc)
    }

    /// An error when no document at all was read.
    fn check_any_read(&self, summary: &Summary) -> Result<()> {
        if summary.documents == 0 && summary.known == 0 && summary.out_of_range > 0 {
            return Err(Error::Usage(format!(
                "no document is dated within --since/--until ({} outside it or undated)",
                summary.out_of_range
            )));
        }
        if summary.documents == 0 && summary.known == 0 {
            return Err(Error::Usage(format!(
                "no document could be read ({} input{} skipped)",
                summary.skipped,
                if summary.skipped == 1 { "" } else { "s" }
            )));
        }
        Ok(())
    }
}

/// Documents gathered into batches, each extracted (by `dispatch`) while the previous one is handed on: at most two
/// are in flight.
struct Batches<'e, D> {
    dispatch: D,
    in_flight: Option<Batch>,
    batch: Vec<Document>,
    bytes: usize,
    each: &'e mut dyn FnMut(Document, Extraction),
    summary: Summary,
}

impl<D: Fn(Vec<Document>) -> Batch> Batches<'_, D> {
    /// Adds a document; a full batch starts being extracted, and the one before it is handed on.
    fn push(&mut self, doc: Document, cancel: &AtomicBool) -> Result<()> {
        self.bytes += doc.text.len();
        self.batch.push(doc);
        if self.bytes >= BATCH_BYTES || self.batch.len() >= BATCH_DOCUMENTS {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Interrupted);
            }
            let next = (self.dispatch)(std::mem::take(&mut self.batch));
            if let Some(done) = self.in_flight.replace(next) {
                self.hand_on(done);
            }
            self.bytes = 0;
        }
        Ok(())
    }

    /// Hands on every document of a batch once extracted, in input order.
    fn hand_on(&mut self, done: Batch) {
        for (doc, extraction) in done.wait() {
            self.summary.documents += 1;
            self.summary.mentions += extraction.mentions.len();
            (self.each)(doc, extraction);
        }
    }

    /// Hands on the batch in flight and the last one; the figures.
    fn finish(mut self) -> Summary {
        if let Some(done) = self.in_flight.take() {
            self.hand_on(done);
        }
        let last = (self.dispatch)(std::mem::take(&mut self.batch));
        self.hand_on(last);
        self.summary
    }
}

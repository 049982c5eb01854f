//! The trained model: the entity tagger and the relation scorer, and the folder that holds them.
//!
//! A model is a folder of three files: `model.json` (this format's manifest: its version, the tagger's span
//! threshold, what it was trained on), `tagger.gxt` (see [`super::tagger::model`]) and `scorer.json` (see
//! [`super::scorer::model`]). The same training input gives byte-identical files. The model in `models/default/`
//! is built into the binary and used unless `--model DIR` or `--no-model` says otherwise.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::scorer::{self, Scorer};
use super::tagger::{self, Tagger};
use crate::error::{Error, Result};

/// The manifest's format name.
const FORMAT: &str = "guanxi-model";
/// The manifest version this code reads and writes.
pub const VERSION: u32 = 1;
/// The manifest's file name in a model folder.
pub const MANIFEST: &str = "model.json";
/// The tagger's file name.
pub const TAGGER: &str = "tagger.gxt";
/// The scorer's file name.
pub const SCORER: &str = "scorer.json";

/// The model built into the binary.
const DEFAULT: [&[u8]; 3] = [
    include_bytes!("../../models/default/model.json"),
    include_bytes!("../../models/default/tagger.gxt"),
    include_bytes!("../../models/default/scorer.json"),
];

/// What a model says about itself (`model.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `guanxi-model`.
    pub format: String,
    /// The manifest's version.
    pub version: u32,
    /// Tagger spans below this confidence are not kept.
    pub tagger_threshold: f32,
    /// What it was trained on and how (documents, sets, settings), as `key: value`.
    #[serde(default)]
    pub training: BTreeMap<String, String>,
}

impl Manifest {
    /// A manifest with a tagger threshold and training notes.
    pub fn new(tagger_threshold: f32, training: BTreeMap<String, String>) -> Manifest {
        Manifest { format: FORMAT.into(), version: VERSION, tagger_threshold, training }
    }
}

/// A loaded model.
#[derive(Debug)]
pub struct Model {
    /// About the model.
    pub manifest: Manifest,
    /// The entity tagger.
    pub tagger: Tagger,
    /// The relation scorer.
    pub scorer: Scorer,
    /// Where it was loaded from (`built-in` or the folder).
    pub origin: String,
}

impl Model {
    /// The model built into the binary (`models/default/`).
    pub fn builtin() -> Result<Model> {
        Model::from_bytes(DEFAULT, "built-in")
    }

    /// The model in a folder.
    pub fn load(dir: &Path) -> Result<Model> {
        let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| Error::io(dir.join(name), e));
        let (manifest, tagger, scorer) = (read(MANIFEST)?, read(TAGGER)?, read(SCORER)?);
        Model::from_bytes([&manifest, &tagger, &scorer], &dir.display().to_string())
    }

    fn from_bytes([manifest, tagger, scorer]: [&[u8]; 3], origin: &str) -> Result<Model> {
        let bad = |file: &str, e: String| Error::Usage(format!("{origin}: {file} is not a guanxi model file: {e}"));
        let manifest: Manifest = serde_json::from_slice(manifest).map_err(|e| bad(MANIFEST, e.to_string()))?;
        if manifest.format != FORMAT || manifest.version != VERSION {
            return Err(bad(
                MANIFEST,
                format!("format {} version {}, expected {FORMAT} {VERSION}", manifest.format, manifest.version),
            ));
        }
        let tagger = tagger::Model::load(&mut &*tagger).map_err(|e| bad(TAGGER, e.to_string()))?;
        let scorer = scorer::Model::load(&mut &*scorer).map_err(|e| bad(SCORER, e.to_string()))?;
        Ok(Model { manifest, tagger: Tagger::new(tagger), scorer: Scorer::new(scorer), origin: origin.into() })
    }

    /// Writes the model's three files into a folder (created if missing).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut manifest = serde_json::to_vec_pretty(&self.manifest).map_err(|e| Error::Usage(e.to_string()))?;
        manifest.push(b'\n');
        let mut tagger = Vec::new();
        self.tagger.model.save(&mut tagger).map_err(|e| Error::io(dir.join(TAGGER), e))?;
        let mut scorer = Vec::new();
        self.scorer.model.save(&mut scorer).map_err(|e| Error::io(dir.join(SCORER), e))?;
        for (name, bytes) in [(MANIFEST, manifest), (TAGGER, tagger), (SCORER, scorer)] {
            std::fs::write(dir.join(name), bytes).map_err(|e| Error::io(dir.join(name), e))?;
        }
        Ok(())
    }
}

/// Writes what a model holds: its manifest, the size of each part, the tagger's strongest features per label and
/// the scorer's per relation, with its thresholds.
pub fn describe(model: &Model, top: usize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let m = &model.manifest;
    writeln!(out, "model: {} ({} version {})", model.origin, m.format, m.version)?;
    for (k, v) in &m.training {
        writeln!(out, "  {k}: {v}")?;
    }
    let (mut tagger, mut scorer) = (Vec::new(), Vec::new());
    model.tagger.model.save(&mut tagger)?;
    model.scorer.model.save(&mut scorer)?;
    writeln!(out, "tagger: {TAGGER}, {} bytes, span threshold {}", tagger.len(), m.tagger_threshold)?;
    for (label, features) in model.tagger.model.top_features(top) {
        let list: Vec<String> = features.iter().map(|(n, w)| format!("{n} {w:.2}")).collect();
        writeln!(out, "  {label}: {}", list.join(" · "))?;
    }
    writeln!(out, "scorer: {SCORER}, {} bytes", scorer.len())?;
    for (relation, positive, negative) in model.scorer.model.top_features(top) {
        let list = |v: &[(String, f32)]| v.iter().map(|(n, w)| format!("{n} {w:.2}")).collect::<Vec<_>>().join(" · ");
        writeln!(out, "  {} (threshold {:.2})", relation.name(), model.scorer.model.threshold(relation))?;
        writeln!(out, "    +: {}", list(&positive))?;
        writeln!(out, "    −: {}", list(&negative))?;
    }
    Ok(())
}

//! Dictionaries: the entities guanxi knows, read from CSV files.
//!
//! A dictionary file has a header row with the required columns `name,type,aliases` and optionally `parent`
//! (the entity this one lies in or belongs to), `title` (an official's post), `weak_aliases` (short forms that
//! count only in a document that also names the entity by its name or a regular alias, such as 保税 for the
//! bonded zone) and `note` (free text for curators, ignored). Other columns are ignored with a warning. Lines starting with `#` are comments. Files may be UTF-8
//! (with or without BOM), UTF-16 with BOM, or GBK/GB18030.
//!
//! Loading several files builds one [`Dictionary`]: a row whose name is already the canonical name of an entity
//! (or an alias of an entity of the same type) adds to that entity. A surface form (name or alias) claimed by two
//! different entities is a warning naming both places; a user's dictionary wins over the built-in one, and
//! otherwise the first claim stands.
//!
//! `load` reads the files and `merge` folds their rows into one set of entities; the lookups extraction makes
//! are in `lookup`; `builtin` holds the dictionaries embedded in the binary.

mod builtin;
mod load;
mod lookup;
mod merge;
pub mod stop;
#[cfg(test)]
mod tests;
mod variants;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::error::Result;
use crate::model::{Entity, EntityId, Origin};
use crate::read::text::normalize_name;

pub use builtin::{BUILTIN, BUILTIN_STOP};

/// The entity types guanxi knows of; any other lowercase word is accepted as a user-defined type.
pub const KNOWN_TYPES: &[&str] = &["company", "official", "district", "park", "organization"];

/// Who claimed a surface form.
#[derive(Clone, Debug)]
struct Claim {
    entity: EntityId,
    origin: Origin,
    user: bool,
    weak: bool,
}

/// The loaded dictionaries: entities and the surface forms that refer to them.
#[derive(Clone, Debug, Default)]
struct Core {
    entities: Vec<Entity>,
    /// Whether each entity was defined by a user's dictionary.
    user_defined: Vec<bool>,
    /// Normalised canonical name → entity.
    by_name: FxHashMap<String, EntityId>,
    /// Normalised surface form → its claim ([`Dictionary::surfaces`] sorts them). Hashed: extraction looks names
    /// up by the million (every prefix of a name, to find the place it starts with).
    surfaces: FxHashMap<String, Claim>,
    /// Surface forms claimed by several entities (高新区, 开发区 …) → all of them, the default claim first: which one
    /// a mention means is decided per document (see [`crate::extract::mentions::Matcher::find`]).
    rivals: BTreeMap<String, Vec<EntityId>>,
    warnings: Vec<String>,
    /// Names never to be found (stop lists), listed or discovered.
    stop: stop::StopList,
    /// Short forms of autonomous counties, prefectures and banners (江华县 → 江华瑶族自治县; `None` where two share
    /// one), built on first need.
    autonomous: std::sync::OnceLock<FxHashMap<String, Option<EntityId>>>,
}

/// All loaded entities and the surface forms (names and aliases) that refer to them, and the names one document
/// adds by discovery ([`Dictionary::with_discovered`]): cloning it shares the loaded part.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    core: Arc<Core>,
    /// Entities discovered in one document: ids from the core's length on.
    discovered: Vec<Entity>,
    /// Their normalised names → id.
    discovered_names: FxHashMap<String, EntityId>,
}

/// One row of a dictionary file, parsed: what [`load`] hands to [`merge`].
struct Row {
    name: String,
    kind: String,
    aliases: Vec<String>,
    weak_aliases: Vec<String>,
    parent: Option<String>,
    title: Option<String>,
    origin: Origin,
}

impl Dictionary {
    /// A dictionary with no entries.
    pub fn empty() -> Self {
        Dictionary::default()
    }

    /// The built-in dictionaries.
    pub fn builtin() -> Result<Self> {
        Ok(Dictionary { core: Arc::new(Core::builtin()?), ..Default::default() })
    }

    /// Adds the built-in dictionaries.
    pub fn load_builtin(&mut self) -> Result<()> {
        Arc::make_mut(&mut self.core).load_builtin()
    }

    /// Adds a user's dictionary: a CSV file, or every `*.csv` file of a directory (sorted by name).
    pub fn load_path(&mut self, path: &Path) -> Result<()> {
        Arc::make_mut(&mut self.core).load_path(path)
    }

    /// Adds dictionary CSV data; `file` names it in messages, `user` marks a user's dictionary (it wins conflicts).
    pub fn load_bytes(&mut self, bytes: &[u8], file: &str, user: bool) -> Result<()> {
        Arc::make_mut(&mut self.core).load_bytes(bytes, file, user)
    }

    /// Blocks names (one per line, exact or a pattern with `*`; `#` starts a comment line) everywhere: the
    /// dictionaries' forms they match are no longer looked for nor looked up, and discovery and the tagger drop the
    /// names they match ([`Dictionary::stops`]). `reported` marks a user's list, whose entries a run reports.
    pub fn block(&mut self, stop_list: &str, reported: bool) {
        let core = Arc::make_mut(&mut self.core);
        for line in stop_list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            if normalize_name(&line.replace('*', "")).is_empty() {
                core.warnings.push(format!("stop list line '{line}' would stop every name; ignored"));
                continue;
            }
            let mut entry = stop::StopEntry::new(line);
            entry.reported = reported;
            let keys: Vec<String> = if line.contains('*') {
                let mut keys: Vec<String> = core.surfaces.keys().chain(core.by_name.keys()).cloned().collect();
                keys.retain(|k| entry.matches(k));
                keys.sort();
                keys.dedup();
                keys
            } else {
                vec![normalize_name(line)]
            };
            for key in keys {
                let surface = core.surfaces.remove(&key).is_some();
                let rivals = core.rivals.remove(&key).is_some();
                let name = core.by_name.remove(&key).is_some();
                entry.forms += u64::from(surface || rivals || name);
            }
            core.stop.push(entry);
        }
    }

    /// Whether a normalised name is on a stop list (counted as one removed mention of the entry that stops it).
    pub fn stops(&self, name: &str) -> bool {
        self.core.stop.stops(name)
    }

    /// The stop lists' entries, with what each removed so far.
    pub fn stop_list(&self) -> &stop::StopList {
        &self.core.stop
    }

    /// This dictionary with the entities one document discovered added after the loaded ones (their ids are
    /// `len()` on, in order). A loaded name always wins: a discovered entity whose name the dictionary knows is
    /// looked up as the dictionary's.
    pub fn with_discovered(&self, entities: &[Entity]) -> Dictionary {
        let base = self.core.entities.len();
        // Names first, then aliases (星河精工 for 潍坊星河精工机械有限公司) where no name claims them.
        let mut discovered_names: FxHashMap<String, EntityId> =
            entities.iter().enumerate().map(|(i, e)| (normalize_name(&e.name), base + i)).collect();
        for (i, e) in entities.iter().enumerate() {
            for a in &e.aliases {
                discovered_names.entry(normalize_name(a)).or_insert(base + i);
            }
        }
        Dictionary { core: self.core.clone(), discovered: entities.to_vec(), discovered_names }
    }

    /// Number of entities, loaded and discovered.
    pub fn len(&self) -> usize {
        self.core.entities.len() + self.discovered.len()
    }

    /// True if no entity is loaded or discovered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes the warnings collected while loading.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut Arc::make_mut(&mut self.core).warnings)
    }
}

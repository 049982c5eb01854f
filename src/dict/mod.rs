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

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::model::{Entity, EntityId, Origin};
use crate::read::text::normalize_name;

/// The built-in dictionaries, embedded so the binary runs from any directory.
pub const BUILTIN: &[(&str, &str)] = &[
    ("districts.csv", include_str!("../../dictionaries/districts.csv")),
    ("townships.csv", include_str!("../../dictionaries/townships.csv")),
    ("shandong.csv", include_str!("../../dictionaries/shandong.csv")),
    ("china.csv", include_str!("../../dictionaries/china.csv")),
    ("parks.csv", include_str!("../../dictionaries/parks.csv")),
    ("companies.csv", include_str!("../../dictionaries/companies.csv")),
    ("organizations.csv", include_str!("../../dictionaries/organizations.csv")),
    ("officials.csv", include_str!("../../dictionaries/officials.csv")),
    ("institutions.csv", include_str!("../../dictionaries/institutions.csv")),
    ("brands.csv", include_str!("../../dictionaries/brands.csv")),
];

/// The built-in stop list: surface forms never looked for (see [`Dictionary::block`]).
pub const BUILTIN_STOP: &str = include_str!("../../dictionaries/stop.txt");

/// The entity types guanxi knows of; any other lowercase word is accepted as a user-defined type.
pub const KNOWN_TYPES: &[&str] = &["company", "official", "district", "park", "organization"];

const REQUIRED: &[&str] = &["name", "type", "aliases"];
const OPTIONAL: &[&str] = &["parent", "title", "weak_aliases", "note"];

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

    /// Blocks surface forms (names or aliases, one per line; `#` starts a comment line) everywhere: they are no
    /// longer looked for nor looked up. Returns the lines that blocked nothing, for a warning.
    pub fn block(&mut self, stop_list: &str) -> Vec<String> {
        let core = Arc::make_mut(&mut self.core);
        let mut unused = Vec::new();
        for line in stop_list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let key = normalize_name(line);
            let surface = core.surfaces.remove(&key).is_some();
            let rivals = core.rivals.remove(&key).is_some();
            let name = core.by_name.remove(&key).is_some();
            if !(surface || rivals || name) {
                unused.push(line.to_string());
            }
        }
        unused
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

    /// The loaded entities, in the order they were first defined (not the discovered ones).
    pub fn entities(&self) -> &[Entity] {
        &self.core.entities
    }

    /// One entity, loaded or discovered.
    pub fn entity(&self, id: EntityId) -> &Entity {
        match id.checked_sub(self.core.entities.len()) {
            Some(k) => &self.discovered[k],
            None => &self.core.entities[id],
        }
    }

    /// Every searchable surface form (normalised) of the loaded entities with the entity it refers to and whether
    /// it is a weak alias, sorted.
    pub fn surfaces(&self) -> impl Iterator<Item = (&str, EntityId, bool)> {
        let mut all: Vec<(&str, EntityId, bool)> =
            self.core.surfaces.iter().map(|(s, c)| (s.as_str(), c.entity, c.weak)).collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.into_iter()
    }

    /// The entities a surface form (normalised) is claimed by, when there are several, the default first.
    pub fn rivals(&self, surface: &str) -> Option<&[EntityId]> {
        self.core.rivals.get(surface).map(Vec::as_slice)
    }

    /// The entity a name or alias refers to (after normalisation), if any: a loaded one first, else a discovered
    /// one.
    pub fn lookup(&self, name: &str) -> Option<EntityId> {
        self.lookup_normalized(&normalize_name(name))
    }

    /// [`Dictionary::lookup`] for a name already normalised ([`normalize_name`]): no allocation, for hot loops.
    pub fn lookup_normalized(&self, key: &str) -> Option<EntityId> {
        let core = &self.core;
        core.surfaces.get(key).map(|c| c.entity).or_else(|| core.by_name.get(key).copied()).or_else(|| {
            if self.discovered_names.is_empty() {
                None
            } else {
                self.discovered_names.get(key).copied()
            }
        })
    }

    /// The entity's parent (its `parent` column), if the dictionary holds it.
    pub fn parent(&self, id: EntityId) -> Option<EntityId> {
        self.lookup(self.entity(id).parent.as_deref()?).filter(|&p| p != id)
    }

    /// Does `id` lie in `ancestor`, at any depth (寿光市 in 潍坊市, and in 山东省)?
    pub fn lies_in(&self, id: EntityId, ancestor: EntityId) -> bool {
        let mut at = id;
        // Parents chain a few levels deep; the bound keeps a cycle in a user's dictionary from looping.
        for _ in 0..8 {
            match self.parent(at) {
                Some(p) if p == ancestor => return true,
                Some(p) => at = p,
                None => return false,
            }
        }
        false
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

impl Core {
    /// A dictionary with no entries.
    fn empty() -> Self {
        Self::default()
    }

    /// The built-in dictionaries.
    pub fn builtin() -> Result<Self> {
        let mut dict = Self::empty();
        dict.load_builtin()?;
        Ok(dict)
    }

    /// Adds the built-in dictionaries.
    pub fn load_builtin(&mut self) -> Result<()> {
        for (name, text) in BUILTIN {
            self.load_bytes(text.as_bytes(), &format!("builtin:{name}"), false)?;
        }
        Ok(())
    }

    /// Adds a user's dictionary: a CSV file, or every `*.csv` file of a directory (sorted by name).
    pub fn load_path(&mut self, path: &Path) -> Result<()> {
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(Error::Usage(format!("{}: no *.csv dictionary in this directory", path.display())));
            }
            for file in files {
                self.load_path(&file)?;
            }
            return Ok(());
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        self.load_bytes(&bytes, &path.display().to_string(), true)
    }

    /// Adds the dictionary in `bytes`, read from `file` (used in messages); `user` entries win alias conflicts
    /// against built-in ones.
    pub fn load_bytes(&mut self, bytes: &[u8], file: &str, user: bool) -> Result<()> {
        let shared_file: std::sync::Arc<str> = file.into();
        let err = |line: u64, column: Option<u64>, message: String| Error::Dictionary {
            path: file.to_string(),
            line,
            column,
            message,
        };
        let text = crate::read::input::decode(bytes).map_err(|m| err(1, None, m))?;
        if text.lossy {
            return Err(err(1, None, format!("invalid {} byte sequences", text.encoding.name())));
        }
        let mut reader = csv::ReaderBuilder::new().flexible(true).comment(Some(b'#')).from_reader(text.text.as_bytes());
        let csv_err = |e: csv::Error| {
            let line = e.position().map_or(1, |p| p.line());
            err(line, None, csv_message(&e))
        };
        let headers: Vec<String> = reader.headers().map_err(csv_err)?.iter().map(|h| h.trim().to_lowercase()).collect();
        let mut column = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if column.insert(h.as_str(), i).is_some() {
                return Err(err(1, Some(i as u64 + 1), format!("column '{h}' appears twice in the header")));
            }
            if !REQUIRED.contains(&h.as_str()) && !OPTIONAL.contains(&h.as_str()) {
                self.warnings.push(format!(
                    "{file}:1:{}: unknown column '{h}' ignored (known: name, type, aliases, parent, title, weak_aliases, note)",
                    i + 1
                ));
            }
        }
        for required in REQUIRED {
            if !column.contains_key(required) {
                return Err(err(
                    1,
                    None,
                    format!("the header must have the columns name,type,aliases (missing '{required}')"),
                ));
            }
        }
        // Column positions looked up once, and one record reused: dictionaries can have 100,000 rows.
        let at = |name: &str| column.get(name).copied();
        let (name_at, type_at, aliases_at, weak_at, parent_at, title_at) =
            (at("name"), at("type"), at("aliases"), at("weak_aliases"), at("parent"), at("title"));
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).map_err(csv_err)? {
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != headers.len() {
                return Err(err(
                    line,
                    None,
                    format!("expected {} fields as in the header, found {}", headers.len(), record.len()),
                ));
            }
            let field = |at: Option<usize>| at.map_or("", |i| record[i].trim());
            let col = |name: &str| Some(column[name] as u64 + 1);
            let name = field(name_at);
            if normalize_name(name).is_empty() {
                return Err(err(line, col("name"), "empty name".into()));
            }
            let kind = field(type_at).to_ascii_lowercase();
            let valid_kind = kind.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && kind.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !valid_kind {
                return Err(err(
                    line,
                    col("type"),
                    format!(
                        "type '{kind}' is not a lowercase word (use one of {} or a word of your own)",
                        KNOWN_TYPES.join(", ")
                    ),
                ));
            }
            if let Some(known) = misspelled_type(&kind) {
                self.warnings.push(format!(
                    "{file}:{line}:{}: type '{kind}' is not a built-in type; did you mean '{known}'? (kept as a type \
                     of your own)",
                    column["type"] + 1
                ));
            }
            let list = |at: Option<usize>| -> Vec<String> {
                field(at).split('|').map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect()
            };
            let aliases = list(aliases_at);
            let weak_aliases = list(weak_at);
            let optional = |at: Option<usize>| Some(field(at).to_string()).filter(|v| !v.is_empty());
            let row = Row {
                name: name.to_string(),
                kind,
                aliases,
                weak_aliases,
                parent: optional(parent_at),
                title: optional(title_at),
                origin: Origin { file: shared_file.clone(), line },
            };
            self.add(row, user);
        }
        Ok(())
    }

    fn add(&mut self, row: Row, user: bool) {
        let key = normalize_name(&row.name);
        let existing = self
            .by_name
            .get(&key)
            .copied()
            .or_else(|| self.surfaces.get(&key).map(|c| c.entity).filter(|&id| self.entities[id].kind == row.kind));
        let id = match existing {
            Some(id) => {
                let overrides = user && !self.user_defined[id];
                let entity = &mut self.entities[id];
                if entity.kind != row.kind {
                    let (keep, drop) = if overrides { (&row.kind, &entity.kind) } else { (&entity.kind, &row.kind) };
                    self.warnings.push(format!(
                        "'{}' has type '{}' at {} and '{}' at {}; using '{keep}' (dropping '{drop}')",
                        entity.name, entity.kind, entity.origin, row.kind, row.origin
                    ));
                    if overrides {
                        entity.kind = row.kind.clone();
                    }
                }
                if normalize_name(&entity.name) != key && !entity.aliases.iter().any(|a| normalize_name(a) == key) {
                    entity.aliases.push(row.name.clone());
                }
                for field in [(&mut entity.parent, &row.parent), (&mut entity.title, &row.title)] {
                    if row_wins(field.0, field.1, overrides) {
                        field.0.clone_from(field.1);
                    }
                }
                id
            }
            None => {
                let id = self.entities.len();
                self.entities.push(Entity {
                    name: row.name.clone(),
                    kind: row.kind.clone(),
                    aliases: Vec::new(),
                    parent: row.parent.clone(),
                    title: row.title.clone(),
                    origin: row.origin.clone(),
                });
                self.user_defined.push(user);
                self.by_name.insert(key.clone(), id);
                id
            }
        };
        let entity = &mut self.entities[id];
        let canonical = if entity.name == row.name { key.clone() } else { normalize_name(&entity.name) };
        let mut surfaces = Vec::with_capacity(1 + row.aliases.len());
        for alias in &row.aliases {
            let a = normalize_name(alias);
            if a != canonical && !entity.aliases.iter().any(|x| normalize_name(x) == a) {
                entity.aliases.push(alias.clone());
            }
            surfaces.push(a);
        }
        self.claim(key, id, &row.origin, user, false);
        for surface in surfaces {
            self.claim(surface, id, &row.origin, user, false);
        }
        for weak in &row.weak_aliases {
            self.claim(normalize_name(weak), id, &row.origin, user, true);
        }
    }

    fn claim(&mut self, surface: String, id: EntityId, origin: &Origin, user: bool, weak: bool) {
        if surface.chars().count() < 2 {
            self.warnings.push(format!(
                "{origin}: '{surface}' is a single character and would match inside words; not searched for"
            ));
            return;
        }
        let new = Claim { entity: id, origin: origin.clone(), user, weak };
        match self.surfaces.get(&surface) {
            None => {
                self.surfaces.insert(surface, new);
            }
            Some(old) if old.entity == id => {
                // A regular alias is stronger than the same weak one.
                if old.weak && !weak {
                    self.surfaces.insert(surface, new);
                }
            }
            Some(old) => {
                let new_wins = user && !old.user;
                let (first, second) = if new_wins { (id, old.entity) } else { (old.entity, id) };
                let rivals = self.rivals.entry(surface.clone()).or_default();
                if rivals.is_empty() {
                    rivals.push(first);
                } else if new_wins {
                    rivals.retain(|&e| e != first);
                    rivals.insert(0, first);
                }
                if !rivals.contains(&second) {
                    rivals.push(second);
                }
                let winner = if new_wins { &new } else { old };
                self.warnings.push(format!(
                    "'{surface}' is claimed by {} ({}) and by {} ({}); each document decides which it means (the \
                     one it also names otherwise, or whose parent or region it names), else {}{}",
                    self.entities[old.entity].name,
                    old.origin,
                    self.entities[id].name,
                    origin,
                    self.entities[winner.entity].name,
                    if new_wins {
                        " (a user dictionary wins over the built-in one)"
                    } else {
                        " (the first claim stands)"
                    },
                ));
                if new_wins {
                    self.surfaces.insert(surface, new);
                }
            }
        }
    }
}

/// The built-in type a type of one's own is probably a misspelling of (`distrct` → `district`): one edit away from
/// a short type, two from a long one (`bank` is a type of one's own, not a misspelt `park`).
fn misspelled_type(kind: &str) -> Option<&'static str> {
    if KNOWN_TYPES.contains(&kind) || kind.len() < 4 {
        return None;
    }
    let allowed = |k: &str| if k.len() <= 5 { 1 } else { 2 };
    KNOWN_TYPES
        .iter()
        .copied()
        .map(|k| (edit_distance(kind, k), k))
        .filter(|&(d, k)| d <= allowed(k))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance between two short ASCII words.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(x != y);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Whether a row's optional value replaces the entity's: it fills a gap, or it comes from a user overriding a
/// built-in entry.
fn row_wins(current: &Option<String>, row: &Option<String>, overrides: bool) -> bool {
    row.is_some() && (current.is_none() || overrides)
}

struct Row {
    name: String,
    kind: String,
    aliases: Vec<String>,
    weak_aliases: Vec<String>,
    parent: Option<String>,
    title: Option<String>,
    origin: Origin,
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} fields as in the header, found {len}")
        }
        _ => {
            let m = e.to_string();
            // The csv crate prefixes its own position; ours is in the error already.
            m.split_once(": ").map_or(m.clone(), |(_, rest)| rest.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_gazetteer_is_large_linked_and_free_of_conflicts() {
        let mut d = Dictionary::builtin().unwrap();
        assert!(d.len() >= 500, "{} entries", d.len());
        assert_eq!(d.take_warnings(), Vec::<String>::new());
        // Every district and park has a parent that is itself an entry, up to the province.
        for e in d.entities().iter().filter(|e| e.kind == "district" || e.kind == "park") {
            match &e.parent {
                None => assert!(
                    e.name.ends_with('省')
                        || e.name.ends_with("自治区")
                        || ["北京市", "天津市", "上海市", "重庆市"].contains(&e.name.as_str()),
                    "{} has no parent",
                    e.name
                ),
                Some(p) => assert!(d.lookup(p).is_some(), "{}: parent {p} is not an entry", e.name),
            }
        }
        // Each of Weifang's 12 county-level divisions has its township-level divisions.
        let counties = [
            "潍城区",
            "寒亭区",
            "坊子区",
            "奎文区",
            "临朐县",
            "昌乐县",
            "青州市",
            "诸城市",
            "寿光市",
            "安丘市",
            "高密市",
            "昌邑市",
        ];
        for c in counties {
            assert_eq!(d.entity(d.lookup(c).unwrap()).parent.as_deref(), Some("潍坊市"));
            let towns = d.entities().iter().filter(|e| e.parent.as_deref() == Some(c) && e.name.starts_with(c)).count();
            assert!(towns >= 5 || c == "奎文区" && towns >= 4, "{c}: {towns} townships");
        }
    }

    #[test]
    fn gazetteer_names_resolve_by_their_region() {
        let d = Dictionary::builtin().unwrap();
        let m = crate::extract::mentions::Matcher::new(&d).unwrap();
        let found =
            |text: &str| -> Vec<String> { m.find(text).into_iter().map(|(e, _)| d.entity(e).name.clone()).collect() };
        let cases: &[(&str, &[&str])] = &[
            // A township written with its county is one mention of the qualified entry.
            ("项目落户寿光市侯镇。", &["寿光市侯镇"]),
            // Alone, a unique township name is its alias.
            ("侯镇的企业", &["寿光市侯镇"]),
            // 城关街道 exists in two counties: only the qualified names are entries.
            ("潍城区城关街道与临朐县城关街道", &["潍城区城关街道", "临朐县城关街道"]),
            ("城关街道", &[]),
            // 高新区 in a Weifang text is Weifang's; other cities' zones go by their full names.
            ("潍坊的高新区与青岛高新技术产业开发区", &["潍坊市", "潍坊高新技术产业开发区", "青岛高新技术产业开发区"]),
            // In a text that names no place of Weifang, 高新区 is some other city's.
            ("高新区与青岛高新技术产业开发区", &["青岛高新技术产业开发区"]),
            // 市中区 exists in Jinan and Zaozhuang: only qualified.
            ("济南市市中区", &["济南市市中区"]),
            // County-level cities elsewhere in Shandong go by their short names too.
            ("胶州的企业来到潍坊", &["胶州市", "潍坊市"]),
        ];
        for (text, expected) in cases {
            assert_eq!(found(text), *expected, "{text}");
        }
    }

    fn load(files: &[(&str, &str, bool)]) -> Dictionary {
        let mut d = Dictionary::empty();
        for (name, text, user) in files {
            d.load_bytes(text.as_bytes(), name, *user).unwrap();
        }
        d
    }

    fn name_of(d: &Dictionary, surface: &str) -> Option<String> {
        d.lookup(surface).map(|id| d.entity(id).name.clone())
    }

    #[test]
    fn the_builtin_dictionaries_load_cleanly() {
        let mut d = Dictionary::builtin().unwrap();
        let warnings = d.take_warnings();
        assert!(warnings.is_empty(), "{warnings:#?}");
        let table = [
            ("综保区", "潍坊综合保税区"),
            ("保税区", "潍坊综合保税区"),
            ("综合保税区", "潍坊综合保税区"),
            ("市商务局", "潍坊市商务局"),
            ("圣和", "山东圣和薄膜新材料有限公司"),
            ("潍坊", "潍坊市"),
            ("高新区", "潍坊高新技术产业开发区"),
            ("中南高科·鸢都汇智产业园", "中南高科•鸢都汇智产业园"),
        ];
        for (surface, want) in table {
            assert_eq!(name_of(&d, surface).as_deref(), Some(want), "surface {surface}");
        }
    }

    #[test]
    fn the_same_name_in_two_files_is_one_entity() {
        let d = load(&[
            ("a.csv", "name,type,aliases\n潍坊综合保税区,district,综保区\n", false),
            ("b.csv", "name,type,aliases,parent\n潍坊综合保税区,district,保税区|综保区,潍坊市\n", true),
        ]);
        assert_eq!(d.len(), 1);
        let e = d.entity(0);
        assert_eq!(e.aliases, vec!["综保区", "保税区"]);
        assert_eq!(e.parent.as_deref(), Some("潍坊市"));
    }

    #[test]
    fn a_row_named_by_an_alias_of_the_same_type_joins_that_entity() {
        let d = load(&[
            ("a.csv", "name,type,aliases\n山东圣和薄膜新材料有限公司,company,圣和\n", false),
            ("b.csv", "name,type,aliases\n圣和,company,圣和新材料\n", true),
        ]);
        assert_eq!(d.len(), 1);
        assert_eq!(name_of(&d, "圣和新材料").as_deref(), Some("山东圣和薄膜新材料有限公司"));
    }

    #[test]
    fn alias_conflicts_warn_and_the_user_wins() {
        let mut d = load(&[
            ("builtin", "name,type,aliases\n潍坊高新技术产业开发区,district,高新区\n", false),
            ("mine.csv", "name,type,aliases\n寿光高新区,district,高新区\n", true),
        ]);
        assert_eq!(name_of(&d, "高新区").as_deref(), Some("寿光高新区"));
        let w = d.take_warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("builtin:2") && w[0].contains("mine.csv:2"), "{w:?}");
    }

    #[test]
    fn among_equals_the_first_claim_stands() {
        let mut d = load(&[
            ("a.csv", "name,type,aliases\n甲公司,company,甲甲\n", true),
            ("b.csv", "name,type,aliases\n乙公司,company,甲甲\n", true),
        ]);
        assert_eq!(name_of(&d, "甲甲").as_deref(), Some("甲公司"));
        assert_eq!(d.take_warnings().len(), 1);
    }

    #[test]
    fn reads_gbk_and_bom() {
        let text = "name,type,aliases\n潍坊市商务局,organization,市商务局\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        for bytes in [gbk.into_owned(), bom] {
            let mut d = Dictionary::empty();
            d.load_bytes(&bytes, "x.csv", true).unwrap();
            assert_eq!(name_of(&d, "市商务局").as_deref(), Some("潍坊市商务局"));
        }
    }

    #[test]
    fn bad_files_are_errors_with_line_and_column() {
        let table = [
            (
                "name,type\n甲,company\n",
                "x.csv:1: the header must have the columns name,type,aliases (missing 'aliases')",
            ),
            ("name,type,aliases,name\n", "x.csv:1:4: column 'name' appears twice in the header"),
            ("name,type,aliases\n甲公司,company\n", "x.csv:2: expected 3 fields as in the header, found 2"),
            ("name,type,aliases\n ,company,\n", "x.csv:2:1: empty name"),
            ("name,type,aliases\n甲公司,Big Company,\n", "x.csv:2:2: type 'big company' is not a lowercase word"),
            ("name,type,aliases\n\"甲公司,company,\n", "x.csv:2"),
        ];
        for (text, want) in table {
            let e = Dictionary::empty().load_bytes(text.as_bytes(), "x.csv", true).unwrap_err().to_string();
            assert!(e.starts_with(want), "{text:?}: got {e:?}, want {want:?}");
        }
    }

    #[test]
    fn unknown_columns_and_single_characters_warn() {
        let mut d = load(&[("x.csv", "name,type,aliases,source\n甲公司,company,甲,web\n", true)]);
        let w = d.take_warnings();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("unknown column 'source'"));
        assert!(w[1].contains("single character"));
    }

    #[test]
    fn weak_aliases_are_marked_and_give_way_to_regular_ones() {
        let d = load(&[(
            "x.csv",
            "name,type,aliases,weak_aliases\n潍坊综合保税区,district,综保区,保税\n保税物流中心,park,保税,\n",
            true,
        )]);
        let weak: Vec<(&str, bool)> = d.surfaces().map(|(s, _, w)| (s, w)).collect();
        assert!(weak.contains(&("综保区", false)));
        // 保税 is weak for the zone, claimed first; the park's later regular claim does not take it (first wins).
        assert!(weak.contains(&("保税", true)));
    }

    #[test]
    fn misspelled_types_warn_with_the_closest_built_in_type() {
        let table = [
            ("distrct", Some("district")),
            ("compnay", Some("company")),
            ("organisation", Some("organization")),
            ("parks", Some("park")),
            ("district", None),
            ("product", None),
            ("bank", None),
        ];
        for (kind, want) in table {
            assert_eq!(misspelled_type(kind), want, "{kind}");
        }
        let mut d = Dictionary::empty();
        d.load_bytes("name,type,aliases\n寿光,distrct,\n".as_bytes(), "t.csv", true).unwrap();
        let w = d.take_warnings();
        assert!(w.iter().any(|w| w.starts_with("t.csv:2:2: type 'distrct'") && w.contains("'district'")), "{w:?}");
    }

    #[test]
    fn types_are_lowercased_and_user_types_allowed() {
        let d = load(&[("x.csv", "name,type,aliases\n甲公司,Company,\n乙项目,project,\n", true)]);
        assert_eq!(d.entity(0).kind, "company");
        assert_eq!(d.entity(1).kind, "project");
    }
}

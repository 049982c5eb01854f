//! Merging rows into the loaded entities: a row joins the entity it names or starts a new one, and each of its
//! surface forms is claimed for that entity, conflicts between entities becoming rivals and warnings.

use super::{Claim, Core, Row};
use crate::model::{Entity, EntityId, Origin};
use crate::read::text::normalize_name;

impl Core {
    /// Adds one row: to the entity whose name (or same-type alias) it names, or as a new entity; then claims its
    /// name, aliases and weak aliases.
    pub(super) fn add(&mut self, row: Row, user: bool) {
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
                    confidence: None,
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
        // A user's name or alias in Traditional form also claims its Simplified form, which is what a Traditional
        // document is read as (the built-in dictionaries are Simplified).
        let simplified = |s: &str| if user { crate::read::script::simplified_name(s) } else { None };
        let twins: Vec<String> = std::iter::once(&key).chain(&surfaces).filter_map(|s| simplified(s)).collect();
        self.claim(key, id, &row.origin, user, false);
        for surface in surfaces.into_iter().chain(twins) {
            self.claim(surface, id, &row.origin, user, false);
        }
        for weak in &row.weak_aliases {
            let weak = normalize_name(weak);
            if let Some(twin) = simplified(&weak) {
                self.claim(twin, id, &row.origin, user, true);
            }
            self.claim(weak, id, &row.origin, user, true);
        }
    }

    /// Claims `surface` for the entity `id`. A form a second entity claims lists both among its rivals, with a
    /// warning: a user's dictionary wins over the built-in one, otherwise the first claim stands. A single
    /// character is never claimed (it would match inside words).
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

/// Whether a row's optional value replaces the entity's: it fills a gap, or it comes from a user overriding a
/// built-in entry.
fn row_wins(current: &Option<String>, row: &Option<String>, overrides: bool) -> bool {
    row.is_some() && (current.is_none() || overrides)
}

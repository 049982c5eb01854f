//! Looking entities up: by id, by a name or alias (loaded first, then discovered), and up the chain of parents.

use super::Dictionary;
use crate::model::{Entity, EntityId};
use crate::read::text::normalize_name;

impl Dictionary {
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
}

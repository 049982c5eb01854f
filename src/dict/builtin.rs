//! The built-in dictionaries and stop list, embedded in the binary so that it runs from any directory.

use super::Core;
use crate::error::Result;

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

/// The built-in stop list: surface forms never looked for (see [`Dictionary::block`](super::Dictionary::block)).
pub const BUILTIN_STOP: &str = include_str!("../../dictionaries/stop.txt");

impl Core {
    /// The built-in dictionaries.
    pub(super) fn builtin() -> Result<Self> {
        let mut dict = Self::default();
        dict.load_builtin()?;
        Ok(dict)
    }

    /// Adds the built-in dictionaries.
    pub(super) fn load_builtin(&mut self) -> Result<()> {
        for (name, text) in BUILTIN {
            self.load_bytes(text.as_bytes(), &format!("builtin:{name}"), false)?;
        }
        Ok(())
    }
}

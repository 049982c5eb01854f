//! Reading: from files to documents, and from a document's text to normalised text with an offset map.

pub mod dates;
pub mod input;
pub mod text;

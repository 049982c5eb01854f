//! Reading: from files to documents, and from a document's text to normalised text with an offset map.
//!
//! [`input`] names the sources and reads each one: its bytes are decoded ([`decode`]), an HTML page is stripped
//! to its text ([`html`]), a JSON Lines file gives a document per line ([`jsonl`]); [`dates`] finds a document's
//! date, and [`text`] normalises what extraction reads.

pub mod dates;
pub mod decode;
pub mod html;
pub mod input;
pub mod jsonl;
pub mod script;
pub mod text;

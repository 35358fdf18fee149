//! `phrase`: whole lines equal to one of many literal phrases, compared by their casefolded plain
//! text without the punctuation and arrows widgets put after a label ("Read more »", "Share:").

use std::collections::HashSet;

use pyo3::prelude::*;

use crate::document::NativeDocument;

/// What is stripped from both ends of a line's key before it is looked up.
pub const TRIM: &[char] = &[' ', '.', ':', '!', '?', '…', '»', '«', '›', '‹', '>', '|', '-', '–', '—', '→', '·', '•'];

/// One phrase rule's phrases, as keys (kinds/phrase.py's phrase_key).
#[pyclass(frozen, module = "cleaner._engine")]
pub struct Phrases {
    keys: HashSet<String>,
}

#[pymethods]
impl Phrases {
    #[new]
    fn new(keys: Vec<String>) -> Self {
        Phrases { keys: keys.into_iter().collect() }
    }

    /// The lines (start, end, in characters) equal to one of the phrases, in document order.
    fn find(&self, doc: &NativeDocument) -> Vec<(usize, usize)> {
        let index = doc.lines_by_key();
        let mut found: Vec<usize> = Vec::new();
        // The document's keys are fewer than a rule's phrases (up to 164): look those up.
        for (key, lines) in index {
            if self.keys.contains(key.as_str()) {
                found.extend_from_slice(lines);
            }
        }
        found.sort_unstable();
        found.into_iter().map(|i| (doc.lines[i].start, doc.lines[i].end)).collect()
    }
}

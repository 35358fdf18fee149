//! `phrase`: whole lines equal to one of many literal phrases, compared by their casefolded plain
//! text without the punctuation and arrows widgets put after a label ("Read more »", "Share:").

use std::collections::HashMap;

use pyo3::prelude::*;

use crate::document::NativeDocument;

/// What is stripped from both ends of a line's key before it is looked up.
pub const TRIM: &[char] = &[' ', '.', ':', '!', '?', '…', '»', '«', '›', '‹', '>', '|', '-', '–', '—', '→', '·', '•'];

/// Every phrase rule of a rule list, by position: a document's keys are looked up once for all.
#[pyclass(frozen, module = "cleaner._engine")]
pub struct PhraseMatcher {
    rules: usize,
    /// Each key, and the positions of the rules holding it.
    keys: HashMap<String, Vec<usize>>,
}

#[pymethods]
impl PhraseMatcher {
    #[new]
    fn new(rules: Vec<Vec<String>>) -> Self {
        let mut keys: HashMap<String, Vec<usize>> = HashMap::new();
        for (position, phrases) in rules.iter().enumerate() {
            for key in phrases {
                keys.entry(key.clone()).or_default().push(position);
            }
        }
        PhraseMatcher { rules: rules.len(), keys }
    }

    /// Per rule, the lines (start, end, in characters) equal to one of its phrases, in document order.
    pub fn scan(&self, doc: &NativeDocument) -> Vec<Vec<(usize, usize)>> {
        let mut found: Vec<Vec<usize>> = vec![Vec::new(); self.rules];
        for (key, lines) in doc.lines_by_key() {
            if let Some(rules) = self.keys.get(key.as_str()) {
                for &rule in rules {
                    found[rule].extend_from_slice(lines);
                }
            }
        }
        found
            .into_iter()
            .map(|mut indexes| {
                indexes.sort_unstable();
                indexes.into_iter().map(|i| (doc.lines[i].start, doc.lines[i].end)).collect()
            })
            .collect()
    }
}

//! `phrase`: whole lines equal to one of many literal phrases, compared by their casefolded plain
//! text without the punctuation and arrows widgets put after a label ("Read more »", "Share:").

use foldhash::{HashMap, HashMapExt};

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
    /// The longest key, in bytes: a longer line is no rule's phrase, and is not looked up.
    longest: usize,
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
        let longest = keys.keys().map(String::len).max().unwrap_or(0);
        PhraseMatcher { rules: rules.len(), keys, longest }
    }

    /// Per rule, the lines (start, end, in characters) equal to one of its phrases, in document order.
    pub fn scan(&self, doc: &NativeDocument) -> Vec<Vec<(usize, usize)>> {
        let mut found: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.rules];
        for line in &doc.lines {
            let key = line.key.trim_matches(TRIM);
            if key.is_empty() || key.len() > self.longest || line.is_blank() {
                continue;
            }
            for &rule in self.keys.get(key).into_iter().flatten() {
                found[rule].push((line.start, line.end));
            }
        }
        found
    }
}

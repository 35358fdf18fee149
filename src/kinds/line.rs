//! `line`: whole lines a regex matches in full, up to `max_chars` characters.

use pyo3::prelude::*;

use crate::document::NativeDocument;

#[pyclass(frozen, module = "cleaner._engine")]
pub struct Line {
    max_chars: usize,
}

#[pymethods]
impl Line {
    #[new]
    fn new(max_chars: usize) -> Self {
        Line { max_chars }
    }
}

impl Line {
    /// The lines (start, end) of `matched`, the lines the rule's regex matches, short enough.
    pub fn find(&self, doc: &NativeDocument, matched: Vec<usize>) -> Vec<(usize, usize)> {
        matched
            .into_iter()
            .filter(|&i| {
                let plain = &doc.lines[i].plain;
                !plain.is_empty() && plain.chars().count() <= self.max_chars
            })
            .map(|i| (doc.lines[i].start, doc.lines[i].end))
            .collect()
    }
}

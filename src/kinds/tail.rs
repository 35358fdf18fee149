//! `tail`: a run of teaser-like lines after the article around a marker line ("Related posts"): every
//! consecutive short, non-prose line around the marker, within the part after the core.

use pyo3::prelude::*;

use crate::document::NativeDocument;
use crate::page;

#[pyclass(frozen, module = "cleaner._engine")]
pub struct Tail {
    max_words: usize,
    max_lines: usize,
}

#[pymethods]
impl Tail {
    #[new]
    fn new(max_words: usize, max_lines: usize) -> Self {
        Tail { max_words, max_lines }
    }
}

impl Tail {
    /// The runs (start, end, the marker line's start), from `markers`, the lines the marker matches.
    pub fn find(&self, doc: &NativeDocument, markers: Vec<usize>) -> Vec<(usize, usize, usize)> {
        let lines = &doc.lines;
        let teaser_like = |i: usize| lines[i].is_blank() || (!lines[i].prose && lines[i].n_words <= self.max_words);
        let after = page::core(doc, &[], &[], 0.0, &[]).map_or(0, |(_, last)| last + 1);
        let mut resume = after; // a run's lines are not searched for another marker
        let mut found = Vec::new();
        for index in markers {
            let line = &lines[index];
            if index < resume || line.is_blank() || line.n_words > self.max_words {
                continue;
            }
            let mut first = index;
            while first >= after + 1 && teaser_like(first - 1) {
                first -= 1;
            }
            let mut last = index;
            while last + 1 < lines.len() && teaser_like(last + 1) {
                last += 1;
            }
            let content: Vec<usize> = (first..=last).filter(|&i| !lines[i].is_blank()).collect();
            if content.len() <= self.max_lines {
                found.push((lines[content[0]].start, lines[content[content.len() - 1]].end, line.start));
            }
            resume = last + 1;
        }
        found
    }
}

//! `block`: a run of lines opened by a `start` line: up to an `end` line (and the end lines right after
//! it), or the start line plus up to `take_next` headline-like lines of the paragraph that follows.

use foldhash::HashSet;

use pyo3::prelude::*;

use crate::document::NativeDocument;

#[pyclass(frozen, module = "cleaner._engine")]
pub struct Block {
    has_end: bool,
    take_next: usize,
    max_lines: usize,
    next_max_words: usize,
}

fn next_content(doc: &NativeDocument, index: usize) -> Option<usize> {
    (index + 1..doc.lines.len()).find(|&i| !doc.lines[i].is_blank())
}

#[pymethods]
impl Block {
    #[new]
    fn new(has_end: bool, take_next: usize, max_lines: usize, next_max_words: usize) -> Self {
        Block { has_end, take_next, max_lines, next_max_words }
    }
}

impl Block {
    /// The blocks (start, end, the start line's start), from the lines `starts` and `ends` match.
    pub fn find(&self, doc: &NativeDocument, starts: Vec<usize>, ends: Vec<usize>) -> Vec<(usize, usize, usize)> {
        let lines = &doc.lines;
        let start_set: HashSet<usize> = starts.iter().copied().collect();
        let end_set: HashSet<usize> = ends.into_iter().collect();
        let mut found = Vec::new();
        let mut resume = 0; // a block's lines are not searched for another start
        for index in starts {
            if index < resume || lines[index].is_blank() {
                continue;
            }
            let last = if self.has_end { self.end_of(doc, index, &end_set) } else { Some(self.headlines(doc, index, &start_set)) };
            if let Some(last) = last {
                found.push((lines[index].start, lines[last].end, lines[index].start));
                resume = last + 1;
            }
        }
        found
    }

    fn end_of(&self, doc: &NativeDocument, first: usize, ends: &HashSet<usize>) -> Option<usize> {
        let mut seen = 0;
        for index in first + 1..doc.lines.len() {
            if doc.lines[index].is_blank() {
                continue;
            }
            seen += 1;
            if seen > self.max_lines {
                return None;
            }
            if ends.contains(&index) {
                // Widgets often close with several lines ("Vote count: 0", "No votes so far!"): take them all.
                let mut last = index;
                while let Some(following) = next_content(doc, last).filter(|i| ends.contains(i)) {
                    last = following;
                }
                return Some(last);
            }
        }
        None
    }

    fn headlines(&self, doc: &NativeDocument, first: usize, starts: &HashSet<usize>) -> usize {
        let lines = &doc.lines;
        let Some(following) = next_content(doc, first) else { return first };
        let paragraph = lines[following].paragraph;
        let mut last = first;
        for index in following..(following + self.take_next).min(lines.len()) {
            let line = &lines[index];
            if line.paragraph != paragraph || line.prose || line.n_words > self.next_max_words || starts.contains(&index) {
                break;
            }
            last = index;
        }
        last
    }
}

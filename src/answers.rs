//! A document's answers from the line matcher, by matcher position: (line, start, end) in each line's
//! plain text, what `LineMatcher.scan_all` gives. They stay in Rust from the scan to the rules' engine
//! (engine.rs), which reads them; Python sees them only when a tool asks.
//!
//! A later pass of the same cleaning (the output of the previous one) mostly holds the previous pass's
//! lines. A regex sees each line alone, so a line whose plain text the previous pass held gets that
//! text's answer there, and only the other lines are scanned (`carried`).

use foldhash::{HashMap, HashMapExt, HashSet};

use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;

use crate::document::NativeDocument;
use crate::line_matcher::{contained, JoinedLines, LineMatcher};

pub type Found = Vec<Vec<(usize, usize, usize)>>;

#[pyclass(frozen, module = "cleaner._engine")]
pub struct DocAnswers {
    pub found: Found,
}

fn joined<'a>(plains: impl Iterator<Item = &'a str>) -> JoinedLines {
    JoinedLines::of_bytes(plains.collect::<Vec<_>>().join("\n").into_bytes())
}

#[pymethods]
impl DocAnswers {
    /// Answers given as lists (a rule run alone, tests).
    #[new]
    fn new(found: Found) -> Self {
        DocAnswers { found }
    }

    /// The matcher's answers for the lines of `doc`: one scan.
    #[staticmethod]
    fn scan(py: Python<'_>, matcher: &LineMatcher, doc: &NativeDocument) -> PyResult<DocAnswers> {
        py.allow_threads(|| {
            contained(|| DocAnswers { found: matcher.all(&joined(doc.lines.iter().map(|line| line.plain.as_str()))) })
        })
    }

    /// The answers for `doc`, made from `previous`'s text, whose answers these are: each line whose
    /// plain text `previous` held gets that text's answers, and only the others are scanned. The same
    /// answers as a scan of `doc` (tests/test_rust_matcher.py).
    fn carried(&self, py: Python<'_>, matcher: &LineMatcher, doc: &NativeDocument, previous: &NativeDocument) -> PyResult<DocAnswers> {
        py.allow_threads(|| contained(|| DocAnswers { found: carried(&self.found, matcher, doc, previous) }))
    }

    /// The positions with at least one answer.
    fn matched(&self) -> Vec<usize> {
        self.found.iter().enumerate().filter(|(_, found)| !found.is_empty()).map(|(position, _)| position).collect()
    }

    fn __len__(&self) -> usize {
        self.found.len()
    }

    fn __getitem__(&self, position: usize) -> PyResult<Vec<(usize, usize, usize)>> {
        self.found.get(position).cloned().ok_or_else(|| PyIndexError::new_err("no such position"))
    }

    /// Equal to other answers, or to lists holding the same.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.downcast::<DocAnswers>() {
            Ok(other) => other.get().found == self.found,
            Err(_) => other.extract::<Found>().is_ok_and(|found| found == self.found),
        }
    }
}

fn carried(earlier: &Found, matcher: &LineMatcher, doc: &NativeDocument, previous: &NativeDocument) -> Found {
    let seen: HashSet<&str> = previous.lines.iter().map(|line| line.plain.as_str()).collect();
    let mut lines_of: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut new = Vec::new();
    for (index, line) in doc.lines.iter().enumerate() {
        if seen.contains(line.plain.as_str()) {
            lines_of.entry(line.plain.as_str()).or_default().push(index);
        } else {
            new.push(index);
        }
    }
    let fresh = (!new.is_empty()).then(|| matcher.all(&joined(new.iter().map(|&index| doc.lines[index].plain.as_str()))));
    let mut spans: HashMap<&str, (usize, usize)> = HashMap::new();
    earlier
        .iter()
        .enumerate()
        .map(|(position, before)| {
            let fresh_here = fresh.as_ref().map_or(&[][..], |fresh| &fresh[position][..]);
            if before.is_empty() && fresh_here.is_empty() {
                return Vec::new();
            }
            // A line's text, its span: the same text has the same answer wherever it is.
            spans.clear();
            for &(at, start, end) in before {
                if let Some(line) = previous.lines.get(at) {
                    spans.insert(line.plain.as_str(), (start, end));
                }
            }
            let mut found: Vec<(usize, usize, usize)> = spans
                .iter()
                .flat_map(|(plain, &(start, end))| {
                    lines_of.get(plain).into_iter().flatten().map(move |&index| (index, start, end))
                })
                .collect();
            found.extend(fresh_here.iter().map(|&(at, start, end)| (new[at], start, end)));
            found.sort_unstable();
            found
        })
        .collect()
}

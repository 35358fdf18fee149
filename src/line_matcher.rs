//! The rule regexes run on a document's lines, as `cleaner/matching.py` runs them on RE2: each line's
//! plain text alone, in full (`full`) or for its first match (`search`). The lines come joined by "\n"
//! and each regex scans the joined text once; a match that crosses a line break (a pattern with `\s` or
//! `[^x]` can match the joining newline) is settled by that line alone.
//!
//! Bytes, not `str`: RE2 matches UTF-8 bytes, so `\B` may match inside a character there too; offsets
//! are turned into characters (Python's string indexes) at the end.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use regex::bytes::{Regex, RegexBuilder};

use crate::translate::translate;

struct Entry {
    full: bool,
    /// The pattern on one line alone: `\A(?:p)\z` for `full`.
    alone: Regex,
    /// The pattern on the joined lines: `(?m)^(?:p)$` for `full`; None when it must run line by line
    /// (`\A` and `\z` mean the line's ends only when it runs alone).
    joined: Option<Regex>,
}

fn build(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .size_limit(64 << 20)
        .build()
        .map_err(|error| error.to_string())
}

/// Every line regex of a rule set, compiled once per process.
#[pyclass(frozen, module = "cleaner._engine")]
pub struct LineMatcher {
    entries: Vec<Entry>,
}

#[pymethods]
impl LineMatcher {
    /// `patterns`: (RE2 pattern, full) pairs, in the order their positions refer to. A pattern the
    /// crate cannot take raises ValueError naming it and its position.
    #[new]
    fn new(patterns: Vec<(String, bool)>) -> PyResult<Self> {
        let mut entries = Vec::with_capacity(patterns.len());
        for (position, (pattern, full)) in patterns.iter().enumerate() {
            let entry = compile(pattern, *full)
                .map_err(|problem| PyValueError::new_err(format!("pattern {position} {pattern:?}: {problem}")))?;
            entries.push(entry);
        }
        Ok(LineMatcher { entries })
    }

    fn __len__(&self) -> usize {
        self.entries.len()
    }

    /// (line index, start, end) of the regex at `position` in each line of `lines` it matches, in
    /// character offsets within the line; `full` lines span the whole line.
    fn scan(&self, py: Python<'_>, position: usize, lines: &JoinedLines) -> PyResult<Vec<(usize, usize, usize)>> {
        let entry = self
            .entries
            .get(position)
            .ok_or_else(|| PyValueError::new_err(format!("no pattern at position {position}")))?;
        Ok(py.allow_threads(|| scan(entry, lines)))
    }

    /// The same for the lines at `indexes` only, each alone.
    fn scan_lines(&self, py: Python<'_>, position: usize, lines: &JoinedLines, indexes: Vec<usize>)
        -> PyResult<Vec<(usize, usize, usize)>> {
        let entry = self
            .entries
            .get(position)
            .ok_or_else(|| PyValueError::new_err(format!("no pattern at position {position}")))?;
        if let Some(&bad) = indexes.iter().find(|&&index| index >= lines.starts.len()) {
            return Err(PyValueError::new_err(format!("no line {bad}")));
        }
        Ok(py.allow_threads(|| indexes.iter().filter_map(|&index| alone(entry, lines, index)).collect()))
    }
}

/// Whether the Rust engine takes an RE2 pattern: raises ValueError saying why not. Rule loading calls
/// it, so such a pattern is an error in its rule file, not in the middle of a batch. It parses and does
/// not compile: compiling every pattern once more tripled the rule pack's load time, and even a full
/// parse (with the case folding of classes) doubled it.
#[pyfunction]
pub fn check_pattern(pattern: &str) -> PyResult<()> {
    let source = translate(pattern).map_err(PyValueError::new_err)?;
    regex_syntax::ast::parse::Parser::new()
        .parse(&source)
        .map(|_| ())
        .map_err(|error| PyValueError::new_err(error.to_string()))
}

fn compile(pattern: &str, full: bool) -> Result<Entry, String> {
    let source = translate(pattern)?;
    let alone = build(&if full { format!(r"\A(?:{source})\z") } else { source.clone() })?;
    let per_line = pattern.contains("\\A") || pattern.contains("\\z");
    let joined = if per_line {
        None
    } else {
        Some(build(&if full { format!("(?m)^(?:{source})$") } else { format!("(?m)(?:{source})") })?)
    };
    Ok(Entry { full, alone, joined })
}

/// A document's plain lines joined by "\n", with where each starts: made once per document and pass,
/// scanned by every regex that can match in it.
#[pyclass(frozen, module = "cleaner._engine")]
pub struct JoinedLines {
    data: Vec<u8>,
    starts: Vec<usize>,
}

#[pymethods]
impl JoinedLines {
    #[new]
    fn new(joined: &str) -> Self {
        let data = joined.as_bytes().to_vec();
        let mut starts = vec![0];
        starts.extend(data.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(at, _)| at + 1));
        JoinedLines { data, starts }
    }

    fn __len__(&self) -> usize {
        self.starts.len()
    }
}

impl JoinedLines {
    fn bounds(&self, index: usize) -> (usize, usize) {
        let start = self.starts[index];
        let end = self.starts.get(index + 1).map_or(self.data.len(), |next| next - 1);
        (start, end)
    }

    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&start| start <= at) - 1
    }
}

fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

fn alone(entry: &Entry, lines: &JoinedLines, index: usize) -> Option<(usize, usize, usize)> {
    let (start, end) = lines.bounds(index);
    let line = &lines.data[start..end];
    let found = entry.alone.find(line)?;
    if entry.full {
        Some((index, 0, chars(line)))
    } else {
        let first = chars(&line[..found.start()]);
        Some((index, first, first + chars(&line[found.start()..found.end()])))
    }
}

fn scan(entry: &Entry, lines: &JoinedLines) -> Vec<(usize, usize, usize)> {
    let Some(joined) = &entry.joined else {
        return (0..lines.starts.len()).filter_map(|index| alone(entry, lines, index)).collect();
    };
    let data = &lines.data;
    let mut found = Vec::new();
    let mut position = 0;
    while position <= data.len() {
        let Some(hit) = joined.find_at(data, position) else { break };
        let index = lines.line_of(hit.start());
        let (start, end) = lines.bounds(index);
        if hit.end() > end {
            // Across a line break: the line alone decides.
            found.extend(alone(entry, lines, index));
        } else if entry.full {
            found.push((index, 0, chars(&data[start..end])));
        } else {
            let first = chars(&data[start..hit.start()]);
            found.push((index, first, first + chars(&data[hit.start()..hit.end()])));
        }
        // Only a line's first match counts: go on from the next line.
        position = end + 1;
    }
    found
}

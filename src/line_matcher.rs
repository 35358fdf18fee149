//! The rule regexes run on a document's lines, with the answers RE2 gives each line's plain text alone:
//! in full (`full`) or its first match (`search`). The lines come joined by "\n". `scan_all`, what the
//! engine runs, finds every regex's literal atoms (atoms.rs) in one aho-corasick pass over the folded
//! lines and tries each regex on the lines holding one of its own. A regex without atoms scans the joined
//! text once; a match there that crosses a line break (a pattern with `\s` or `[^x]` can match the
//! joining newline) is settled by that line alone.
//!
//! Bytes, not `str`: RE2 matches UTF-8 bytes, so `\B` may match inside a character there too; offsets
//! are turned into characters (Python's string indexes) at the end.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::{Regex, RegexBuilder};

use crate::atoms::{atoms, fold_str};
use crate::text::chars;
use crate::translate::translate;

struct Entry {
    full: bool,
    /// The pattern on one line alone: `\A(?:p)\z` for `full`.
    alone: Regex,
    /// The pattern on the joined lines: `(?m)^(?:p)$` for `full`; None when it runs line by line (it
    /// has atoms, which pick its lines; or `\A` and `\z`, which mean the line's ends only alone).
    joined: Option<Regex>,
    /// Strings one of which every match contains (folded), or None.
    atoms: Option<Vec<String>>,
}

fn build(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .size_limit(64 << 20)
        // Room for the lazy DFA of the pack's largest patterns (Unicode classes repeated {1,30}): at the
        // 2 MB default the crate could not build theirs and ran a backtracker, clearing its table of
        // visited states on every line. Memory is taken only as states are made.
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|error| error.to_string())
}

/// Every line regex of a rule set, compiled once per process.
#[pyclass(frozen, module = "cleaner._engine")]
pub struct LineMatcher {
    entries: Vec<Entry>,
    /// Every entry's atoms (see atoms.rs) in one automaton, run on the folded lines.
    atoms: AhoCorasick,
    /// The entries each atom belongs to.
    atom_entries: Vec<Vec<usize>>,
    /// The entries with no atom: tried on every line.
    unfiltered: Vec<usize>,
    /// By entry, its atoms of one byte (" ", ".", "("), if any: they stay out of the automaton, where
    /// each of their many occurrences was a hit to look up, and a line is that entry's candidate when
    /// its folded bytes hold one of them (or the automaton found one of the entry's longer atoms).
    byte_atoms: Vec<Option<ByteSet>>,
    /// By entry, the longest line (in characters) whose answer anyone reads, or None for every line:
    /// a `line` rule ignores longer lines, so its regex need not run on them.
    max_chars: Vec<Option<usize>>,
}

/// Atoms shorter than this (in bytes) are looked for byte by byte: see LineMatcher::byte_atoms.
const MIN_ATOM_BYTES: usize = 2;

/// A set of byte values, one bit each.
type ByteSet = [u64; 4];

fn add_byte(set: &mut ByteSet, b: u8) {
    set[(b >> 6) as usize] |= 1 << (b & 63);
}

fn byte_set_of(bytes: &[u8]) -> ByteSet {
    let mut set = [0u64; 4];
    for &b in bytes {
        add_byte(&mut set, b);
    }
    set
}

#[pymethods]
impl LineMatcher {
    /// `patterns`: (RE2 pattern, full) pairs, in the order their positions refer to. A pattern the
    /// crate cannot take raises ValueError naming it and its position. `max_chars`, by position: the
    /// longest line to answer for (None: every line); longer lines get no answer.
    #[new]
    #[pyo3(signature = (patterns, max_chars = None))]
    fn new(py: Python<'_>, patterns: Vec<(String, bool)>, max_chars: Option<Vec<Option<usize>>>) -> PyResult<Self> {
        let max_chars = max_chars.unwrap_or_else(|| vec![None; patterns.len()]);
        if max_chars.len() != patterns.len() {
            return Err(PyValueError::new_err("max_chars needs one value per pattern"));
        }
        let mut entries = Vec::with_capacity(patterns.len());
        for (position, compiled) in py.allow_threads(|| compile_all(&patterns)).into_iter().enumerate() {
            let pattern = &patterns[position].0;
            let entry = compiled
                .map_err(|problem| PyValueError::new_err(format!("pattern {position} {pattern:?}: {problem}")))?;
            entries.push(entry);
        }
        let mut atom_ids: std::collections::HashMap<String, usize> = Default::default();
        let mut atom_entries: Vec<Vec<usize>> = Vec::new();
        let mut unfiltered = Vec::new();
        let mut byte_atoms = Vec::with_capacity(entries.len());
        for (position, entry) in entries.iter().enumerate() {
            let mut bytes: Option<ByteSet> = None;
            match &entry.atoms {
                None => unfiltered.push(position),
                Some(list) => {
                    for atom in list {
                        if atom.len() < MIN_ATOM_BYTES {
                            add_byte(bytes.get_or_insert([0; 4]), atom.as_bytes()[0]);
                            continue;
                        }
                        let next = atom_ids.len();
                        let id = *atom_ids.entry(atom.clone()).or_insert(next);
                        if id == atom_entries.len() {
                            atom_entries.push(Vec::new());
                        }
                        atom_entries[id].push(position);
                    }
                }
            }
            byte_atoms.push(bytes);
        }
        let mut by_id: Vec<(usize, String)> = atom_ids.into_iter().map(|(atom, id)| (id, atom)).collect();
        by_id.sort();
        let atoms = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(by_id.iter().map(|(_, atom)| atom.as_bytes()))
            .map_err(|error| PyValueError::new_err(error.to_string()))?;
        Ok(LineMatcher { entries, atoms, atom_entries, unfiltered, byte_atoms, max_chars })
    }

    /// Every entry's answers at once, as `scan` gives them, one list per position: the lines holding
    /// none of an entry's atoms are not tried.
    fn scan_all(&self, py: Python<'_>, lines: &JoinedLines) -> PyResult<Vec<Vec<(usize, usize, usize)>>> {
        py.allow_threads(|| contained(|| self.all(lines)))
    }

    /// How many entries have no atom (and so are tried on every line).
    fn unfiltered(&self) -> usize {
        self.unfiltered.len()
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
        let chars = self.max_chars[position].map(|_| line_chars(lines)).unwrap_or_default();
        let limit = self.max_chars[position].map(|most| Limit { chars: &chars, most });
        py.allow_threads(|| contained(|| scan(entry, lines, limit)))
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

impl LineMatcher {
    pub(crate) fn all(&self, lines: &JoinedLines) -> Vec<Vec<(usize, usize, usize)>> {
        let count = lines.starts.len();
        // Candidate lines per entry, from the atoms found in the folded text.
        let folded = JoinedLines::of_bytes(fold_str(std::str::from_utf8(&lines.data).unwrap_or("")).into_bytes());
        let mut candidates: Vec<Vec<usize>> = vec![Vec::new(); self.entries.len()];
        // Hits come by their end, so nearly always in the line of the hit before: a bisection only when not.
        let mut line = 0;
        for hit in self.atoms.find_overlapping_iter(&folded.data) {
            let at = hit.start();
            let (start, end) = folded.bounds(line);
            if at < start || at > end {
                line = folded.line_of(at);
            }
            for &entry in &self.atom_entries[hit.pattern().as_usize()] {
                let list = &mut candidates[entry];
                if list.last() != Some(&line) {
                    list.push(line);
                }
            }
        }
        // The byte values in each folded line, once, for the entries with one-byte atoms.
        let line_bytes: Vec<ByteSet> = if self.byte_atoms.iter().any(Option::is_some) {
            (0..folded.starts.len()).map(|index| {
                let (start, end) = folded.bounds(index);
                byte_set_of(&folded.data[start..end])
            }).collect()
        } else {
            Vec::new()
        };
        let chars = if self.max_chars.iter().any(Option::is_some) { line_chars(lines) } else { Vec::new() };
        let mut found = Vec::with_capacity(self.entries.len());
        for (position, entry) in self.entries.iter().enumerate() {
            let limit = self.max_chars[position].map(|most| Limit { chars: &chars, most });
            if entry.atoms.is_none() {
                found.push(scan(entry, lines, limit));
                continue;
            }
            let list = &mut candidates[position];
            if let Some(limit) = limit {
                list.retain(|&index| limit.admits(index));
            }
            list.sort_unstable();
            list.dedup();
            if let Some(bytes) = &self.byte_atoms[position] {
                // The lines the automaton found, and those holding one of the entry's one-byte atoms.
                let mut found_lines = list.iter().peekable();
                let mut hits = Vec::new();
                for (index, held) in line_bytes.iter().enumerate().take(count) {
                    let by_automaton = found_lines.next_if_eq(&&index).is_some();
                    if limit.is_some_and(|limit| !limit.admits(index)) {
                        continue;
                    }
                    if by_automaton || held.iter().zip(bytes).any(|(line, atoms)| line & atoms != 0) {
                        hits.extend(alone(entry, lines, index));
                    }
                }
                found.push(hits);
                continue;
            }
            found.push(list.iter().filter(|&&index| index < count).filter_map(|&index| alone(entry, lines, index)).collect());
        }
        found
    }
}

/// Runs `work`, a panic in it becoming a RuntimeError: an `Exception`, so the batch reports that one
/// document as failed and goes on (pyo3's own PanicException is a BaseException, which it would not catch).
pub fn contained<T>(work: impl FnOnce() -> T) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        PyRuntimeError::new_err(format!("internal error in the Rust engine: {what}"))
    })
}

/// A panic on purpose, through `contained`: what the tests check a panic turns into.
#[pyfunction]
pub fn _panic_for_tests() -> PyResult<()> {
    contained(|| panic!("on purpose"))
}

/// Every pattern compiled, in order, on as many threads as there are cores: compiling is a second of
/// CPU for the shipped pack (case folding of Unicode classes), paid by every process before its first
/// document, and each pattern compiles on its own.
fn compile_all(patterns: &[(String, bool)]) -> Vec<Result<Entry, String>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(patterns.len()).max(1);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Result<Entry, String>)>> = Mutex::new(Vec::with_capacity(patterns.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let position = next.fetch_add(1, Ordering::Relaxed);
                let Some((pattern, full)) = patterns.get(position) else { break };
                let entry = compile(pattern, *full);
                done.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((position, entry));
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    done.sort_unstable_by_key(|(position, _)| *position);
    done.into_iter().map(|(_, entry)| entry).collect()
}

fn compile(pattern: &str, full: bool) -> Result<Entry, String> {
    let source = translate(pattern)?;
    let alone = build(&if full { format!(r"\A(?:{source})\z") } else { source.clone() })?;
    let atoms = atoms(&source);
    // The joined form only for a regex without atoms, which scans every line: each compiled regex holds
    // its automata (tens of MB for the pack's case-insensitive Unicode classes), in every process.
    let per_line = atoms.is_some() || pattern.contains("\\A") || pattern.contains("\\z");
    let joined = if per_line {
        None
    } else {
        Some(build(&if full { format!("(?m)^(?:{source})$") } else { format!("(?m)(?:{source})") })?)
    };
    Ok(Entry { full, alone, joined, atoms })
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
        JoinedLines::of_bytes(joined.as_bytes().to_vec())
    }

    fn __len__(&self) -> usize {
        self.starts.len()
    }
}

impl JoinedLines {
    pub(crate) fn of_bytes(data: Vec<u8>) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', &data).map(|at| at + 1));
        JoinedLines { data, starts }
    }

    fn bounds(&self, index: usize) -> (usize, usize) {
        let start = self.starts[index];
        let end = self.starts.get(index + 1).map_or(self.data.len(), |next| next - 1);
        (start, end)
    }

    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&start| start <= at) - 1
    }
}

fn alone(entry: &Entry, lines: &JoinedLines, index: usize) -> Option<(usize, usize, usize)> {
    let (start, end) = lines.bounds(index);
    let line = &lines.data[start..end];
    if entry.full {
        // The whole line or nothing: whether it matches is all there is to know.
        return entry.alone.is_match(line).then(|| (index, 0, chars(line)));
    }
    let found = entry.alone.find(line)?;
    let first = chars(&line[..found.start()]);
    Some((index, first, first + chars(&line[found.start()..found.end()])))
}

/// Every line's length in characters.
fn line_chars(lines: &JoinedLines) -> Vec<usize> {
    (0..lines.starts.len()).map(|index| {
        let (start, end) = lines.bounds(index);
        chars(&lines.data[start..end])
    }).collect()
}

/// An entry's longest line to answer for, and every line's length in characters.
#[derive(Clone, Copy)]
struct Limit<'a> {
    chars: &'a [usize],
    most: usize,
}

impl Limit<'_> {
    fn admits(&self, index: usize) -> bool {
        self.chars.get(index).is_some_and(|&n| n <= self.most)
    }
}

/// The entry's answers on every line, or only on the lines within its `limit`.
fn scan(entry: &Entry, lines: &JoinedLines, limit: Option<Limit<'_>>) -> Vec<(usize, usize, usize)> {
    if let Some(limit) = limit {
        return (0..lines.starts.len()).filter(|&index| limit.admits(index)).filter_map(|index| alone(entry, lines, index)).collect();
    }
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

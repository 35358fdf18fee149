//! After the rules: their spans resolved into removals, the kept text rendered, and removals found in
//! a rendered text moved back to the input (engine.rs's `removals`, engine.py's `_render` and `_map_back`).
//!
//! Every character that leaves the document leaves inside exactly one removal: overlapping spans are
//! trimmed, protected ranges cut out, and white space at a removal's ends stays. Offsets in and out are
//! Python's (characters); the work is done on UTF-8 bytes.

use std::cmp::Reverse;

use pyo3::prelude::*;

use crate::document::NativeDocument;
use crate::line_matcher::contained;
use crate::text::{blank, py_isspace, rstrip, Text};

/// A removal's piece: start, end (characters), the index of the span (or removal) it comes from, and
/// its line number (1 for the first line).
pub type Piece = (usize, usize, usize, usize);

/// Character ranges merged into disjoint sorted ones, so cutting them out of a span costs a binary
/// search, not a pass over all of them (documents with thousands of removals).
pub struct Ranges {
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Ranges {
    pub fn new(mut pairs: Vec<(usize, usize)>) -> Self {
        pairs.sort_unstable();
        let mut starts: Vec<usize> = Vec::with_capacity(pairs.len());
        let mut ends: Vec<usize> = Vec::with_capacity(pairs.len());
        for (start, end) in pairs {
            match ends.last_mut() {
                Some(last) if start <= *last => *last = (*last).max(end),
                _ => {
                    starts.push(start);
                    ends.push(end);
                }
            }
        }
        Ranges { starts, ends }
    }

    /// The pieces of [start, end) outside every range.
    pub fn cut(&self, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
        let mut cursor = start;
        let mut index = self.ends.partition_point(|&e| e <= start); // the first range ending after start
        while index < self.starts.len() && self.starts[index] < end {
            if self.starts[index] > cursor {
                out.push((cursor, self.starts[index]));
            }
            cursor = cursor.max(self.ends[index]);
            index += 1;
        }
        if cursor < end {
            out.push((cursor, end));
        }
    }
}

/// The document's line starts, in characters.
fn line_starts(doc: &NativeDocument) -> Vec<usize> {
    doc.lines.iter().map(|line| line.start).collect()
}

/// [start, end) (characters) without white space at either end.
fn trim(text: &Text, start: usize, end: usize) -> (usize, usize) {
    if start >= end {
        return (start, start);
    }
    let (from, to) = (text.byte(start), text.byte(end));
    let piece = &text.s[from..to];
    let left = piece.len() - piece.trim_start_matches(py_isspace).len();
    if left == piece.len() {
        return (end, end);
    }
    let right = piece.len() - piece.trim_end_matches(py_isspace).len();
    let chars = |range: &str| if text.ascii() { range.len() } else { range.chars().count() };
    (start + chars(&piece[..left]), end - chars(&piece[piece.len() - right..]))
}

/// Trimmed pieces with their line numbers; empty ones dropped.
fn finish(text: &Text, starts: &[usize], pieces: Vec<(usize, usize, usize)>) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    for (start, end, index) in pieces {
        let (start, end) = trim(text, start, end);
        if start < end {
            out.push((start, end, index, starts.partition_point(|&s| s <= start)));
        }
    }
    out
}

/// Non-overlapping removals from the rules' spans, (start, end, order) each: an earlier-starting (then
/// longer, then earlier-listed) span wins, and the protected ranges are cut out of it. A piece's index
/// is its span's.
pub fn resolve(doc: &NativeDocument, spans: &[(usize, usize, usize)], protected: Vec<(usize, usize)>) -> Vec<Piece> {
    let text = doc.indexed_text();
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].0, Reverse(spans[i].1), spans[i].2));
    let guards = Ranges::new(protected);
    let mut pieces = Vec::new();
    let mut cut = Vec::new();
    let mut covered_until = 0;
    for i in order {
        let (span_start, span_end, _) = spans[i];
        let start = span_start.max(covered_until);
        if start >= span_end {
            continue;
        }
        cut.clear();
        guards.cut(start, span_end, &mut cut);
        pieces.extend(cut.iter().map(|&(a, b)| (a, b, i)));
        covered_until = span_end;
    }
    finish(&text, &line_starts(doc), pieces)
}

/// A rendered text: the kept text, and where each kept piece came from, (output offset, input offset,
/// length) in characters, so removals found in the output can be moved back to the input.
#[pyclass(frozen, module = "cleaner._engine")]
pub struct Rendered {
    #[pyo3(get)]
    text: String,
    #[pyo3(get)]
    segments: Vec<(usize, usize, usize)>,
    /// By output line, the input line it is, less white space at its end, when no removal touched it.
    sources: Vec<Option<usize>>,
}

/// The kept text of the document less the removals `cuts` ((start, end), sorted, disjoint): a line
/// emptied by removals disappears with its break (one with text to a reader, not a blank one), blank
/// runs fold to one, no blank line at the start or end, one trailing newline, \n line endings, no BOM
/// at the start.
#[pyfunction]
pub fn render(py: Python<'_>, doc: &NativeDocument, cuts: Vec<(usize, usize)>) -> PyResult<Rendered> {
    py.allow_threads(|| contained(|| render_lines(doc, &cuts)))
}

fn render_lines(doc: &NativeDocument, cuts: &[(usize, usize)]) -> Rendered {
    let text = doc.indexed_text();
    let s = text.s;
    let cuts: Vec<(usize, usize)> = cuts.iter().map(|&(a, b)| (text.byte(a), text.byte(b))).collect();
    let mut out: Vec<String> = Vec::new();
    let mut line_pieces: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut cut = 0;
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut joined = String::new();
    let mut sources: Vec<Option<usize>> = Vec::new();
    for (index, doc_line) in doc.lines.iter().enumerate() {
        let (start, end) = doc_line.raw;
        while cut < cuts.len() && cuts[cut].1 <= start {
            cut += 1;
        }
        kept.clear();
        let line: &str = if cut >= cuts.len() || cuts[cut].0 >= end {
            kept.push((start, end)); // no removal touches the line: most lines
            &s[start..end]
        } else {
            let (mut position, mut probe) = (start, cut);
            while probe < cuts.len() && cuts[probe].0 < end {
                let (cut_start, cut_end) = cuts[probe];
                if cut_start > position {
                    kept.push((position, cut_start));
                }
                position = position.max(cut_end);
                probe += 1;
            }
            if position < end {
                kept.push((position, end));
            }
            joined.clear();
            for &(a, b) in &kept {
                joined.push_str(&s[a..b]);
            }
            &joined
        };
        let mut kept_text = rstrip(line);
        let right = line.len() - kept_text.len();
        let mut left = 0;
        if out.is_empty() {
            // The output's first line: a BOM there would be read as one (and dropped) next time.
            let without = kept_text.trim_start_matches('\u{feff}');
            left = kept_text.len() - without.len();
            kept_text = without;
        }
        if blank(kept_text) {
            if !doc_line.is_blank() {
                continue; // emptied by a removal: the line goes, and its break with it
            }
            kept_text = "";
        }
        if kept_text.is_empty() && out.last().map_or(true, |last| last.is_empty()) {
            continue;
        }
        line_pieces.push(if kept_text.is_empty() { Vec::new() } else { trim_pieces(&kept, left, right) });
        out.push(kept_text.to_string());
        sources.push((kept.as_slice() == [(start, end)] && left == 0).then_some(index));
    }
    while out.last().is_some_and(|last| last.is_empty()) {
        out.pop();
        line_pieces.pop();
        sources.pop();
    }
    if out.is_empty() {
        return Rendered { text: String::new(), segments: Vec::new(), sources };
    }
    let mut segments = Vec::new();
    let mut offset = 0;
    for pieces in &line_pieces {
        for &(a, b) in pieces {
            let length = crate::text::chars(&s.as_bytes()[a..b]);
            segments.push((offset, text.char_of(a), length));
            offset += length;
        }
        offset += 1; // the line break
    }
    let mut rendered = out.join("\n");
    rendered.push('\n');
    Rendered { text: rendered, segments, sources }
}

/// A line's kept byte ranges without `left` leading and `right` trailing bytes (whole characters).
fn trim_pieces(pieces: &[(usize, usize)], mut left: usize, mut right: usize) -> Vec<(usize, usize)> {
    let mut trimmed = Vec::with_capacity(pieces.len());
    for &(start, end) in pieces {
        let cut = left.min(end - start);
        left -= cut;
        if start + cut < end {
            trimmed.push((start + cut, end));
        }
    }
    while right > 0 {
        let Some((start, end)) = trimmed.pop() else { break };
        let cut = right.min(end - start);
        right -= cut;
        if start < end - cut {
            trimmed.push((start, end - cut));
        }
    }
    trimmed
}

#[pymethods]
impl Rendered {
    /// The NativeDocument of the rendered text (what NativeDocument(text) makes), `doc` being the one it
    /// was rendered from: the lines it kept whole keep their features.
    #[pyo3(name = "document")]
    fn py_document(&self, py: Python<'_>, doc: &NativeDocument) -> PyResult<NativeDocument> {
        py.allow_threads(|| contained(|| self.document(doc)))
    }

    /// Removals found in this rendered text, (start, end) each, moved to offsets in the input `doc`
    /// minus what `taken` (the input's removals so far) covers: every input character stays in at
    /// most one removal. Output line breaks map to nothing.
    fn map_back(
        &self,
        py: Python<'_>,
        doc: &NativeDocument,
        more: Vec<(usize, usize)>,
        taken: Vec<(usize, usize)>,
    ) -> PyResult<Vec<Piece>> {
        py.allow_threads(|| {
            contained(|| {
                let text = doc.indexed_text();
                let taken = Ranges::new(taken);
                let mut pieces = Vec::new();
                let mut cut = Vec::new();
                for (index, &(start, end)) in more.iter().enumerate() {
                    let (start, end) = self.to_input(start, end);
                    cut.clear();
                    taken.cut(start, end, &mut cut);
                    pieces.extend(cut.iter().map(|&(a, b)| (a, b, index)));
                }
                finish(&text, &line_starts(doc), pieces)
            })
        })
    }
}

impl Rendered {
    /// The rendered text's document, `doc` being the one it was rendered from.
    pub fn document(&self, doc: &NativeDocument) -> NativeDocument {
        NativeDocument::from_rendering(self.text.clone(), doc, &self.sources)
    }

    /// Output offsets [start, end) as input offsets: from the first kept character at or after `start`
    /// to just past the last kept character before `end`.
    fn to_input(&self, start: usize, end: usize) -> (usize, usize) {
        let segments = &self.segments;
        let after = |at: usize| segments.partition_point(|&(out_at, _, _)| out_at <= at);
        if segments.is_empty() || end == 0 {
            return (0, 0);
        }
        let mut first = after(start).saturating_sub(1);
        if start >= segments[first].0 + segments[first].2 {
            // on a line break: the next segment's first character
            if first + 1 >= segments.len() {
                return (0, 0);
            }
            first += 1;
        }
        let (out_at, in_at, _) = segments[first];
        let in_start = in_at + start.saturating_sub(out_at);
        let last = after(end - 1);
        if last == 0 {
            return (0, 0);
        }
        let (out_at, in_at, length) = segments[last - 1];
        (in_start, in_at + (end - out_at).min(length))
    }
}

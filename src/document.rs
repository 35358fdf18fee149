//! A document's lines and the features the rules look at (document.py's Line): computed once per
//! document and pass, in one walk over its text.
//!
//! Each function here answers as document.py's Python did, character for character: Python's white
//! space (`str.split()`, `str.strip()`), its lengths in characters, and its regexes' matches (the ones
//! used here have no backreference, so the regex crate's leftmost-first match is Python's).

use std::sync::LazyLock;

use pyo3::prelude::*;
use regex::Regex;

use crate::line_matcher::contained;
use crate::text::{casefold, invisible, line_bounds, py_isspace, py_split, CharIndex, Text};

/// A line is prose when it reads as a sentence of the article, not as a label or headline.
pub const PROSE_MIN_WORDS: usize = 10;
pub const PROSE_MIN_CHARS_UNPUNCTUATED: usize = 160;
/// Core scoring: a prose line brings its words beyond CORE_BASE_WORDS (at least 1); any other content
/// line costs CORE_GAP_COST.
pub const CORE_BASE_WORDS: usize = 12;
pub const CORE_GAP_COST: f64 = 4.0;
/// A long line with hardly a sentence end is a glued list (an archive menu, a tag cloud), not prose.
pub const CORE_MAX_WORDS_PER_SENTENCE: usize = 60;
/// Chinese and Japanese write no spaces between words: their characters count two to a word.
pub const CJK_CHARS_PER_WORD: usize = 2;

const SENTENCE_END: &str = ".!?…:;\"”“»«‘›‹'’)。！？」』）";
const MD_PREFIX_FIRST: &str = "#>-*+•·▪►»";

static MD_LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").unwrap());
static MD_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:#{1,6}\s+|>\s*|[-*+•·▪►»]\s+)+").unwrap());
static SENTENCE_BREAK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.!?…]+(?:\s|$)|[。！？]").unwrap());

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}' | '\u{ac00}'..='\u{d7af}')
}

/// Whether `s` holds an invisible character: only the characters whose UTF-8 lead byte one of them
/// shares (U+00AD; U+200B and U+2060 to U+2064; U+FEFF) are decoded.
fn has_invisible(s: &str) -> bool {
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, s.as_bytes()).any(|at| s[at..].chars().next().is_some_and(invisible))
}

/// fold_space(s) as a slice of `s` and its number of words, when folding only trims ASCII white space
/// from the ends (the rest holds single spaces between words and no other white space), or None. Most
/// lines are so (indented ones too), and whole-slice searches cost far less than splitting them.
fn folded_slice(s: &str) -> Option<(&str, usize)> {
    let ascii_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f);
    let start = s.bytes().take_while(ascii_space).count();
    let end = s.len() - s.as_bytes()[start..].iter().rev().take_while(|b| ascii_space(b)).count();
    let inner = &s[start..end];
    let bytes = inner.as_bytes();
    let other_space = bytes.iter().fold(false, |found, b| found | (*b != b' ' && ascii_space(b)));
    if inner.is_empty() || other_space || memchr::memmem::find(bytes, b"  ").is_some() {
        return None;
    }
    // The lead bytes of every non-ASCII white space character (U+0085 and U+00A0; U+1680; U+2000 to
    // U+205F; U+3000): only the characters there are decoded.
    let wide_space = |at: usize| inner[at..].chars().next().is_some_and(py_isspace);
    if !inner.is_ascii() && memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes).chain(memchr::memchr_iter(0xE3, bytes)).any(wide_space) {
        return None;
    }
    Some((inner, 1 + memchr::memchr_iter(b' ', bytes).count()))
}

fn fold_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for token in py_split(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(token);
    }
    out
}

/// The line as a reader sees it: white space folded, invisible characters, Markdown decoration and link
/// targets gone (document.plain_text).
pub fn plain_text(raw: &str) -> String {
    plain_and_words(raw).0
}

/// plain_text(), and its number of space-separated words.
fn plain_and_words(raw: &str) -> (String, usize) {
    let visible;
    let mut text = raw;
    if !raw.is_ascii() && has_invisible(raw) {
        visible = raw
            .chars()
            .filter_map(|c| match c {
                '\u{200b}' => Some(' '),
                c if invisible(c) => None,
                c => Some(c),
            })
            .collect::<String>();
        text = &visible;
    }
    // The words counted while folding stay true as long as nothing below rewrites the line.
    let (mut folded, mut words) = match folded_slice(text) {
        Some((inner, words)) => (inner.to_string(), Some(words)),
        None => (fold_space(text), None),
    };
    // A one-byte search first (memchr): most lines hold no ']', '*' or '_'.
    if folded.contains(']') && folded.contains("](") {
        folded = MD_LINK.replace_all(&folded, "$1").into_owned();
        words = None;
    }
    if folded.chars().next().is_some_and(|c| MD_PREFIX_FIRST.contains(c)) {
        if let Some(found) = MD_PREFIX.find(&folded) {
            folded = folded[found.end()..].to_string();
            words = None;
        }
    }
    if (folded.contains('*') && folded.contains("**")) || (folded.contains('_') && folded.contains("__")) {
        folded = fold_space(&folded.replace("**", " ").replace("__", " "));
        words = None;
    }
    if folded.starts_with('*') || folded.starts_with('_') {
        // ^(\*\*|__|\*|_)(.+?)\1$: the first marker that also closes the line around some text.
        for marker in ["**", "__", "*", "_"] {
            if folded.starts_with(marker) && folded.ends_with(marker) && folded.len() > 2 * marker.len() {
                folded = folded[marker.len()..folded.len() - marker.len()].trim_matches(py_isspace).to_string();
                words = None;
                break;
            }
        }
    }
    let words = words.unwrap_or_else(|| py_split(&folded).count());
    (folded, words)
}

/// Words in a plain line: space-separated tokens, plus CJK characters by CJK_CHARS_PER_WORD.
#[cfg(test)]
pub fn count_words(plain: &str) -> usize {
    words_of(plain, py_split(plain).count())
}

/// count_words() of a plain line holding `tokens` space-separated tokens.
fn words_of(plain: &str, tokens: usize) -> usize {
    // CJK characters start with a byte from 0xE3 on (U+3040 is E3 81 80): most lines hold none.
    if !plain.bytes().any(|b| b >= 0xE3) || plain.chars().all(|c| c < '\u{3040}') {
        return tokens;
    }
    let cjk = plain.chars().filter(|&c| is_cjk(c)).count();
    if cjk == 0 {
        return tokens;
    }
    // A run of CJK text between spaces is one token already; count its characters instead.
    let cjk_tokens = py_split(plain).filter(|token| token.chars().any(is_cjk)).count();
    tokens - cjk_tokens + (cjk / CJK_CHARS_PER_WORD).max(1)
}

pub fn ends_sentence(plain: &str) -> bool {
    plain.chars().next_back().is_some_and(|c| SENTENCE_END.contains(c))
}

/// A sentence of enough words, or a long enough run of them without the closing punctuation.
pub fn reads_as_prose(plain: &str, n_words: usize) -> bool {
    n_words >= PROSE_MIN_WORDS && (ends_sentence(plain) || plain.chars().count() >= PROSE_MIN_CHARS_UNPUNCTUATED)
}

/// A content line's share of the article core: prose by its words beyond a short sentence, any other
/// line (and a long line with fewer than two sentence breaks) a small cost.
pub fn core_score(plain: &str, n_words: usize, prose: bool) -> f64 {
    if !prose {
        return -CORE_GAP_COST;
    }
    if n_words > CORE_MAX_WORDS_PER_SENTENCE && SENTENCE_BREAK.find_iter(plain).nth(1).is_none() {
        return -CORE_GAP_COST;
    }
    (n_words.saturating_sub(CORE_BASE_WORDS)).max(1) as f64
}

/// One line and its features; offsets in characters, line break excluded.
pub struct Line {
    pub start: usize,
    pub end: usize,
    /// The raw line's byte range in the document's text.
    pub raw: (usize, usize),
    pub plain: String,
    pub plain_is_raw: bool,
    /// The plain text casefolded: what literal phrases and copies are compared by.
    pub key: String,
    pub n_words: usize,
    /// The index of the blank-line separated block; -1 for blank lines.
    pub paragraph: i64,
    pub prose: bool,
    /// The line's share of the article core (core_score); None for a blank line.
    pub score: Option<f64>,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.plain.is_empty()
    }
}

pub fn split_lines(index: &Text<'_>) -> Vec<Line> {
    split_lines_knowing(index, |_| None)
}

/// split_lines(), with the features of the lines `known` gives (by line index) copied from the line it
/// gives, whose plain text is theirs, not computed again.
fn split_lines_knowing<'a>(index: &Text<'_>, known: impl Fn(usize) -> Option<&'a Line>) -> Vec<Line> {
    let text = index.s;
    let bounds = line_bounds(text);
    let mut lines = Vec::with_capacity(bounds.len());
    let (mut paragraph, mut previous_blank) = (-1i64, true);
    // Character offsets counted line by line: the line breaks between are ASCII.
    let (mut chars_before, mut bytes_before) = (0, 0);
    for (at, (start_byte, end_byte)) in bounds.into_iter().enumerate() {
        let raw = &text[start_byte..end_byte];
        let (start, end) = if index.ascii() {
            (start_byte, end_byte)
        } else {
            let start = chars_before + (start_byte - bytes_before);
            (start, start + crate::text::chars(raw.as_bytes()))
        };
        (chars_before, bytes_before) = (end, end_byte);
        let same = known(at);
        let (plain, tokens) = match same {
            Some(line) => (line.plain.clone(), 0),
            None if raw.is_empty() => (String::new(), 0),
            None => plain_and_words(raw),
        };
        let plain_is_raw = plain == raw;
        let raw = (start_byte, end_byte);
        if plain.is_empty() {
            previous_blank = true;
            let key = String::new();
            lines.push(Line { start, end, raw, plain, plain_is_raw, key, n_words: 0, paragraph: -1, prose: false, score: None });
            continue;
        }
        if previous_blank {
            paragraph += 1;
        }
        previous_blank = false;
        let (key, n_words, prose, score) = match same {
            Some(line) => (line.key.clone(), line.n_words, line.prose, line.score),
            None => {
                let n_words = words_of(&plain, tokens);
                let prose = reads_as_prose(&plain, n_words);
                (casefold(&plain), n_words, prose, Some(core_score(&plain, n_words, prose)))
            }
        };
        lines.push(Line { start, end, raw, plain, plain_is_raw, key, n_words, paragraph, prose, score });
    }
    lines
}

/// A line as Python takes it: (start, end, plain or None for the raw line, key or None for the plain
/// text, n_words, paragraph, prose).
type PyLine = (usize, usize, Option<String>, Option<String>, usize, i64, bool);

/// A document's text and lines, made once per document and pass; document.py's Document holds one,
/// builds its Line tuples from `lines()` and asks it for the page analyses the heuristic kind uses
/// (page.rs).
#[pyclass(frozen, module = "cleaner._engine")]
pub struct NativeDocument {
    pub text: String,
    pub lines: Vec<Line>,
    chars: CharIndex,
}

impl NativeDocument {
    pub fn from_text(text: String) -> Self {
        let chars = CharIndex::of(&text);
        let lines = split_lines(&Text::indexed(&text, &chars));
        NativeDocument { lines, text, chars }
    }

    /// The document of `text`, a rendering of `source` (render.rs): its line i is `source`'s line
    /// `sources[i]` less white space at its end, when that is Some. Such a line has the same plain text
    /// (white space at the end folds away, and no invisible character is white space), so its
    /// features are copied, not computed again.
    pub fn from_rendering(text: String, source: &NativeDocument, sources: &[Option<usize>]) -> Self {
        let chars = CharIndex::of(&text);
        let known = |at: usize| sources.get(at).copied().flatten().and_then(|line| source.lines.get(line));
        let lines = split_lines_knowing(&Text::indexed(&text, &chars), known);
        NativeDocument { lines, text, chars }
    }

    /// The text, its character offsets converted with the index made once.
    pub fn indexed_text(&self) -> Text<'_> {
        Text::indexed(&self.text, &self.chars)
    }

    pub fn raw(&self, index: usize) -> &str {
        let (start, end) = self.lines[index].raw;
        &self.text[start..end]
    }
}

#[pymethods]
impl NativeDocument {
    #[new]
    fn new(py: Python<'_>, text: &str) -> PyResult<Self> {
        let text = text.to_string();
        py.allow_threads(|| contained(|| NativeDocument::from_text(text)))
    }

    /// Every line's features, for the Python Line tuples.
    fn lines(&self) -> Vec<PyLine> {
        self.lines
            .iter()
            .map(|line| {
                let plain = if line.plain_is_raw { None } else { Some(line.plain.clone()) };
                let key = if line.key == line.plain { None } else { Some(line.key.clone()) };
                (line.start, line.end, plain, key, line.n_words, line.paragraph, line.prose)
            })
            .collect()
    }

    /// Every line's plain text (what the rules' regexes match).
    fn plains(&self) -> Vec<String> {
        self.lines.iter().map(|line| line.plain.clone()).collect()
    }

    /// Whether `output` holds exactly this document's lines, less empty lines at its end, each followed
    /// by "\n" (engine._same_lines says why that means a pass over it finds nothing new).
    fn same_lines(&self, output: &str) -> PyResult<bool> {
        contained(|| {
            let Some(body) = output.strip_suffix('\n') else { return false };
            let texts: Vec<&str> = body.split('\n').collect();
            texts.len() <= self.lines.len()
                && texts.iter().enumerate().all(|(i, text)| self.raw(i) == *text)
                && (texts.len()..self.lines.len()).all(|i| self.raw(i).is_empty())
        })
    }

    /// The article core (page::core) with the lines `not_core` and `teaser` scored as gaps and the
    /// short lines `boundary` costing `boundary_cost`.
    fn core(
        &self,
        py: Python<'_>,
        not_core: Vec<usize>,
        boundary: Vec<usize>,
        boundary_cost: f64,
        teaser: Vec<usize>,
    ) -> PyResult<Option<(usize, usize)>> {
        py.allow_threads(|| contained(|| crate::page::core(self, &not_core, &boundary, boundary_cost, &teaser)))
    }

    /// page::tables
    fn tables(&self, py: Python<'_>, min_rows: usize) -> PyResult<Vec<(usize, usize)>> {
        py.allow_threads(|| contained(|| crate::page::tables(self, min_rows)))
    }

    /// page::glued_teasers
    fn glued_teasers(&self, py: Python<'_>, min_run: usize) -> PyResult<Vec<usize>> {
        py.allow_threads(|| contained(|| crate::page::glued_teasers(self, min_run)))
    }

    /// page::teaser_summaries
    fn teaser_summaries(&self, py: Python<'_>, min_units: usize, max_words: usize, glued_run: usize) -> PyResult<Vec<usize>> {
        py.allow_threads(|| contained(|| crate::page::teaser_summaries(self, min_units, max_words, glued_run)))
    }
}

/// document.plain_text, for the phrase kind and learn, which fold their own strings as lines are.
#[pyfunction(name = "plain_text")]
pub fn py_plain_text(text: &str) -> PyResult<String> {
    contained(|| plain_text(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_offsets_counted_line_by_line_are_the_character_index() {
        for text in ["a\r\né\rü\n\n中文\r\n", "\u{feff}x\ny", "ascii only\r\nlines\n", "\n\né", "é"] {
            let index = CharIndex::of(text);
            let indexed = Text::indexed(text, &index);
            for line in split_lines(&indexed) {
                assert_eq!((line.start, line.end), (indexed.char_of(line.raw.0), indexed.char_of(line.raw.1)), "{text:?}");
            }
        }
    }

    #[test]
    fn plain_text_folds_as_python_did() {
        assert_eq!(plain_text("  ## Read  **more**:\u{200b}here "), "Read more : here");
        assert_eq!(plain_text("[Home](/x) > [News](/y)"), "Home > News");
        assert_eq!(plain_text("**x*"), "x*");
        assert_eq!(plain_text("*x**y*"), "x y");
        assert_eq!(plain_text("**"), "");
        assert_eq!(plain_text("_ a _"), "a");
        assert_eq!(plain_text("Face\u{ad}book"), "Facebook");
    }

    #[test]
    fn white_space_folds_as_python_sees_it() {
        assert_eq!(fold_space(" a\x1c\x0bb  c\x1f"), "a b c");
        assert_eq!(fold_space("\u{a0}x\u{3000}y\u{2028}z\u{85}"), "x y z");
    }

    #[test]
    fn words_count_cjk_characters() {
        assert_eq!(count_words("日本語の文章です。"), 4);
        assert_eq!(plain_and_words("  a\u{a0} b  **c**").1, 3);
        assert_eq!(plain_and_words("Straße und Café").1, 3);
        assert_eq!(count_words("a b 日本"), 3);
        assert_eq!(count_words("Straße und Café"), 3);
    }

    #[test]
    fn lines_folded_already_are_told_apart_for_every_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [format!("a{c}b"), format!("{c}"), format!(" {c}{c}é "), format!("x{c}"), format!("\t {c}y z  ")] {
                if let Some((inner, words)) = folded_slice(&s) {
                    assert_eq!((inner.to_string(), words), (fold_space(&s), py_split(&s).count()), "{:?}", c);
                }
            }
        }
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = format!("a{c}é");
            assert_eq!(has_invisible(&s), s.chars().any(invisible), "{:?}", c);
        }
        for s in ["a", "  a b", "\ta b c \r", "é ü", "a\u{2019}b c"] {
            assert!(folded_slice(s).is_some(), "{s:?}");
        }
        for s in ["", "  ", "a  b", "a\tb", "a\u{a0}b", "a\u{3000}b", "\u{a0}a"] {
            assert!(folded_slice(s).is_none(), "{s:?}");
        }
    }
}

//! Python's view of a text, for Rust code that answers in Python's terms: offsets count characters
//! (code points), not UTF-8 bytes, and "white space" is what `str.isspace()` says.

/// Characters between two marks of `Text`: converting an offset counts at most this many.
const STEP: usize = 16;

/// Where a text's characters start: the byte offset of every STEP-th one. Made once per document
/// (NativeDocument keeps it), read by every conversion of its offsets.
#[derive(Clone)]
pub struct CharIndex {
    ascii: bool,
    /// The byte offset of every STEP-th character (non-ASCII texts only).
    marks: Vec<usize>,
    chars: usize,
}

impl CharIndex {
    pub fn of(s: &str) -> Self {
        if s.is_ascii() {
            return CharIndex { ascii: true, marks: Vec::new(), chars: s.len() };
        }
        let mut marks = Vec::with_capacity(s.len() / STEP + 1);
        let mut chars = 0;
        let bytes = s.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let chunk = &bytes[at..bytes.len().min(at + STEP)];
            if chunk.len() == STEP && chunk.is_ascii() {
                // STEP ASCII characters, one of which is a mark: most of a text in a Latin script.
                marks.push(at + (STEP - chars % STEP) % STEP);
                chars += STEP;
                at += STEP;
                continue;
            }
            for &b in chunk {
                if (b & 0xC0) != 0x80 {
                    // A character starts here (a byte that does not continue one).
                    if chars % STEP == 0 {
                        marks.push(at);
                    }
                    chars += 1;
                }
                at += 1;
            }
        }
        CharIndex { ascii: false, marks, chars }
    }
}

/// A text with its character offsets turned into byte offsets and back in O(STEP).
pub struct Text<'a> {
    pub s: &'a str,
    index: std::borrow::Cow<'a, CharIndex>,
}

impl<'a> Text<'a> {
    pub fn new(s: &'a str) -> Self {
        Text { s, index: std::borrow::Cow::Owned(CharIndex::of(s)) }
    }

    /// `s` with the index made of it before.
    pub fn indexed(s: &'a str, index: &'a CharIndex) -> Self {
        Text { s, index: std::borrow::Cow::Borrowed(index) }
    }

    /// Whether the text is ASCII (checked once, when made).
    pub fn ascii(&self) -> bool {
        self.index.ascii
    }

    /// Characters in the text.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.index.chars
    }

    /// The byte offset of character offset `c` (the text's end for `c` at or past it).
    pub fn byte(&self, c: usize) -> usize {
        if self.index.ascii {
            return c.min(self.s.len());
        }
        if c >= self.index.chars {
            return self.s.len();
        }
        let from = self.index.marks[c / STEP];
        let skip = c % STEP;
        match self.s[from..].char_indices().nth(skip) {
            Some((at, _)) => from + at,
            None => self.s.len(),
        }
    }

    /// The character offset of byte offset `b`, which starts a character.
    pub fn char_of(&self, b: usize) -> usize {
        if self.index.ascii {
            return b;
        }
        let mark = self.index.marks.partition_point(|&at| at <= b) - 1;
        mark * STEP + chars(&self.s.as_bytes()[self.index.marks[mark]..b])
    }
}

/// Whether UTF-8 can hold `text` (a Python str may hold lone surrogates). Asking makes Python encode
/// the text once and keep the UTF-8 with it, which every later call into the engine then borrows.
#[pyo3::pyfunction]
pub fn utf8_ok(text: &pyo3::Bound<'_, pyo3::types::PyString>) -> bool {
    pyo3::types::PyStringMethods::to_str(text).is_ok()
}

/// `str.casefold()`: Unicode's full case folding, from the table Python's own made
/// (tools/casefold_table.py).
pub fn casefold(s: &str) -> String {
    lower_ascii_runs(s, |c, out| match crate::casefold_table::CASEFOLD.binary_search_by_key(&c, |&(from, _)| from) {
        Ok(at) => out.push_str(crate::casefold_table::CASEFOLD[at].1),
        Err(_) => out.push(c),
    })
}

/// `s` with its ASCII lowercased and each other character written by `other`. Runs of ASCII are copied
/// and lowercased whole: most pages' non-ASCII text is a letter or a quotation mark here and there.
pub fn lower_ascii_runs(s: &str, mut other: impl FnMut(char, &mut String)) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            other(c, &mut out);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// `str.split()`: the runs between Python's white space, found byte by byte (splitting with a char
/// predicate was a fifth of the cost of a document's lines): ASCII white space is one byte, and every other white space
/// character starts with 0xC2, 0xE1, 0xE2 or 0xE3 (U+0085, U+00A0, U+1680, U+2000 to U+205F, U+3000).
pub fn py_split(s: &str) -> PySplit<'_> {
    PySplit { s, at: 0 }
}

pub struct PySplit<'a> {
    s: &'a str,
    at: usize,
}

impl PySplit<'_> {
    /// The length in bytes of the white space character at byte `at` (0: none starts there).
    #[inline(always)]
    fn space_at(&self, at: usize) -> usize {
        match self.s.as_bytes()[at] {
            0x21..=0xC1 => 0, // most bytes: ASCII past the space, and continuation bytes
            b'\t'..=b'\r' | 0x1c..=b' ' => 1,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => match self.s[at..].chars().next() {
                Some(c) if py_isspace(c) => c.len_utf8(),
                _ => 0,
            },
            _ => 0,
        }
    }
}

impl<'a> Iterator for PySplit<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let len = self.s.len();
        while self.at < len {
            match self.space_at(self.at) {
                0 => break,
                n => self.at += n,
            }
        }
        if self.at >= len {
            return None;
        }
        let (start, bytes) = (self.at, self.s.as_bytes());
        let mut at = start;
        loop {
            // Through a character's continuation bytes too: none starts white space.
            while at < len && (0x21..=0xC1).contains(&bytes[at]) {
                at += 1;
            }
            if at >= len || self.space_at(at) > 0 {
                break;
            }
            at += 1;
        }
        self.at = at;
        Some(&self.s[start..at])
    }
}

/// Characters in a UTF-8 byte string (its bytes that start one).
pub fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Python's letters as the rules' regexes see them (`[^\W\d_]`, which is `[\p{L}\p{Nl}\p{No}]`), by
/// the regex crate's own Unicode tables: a test per character where a regex search per word cost
/// hundreds of instructions.
pub fn is_letter(c: char) -> bool {
    static RANGES: std::sync::LazyLock<Vec<(char, char)>> = std::sync::LazyLock::new(|| {
        let hir = regex_syntax::Parser::new().parse(r"[\p{L}\p{Nl}\p{No}]").expect("a valid class");
        match hir.kind() {
            regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) => {
                class.ranges().iter().map(|range| (range.start(), range.end())).collect()
            }
            _ => unreachable!("a class of Unicode characters"),
        }
    });
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let ranges = &*RANGES;
    let at = ranges.partition_point(|&(_, end)| end < c);
    at < ranges.len() && ranges[at].0 <= c
}

/// The runs of at least `min` letters in `s`, each as long as it goes: what `[^\W\d_]{min,}` finds.
pub fn letter_runs(s: &str, min: usize) -> impl Iterator<Item = &str> {
    let mut chars = s.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (start, _) = chars.find(|&(_, c)| is_letter(c))?;
        let mut count = 1;
        let mut end = s.len();
        while let Some(&(at, c)) = chars.peek() {
            if !is_letter(c) {
                end = at;
                break;
            }
            count += 1;
            chars.next();
        }
        if count >= min {
            return Some(&s[start..end]);
        }
    })
}

/// `str.isspace()`: Unicode's white space, plus the four separators \x1c to \x1f Python counts too.
pub fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Characters a reader does not see that are not white space (see document.py's _INVISIBLE).
pub fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}')
}

/// document.blank(): nothing a reader sees, white space and invisible characters only.
pub fn blank(s: &str) -> bool {
    s.chars().all(|c| py_isspace(c) || invisible(c))
}

/// str.rstrip(): `s` without its trailing white space.
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(py_isspace)
}

/// The lines of a text as byte ranges, line breaks (\r\n, \r, \n) excluded; a final line break opens
/// no empty last line (document.py's _bounds).
pub fn line_bounds(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut bounds = Vec::new();
    let mut start = 0;
    for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if at < start {
            continue; // the \n of a \r\n
        }
        bounds.push((start, at));
        start = at + if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
    }
    if start < bytes.len() || bounds.is_empty() {
        bounds.push((start, bytes.len()));
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_go_both_ways() {
        // Runs of ASCII of every length around STEP, so that marks fall inside whole ASCII chunks, at
        // their edges and in the chunks that a wide character crosses.
        let mut texts = vec!["añb€c😀d".repeat(9)];
        for run in 0..3 * STEP {
            texts.push(format!("{}é{}😀{}", "a".repeat(run), "b".repeat(run % 7), "c".repeat(2 * STEP + run)));
        }
        for s in &texts {
            let text = Text::new(s);
            for (c, (b, _)) in s.char_indices().enumerate() {
                assert_eq!(text.byte(c), b, "{s:?}");
                assert_eq!(text.char_of(b), c, "{s:?}");
            }
            assert_eq!(text.byte(text.len()), s.len());
            assert_eq!(text.char_of(s.len()), s.chars().count());
        }
    }

    #[test]
    fn lines_split_as_python_does() {
        assert_eq!(line_bounds(""), vec![(0, 0)]);
        assert_eq!(line_bounds("a\n"), vec![(0, 1)]);
        assert_eq!(line_bounds("a\n\n"), vec![(0, 1), (2, 2)]);
        assert_eq!(line_bounds("a\r\nb\rc"), vec![(0, 1), (3, 4), (5, 6)]);
        // Against str.splitlines() restricted to \r, \n and \r\n, as a byte walk finds them, on
        // every string of up to seven characters drawn from "a", "é", "\r" and "\n".
        fn walked(s: &str) -> Vec<(usize, usize)> {
            let (bytes, mut bounds, mut start, mut at) = (s.as_bytes(), Vec::new(), 0, 0);
            while at < bytes.len() {
                if bytes[at] == b'\n' || bytes[at] == b'\r' {
                    bounds.push((start, at));
                    at += if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
                    start = at;
                } else {
                    at += 1;
                }
            }
            if start < bytes.len() || bounds.is_empty() {
                bounds.push((start, bytes.len()));
            }
            bounds
        }
        let mut strings = vec![String::new()];
        for _ in 0..7 {
            let longer: Vec<String> = strings.iter().flat_map(|s| ["a", "é", "\r", "\n"].map(|c| format!("{s}{c}"))).collect();
            for s in &longer {
                assert_eq!(line_bounds(s), walked(s), "{s:?}");
            }
            strings = longer;
        }
    }

    #[test]
    fn white_space_is_pythons() {
        assert!(py_isspace('\x1f') && py_isspace('\u{85}') && py_isspace('\u{3000}'));
        assert!(!py_isspace('\u{200b}') && !py_isspace('\u{180e}'));
        assert!(blank(" \u{200b}\u{feff}\t") && !blank(" x "));
    }

    #[test]
    fn split_is_pythons_for_every_character() {
        let by_chars = |s: &str| s.split(py_isspace).filter(|t| !t.is_empty()).map(str::to_string).collect::<Vec<_>>();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [format!("a{c}b"), format!("{c}"), format!(" {c}{c}é ")] {
                assert_eq!(py_split(&s).map(str::to_string).collect::<Vec<_>>(), by_chars(&s), "{:?}", c);
            }
        }
    }

    #[test]
    fn letters_are_the_regex_crates_for_every_character() {
        let letter = regex::Regex::new(r"^[\p{L}\p{Nl}\p{No}]$").unwrap();
        let mut buffer = [0; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), letter.is_match(c.encode_utf8(&mut buffer)), "{:?}", c);
        }
    }

    #[test]
    fn letter_runs_are_what_the_regex_finds() {
        let runs = regex::Regex::new(r"[\p{L}\p{Nl}\p{No}]{3,}").unwrap();
        for s in ["", "ab", "abc", "a1bcd_efg hé² Ⅻxy 日本語 x", "straße, naïve; ab cd ef", "ⅻⅻ3abc", "abcd"] {
            let expected: Vec<&str> = runs.find_iter(s).map(|found| found.as_str()).collect();
            assert_eq!(letter_runs(s, 3).collect::<Vec<_>>(), expected, "{s:?}");
        }
    }

    #[test]
    fn casefold_is_pythons() {
        assert_eq!(casefold("Straße ΣΑΣ ς ﬁ İ"), "strasse σασ σ fi i\u{307}");
        assert_eq!(casefold("ABC def"), "abc def");
    }
}

//! The page analyses the heuristic kind leans on (document.py's core, tables and teaser functions):
//! the article core, the tables beside it, and the summaries of teaser lists.
//!
//! Python's regex classes are spelled out as its `re` module reads them: `[^\W\d_]` (a letter) is
//! `[\p{L}\p{Nl}\p{No}]`, `\w` is `[\p{L}\p{N}_]` and `\d` is `\p{Nd}`: the same characters, code point
//! for code point, for every character Unicode 14 (Python 3.11's) assigns.

use std::collections::BTreeSet;
use foldhash::{HashMap, HashMapExt};
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{NativeDocument, CORE_GAP_COST};
use crate::text::{py_isspace, py_split};

/// A furniture label is short; a sentence naming "Facebook" is not one.
pub const BOUNDARY_MAX_WORDS: usize = 12;
pub const CORE_GAP_TOLERANCE: f64 = 12.0;
/// A teaser's headline block: a kicker, a title, a date line, a "read more" link.
pub const TEASER_MAX_HEADLINE_LINES: usize = 4;
pub const GLUED_MIN_HEADLINE_WORDS: usize = 3;
pub const GLUED_MIN_SUMMARY_WORDS: usize = 5;
/// How far back a word up to a glued capital is read: a longer run is no word.
const MAX_JOINED_CHARS: usize = 100;
const OPENERS: &[char] = &['(', '[', '{', '"', '\'', '“', '‘', '«', '„', '*', '_'];

static LETTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\p{L}\p{Nl}\p{No}]").unwrap());
static WORD_CHAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\p{L}\p{N}_]$").unwrap());
static DIGITS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\p{Nd}+").unwrap());
static DIGIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Nd}$").unwrap());
/// A headline glued to its teaser's first word: a lower-case word (or a number) run into a capitalised
/// word, without a space.
static GLUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[[\p{L}\p{Nl}\p{No}]--[A-ZÀ-ÖØ-Þ]]{2}|\p{Nd})[?!’”\x22')]?([A-ZÀ-ÖØ-Þ][[\p{L}\p{Nl}\p{No}]--[A-ZÀ-ÖØ-Þ]]*)\s")
        .unwrap()
});
/// Any lower-case letter or digit (with a closing mark) run into a capital.
static JOINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[[\p{L}\p{Nl}\p{No}]--[A-ZÀ-ÖØ-Þ]]|\p{Nd})[?!’”\x22')]?[A-ZÀ-ÖØ-Þ]").unwrap());

fn is_word_char(c: char) -> bool {
    let mut buffer = [0; 4];
    WORD_CHAR.is_match(c.encode_utf8(&mut buffer))
}

/// A decimal digit's value: Unicode encodes each script's digits 0 to 9 in a row, sets side by side.
fn digit_value(c: char) -> u32 {
    let mut buffer = [0; 4];
    let mut start = c as u32;
    while let Some(before) = start.checked_sub(1).and_then(char::from_u32) {
        if !DIGIT.is_match(before.encode_utf8(&mut buffer)) {
            break;
        }
        start -= 1;
    }
    (c as u32 - start) % 10
}

/// The first number of one to three digits standing alone in `plain` (`\b\d{1,3}\b`), as a value.
fn number(plain: &str) -> Option<u32> {
    for found in DIGITS.find_iter(plain) {
        let digits = &plain[found.range()];
        if digits.chars().count() > 3 {
            continue;
        }
        let before = plain[..found.start()].chars().next_back();
        let after = plain[found.end()..].chars().next();
        if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
            continue;
        }
        return Some(digits.chars().fold(0, |value, c| value * 10 + digit_value(c)));
    }
    None
}

/// First and last line index of the article core: the densest run of prose (see Document.core).
/// Lines in `not_core` (with text) and `teaser` score as gaps, short lines in `boundary` cost
/// `boundary_cost` (at least a gap's), in that order.
pub fn core(
    doc: &NativeDocument,
    not_core: &[usize],
    boundary: &[usize],
    boundary_cost: f64,
    teaser: &[usize],
) -> Option<(usize, usize)> {
    let lines = &doc.lines;
    let mut scores: Vec<Option<f64>> = lines.iter().map(|line| line.score).collect();
    for &index in not_core {
        if !lines[index].is_blank() {
            scores[index] = Some(-CORE_GAP_COST);
        }
    }
    let cost = -boundary_cost.max(CORE_GAP_COST);
    for &index in boundary {
        if !lines[index].is_blank() && lines[index].n_words <= BOUNDARY_MAX_WORDS {
            scores[index] = Some(cost);
        }
    }
    for &index in teaser {
        scores[index] = Some(-CORE_GAP_COST);
    }
    let (mut best, mut best_span) = (0.0, None);
    let (mut total, mut run_start) = (0.0, None);
    for (index, score) in scores.iter().enumerate() {
        let Some(score) = *score else { continue };
        if run_start.is_none() || total <= 0.0 {
            if score <= 0.0 {
                continue;
            }
            total = 0.0;
            run_start = Some(index);
        }
        total += score;
        if total > best {
            best = total;
            best_span = Some((run_start.unwrap(), index));
        }
    }
    let scores = &scores;
    let prose = |first: usize, last: usize, positive: bool| {
        (first..=last).filter(move |&i| lines[i].prose && (!positive || scores[i].is_some_and(|s| s > 0.0)))
    };
    match best_span {
        None => {
            let mut all = prose(0, lines.len().saturating_sub(1), false);
            let first = all.next()?;
            Some((first, all.last().unwrap_or(first)))
        }
        Some((first, last)) => {
            let (first, last) = extend(scores, first, last);
            let mut kept = prose(first, last, true);
            match kept.next() {
                Some(head) => Some((head, kept.last().unwrap_or(head))),
                None => Some((first, last)),
            }
        }
    }
}

/// Grow the core over a short gap (an ingredient list, a few subheadings) to more prose beyond: a
/// prose line joins when the gap and the prose up to it cost at most CORE_GAP_TOLERANCE.
fn extend(scores: &[Option<f64>], mut first: usize, mut last: usize) -> (usize, usize) {
    for step in [-1i64, 1] {
        let mut edge = if step < 0 { first } else { last };
        let mut total = 0.0;
        let mut index = edge as i64 + step;
        while index >= 0 && (index as usize) < scores.len() {
            if let Some(score) = scores[index as usize] {
                total += score;
                if total < -CORE_GAP_TOLERANCE - 4.0 * CORE_GAP_COST {
                    break; // a long gap: give up early, most pages have a menu or a footer here
                }
                if score > 0.0 && total >= -CORE_GAP_TOLERANCE {
                    edge = index as usize;
                    total = 0.0;
                }
            }
            index += step;
        }
        if step < 0 {
            first = edge;
        } else {
            last = edge;
        }
    }
    (first, last)
}

/// Tables as a plain-text renderer lays them out (rows of cells two or more spaces apart, with a
/// gutter through every row) or as Markdown writes them (rows between bars), at least `min_rows` rows
/// each, sorted (see Document.tables).
pub fn tables(doc: &NativeDocument, min_rows: usize) -> Vec<(usize, usize)> {
    let mut found = spaced_tables(doc, min_rows);
    found.extend(pipe_tables(doc, min_rows));
    found.sort_unstable();
    found
}

fn pipe_row(text: &str) -> bool {
    text.starts_with('|') && text.ends_with('|') && text.matches('|').count() >= 3
}

fn pipe_tables(doc: &NativeDocument, min_rows: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    for index in 0..=doc.lines.len() {
        // Most lines fail at their first character: only a line that opens with a bar is trimmed whole.
        if index < doc.lines.len()
            && doc.raw(index).chars().find(|&c| !py_isspace(c)) == Some('|')
            && pipe_row(doc.raw(index).trim_matches(py_isspace))
        {
            run.push(index);
            continue;
        }
        if !run.is_empty() && run.iter().filter(|&&row| LETTER.is_match(doc.raw(row))).count() >= min_rows {
            found.push((run[0], run[run.len() - 1]));
        }
        run.clear();
    }
    found
}

/// `\S {2,}\S`: two cells at least, two or more spaces apart.
fn spaced_row(raw: &str) -> bool {
    static PAIR: LazyLock<memchr::memmem::Finder<'static>> = LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    let bytes = raw.as_bytes();
    let mut from = 0;
    while let Some(found) = PAIR.find(&bytes[from..]) {
        // A run of spaces starts here: the search begins past the previous run, so this is its first pair.
        let at = from + found;
        let mut end = at + 2;
        while end < bytes.len() && bytes[end] == b' ' {
            end += 1;
        }
        let cell_before = raw[..at].chars().next_back().is_some_and(|c| !py_isspace(c));
        if cell_before && raw[end..].chars().next().is_some_and(|c| !py_isspace(c)) {
            return true;
        }
        from = end;
    }
    false
}

/// str.expandtabs(): a tab to the next multiple of 8 columns, one column a character.
fn expand_tabs(raw: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\t' => {
                let spaces = 8 - out.len() % 8;
                out.extend(std::iter::repeat(' ').take(spaces));
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether a column of spaces runs through every row between its first and last cell.
fn gutter(doc: &NativeDocument, rows: &[usize]) -> bool {
    let texts: Vec<Vec<char>> = rows.iter().map(|&row| expand_tabs(doc.raw(row))).collect();
    let low = texts.iter().map(|t| t.iter().take_while(|&&c| py_isspace(c)).count()).max().unwrap_or(0);
    let high = texts
        .iter()
        .map(|t| t.len() - t.iter().rev().take_while(|&&c| py_isspace(c)).count())
        .min()
        .unwrap_or(0);
    ((low + 1) as i64..high as i64 - 1).any(|p| texts.iter().all(|t| t[p as usize] == ' '))
}

fn spaced_tables(doc: &NativeDocument, min_rows: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let close = |run: &Vec<usize>, found: &mut Vec<(usize, usize)>| {
        if !run.is_empty() && run.len() >= min_rows && gutter(doc, run) {
            found.push((run[0], run[run.len() - 1]));
        }
    };
    for (index, line) in doc.lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        let raw = doc.raw(index);
        if spaced_row(raw) && LETTER.is_match(&line.plain) {
            if run.last().is_some_and(|&last| index != last + 1) {
                close(&run, &mut found); // a blank line between: another block
                run.clear();
            }
            run.push(index);
            continue;
        }
        close(&run, &mut found);
        run.clear();
    }
    close(&run, &mut found);
    found
}

/// Prose lines that are the summaries of a teaser list (see Document.teaser_summaries), and with
/// `glued_run` the lines of runs of headlines glued to their summaries.
pub fn teaser_summaries(doc: &NativeDocument, min_units: usize, max_words: usize, glued_run: usize) -> Vec<usize> {
    let found = summaries(doc, min_units, max_words);
    if glued_run == 0 {
        return found;
    }
    let mut all: BTreeSet<usize> = found.into_iter().collect();
    all.extend(glued_teasers(doc, glued_run));
    all.into_iter().collect()
}

fn summaries(doc: &NativeDocument, min_units: usize, max_words: usize) -> Vec<usize> {
    let content: Vec<usize> = (0..doc.lines.len()).filter(|&i| !doc.lines[i].is_blank()).collect();
    let line = |position: usize| &doc.lines[content[position]];
    let headline = |position: i64| {
        position >= 0
            && (position as usize) < content.len()
            && !line(position as usize).prose
            && line(position as usize).n_words <= BOUNDARY_MAX_WORDS
    };
    // "3. Name", "Bild 3 von 10", "2 / 5": a numbered list or a slideshow is the article's own.
    let numbered = |run: &[usize]| {
        let numbers: Vec<Option<u32>> = run
            .iter()
            .map(|&position| {
                let block = position.saturating_sub(TEASER_MAX_HEADLINE_LINES)..position;
                block.rev().find_map(|p| number(&line(p).plain))
            })
            .collect();
        let steps = numbers.windows(2).filter(|pair| pair[0].is_some_and(|a| pair[1] == Some(a + 1))).count();
        steps * 2 + 1 >= run.len()
    };
    let mut found = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let close = |run: &Vec<usize>, found: &mut Vec<usize>| {
        if run.len() >= min_units && !numbered(run) {
            found.extend(run.iter().map(|&p| content[p]));
        }
    };
    for position in 0..content.len() {
        let current = line(position);
        if !current.prose {
            continue;
        }
        let p = position as i64;
        let unit = current.n_words <= max_words && headline(p - 1) && (headline(p + 1) || position + 1 == content.len());
        // Units chain when only headline lines, at most TEASER_MAX_HEADLINE_LINES, lie between them.
        if unit && run.last().is_some_and(|&last| position - last - 1 <= TEASER_MAX_HEADLINE_LINES) {
            run.push(position);
            continue;
        }
        close(&run, &mut found);
        run.clear();
        if unit {
            run.push(position);
        }
    }
    close(&run, &mut found);
    found
}

/// Whether the line holds a headline glued to its summary; with `counts` None, whether it would if
/// the page printed the glued pair only there.
fn glued(plain: &str, counts: Option<&HashMap<&str, usize>>) -> bool {
    // Most lines hold no glue at all: a match test is far cheaper than a search for captures.
    if !GLUE.is_match(plain) {
        return false;
    }
    for found in GLUE.captures_iter(plain) {
        let cut = found.get(1).unwrap().start();
        let head = &plain[..cut];
        // Counted only up to the minimum: on a long line of many glues a full count per glue was
        // quadratic.
        if py_split(head).take(GLUED_MIN_HEADLINE_WORDS).count() < GLUED_MIN_HEADLINE_WORDS
            || py_split(&plain[cut..]).take(GLUED_MIN_SUMMARY_WORDS).count() < GLUED_MIN_SUMMARY_WORDS
        {
            continue;
        }
        let Some(counts) = counts else { return true };
        let capital = plain[cut..].chars().next().map_or(0, char::len_utf8);
        let from = head.rfind(' ').map_or(0, |at| at + 1);
        let pair = plain[from..cut + capital].trim_start_matches(OPENERS); // "AthleteA", "LinkedI"
        if counts.get(pair) == Some(&1) {
            return true;
        }
    }
    false
}

/// The indexes (ascending) in runs of at least `min_run` successive ones.
fn runs(indexes: &[usize], min_run: usize) -> Vec<usize> {
    let mut found = Vec::new();
    let mut start = 0;
    for at in 1..=indexes.len() {
        if at < indexes.len() && indexes[at] == indexes[at - 1] + 1 {
            continue;
        }
        if at - start >= min_run {
            found.extend_from_slice(&indexes[start..at]);
        }
        start = at;
    }
    found
}

/// How often the page prints each word up to a capital run into it ("Student-AthleteA", "LinkedI").
fn joint_counts(doc: &NativeDocument) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for line in &doc.lines {
        let plain = line.plain.as_str();
        for joint in JOINT.find_iter(plain) {
            let end = joint.end();
            let from = plain[..end].char_indices().rev().nth(MAX_JOINED_CHARS - 1).map_or(0, |(at, _)| at);
            let window = &plain[from..end];
            let word = window.rsplit(' ').next().unwrap_or(window);
            *counts.entry(word.trim_start_matches(OPENERS)).or_insert(0) += 1;
        }
    }
    counts
}

/// Prose lines in runs of at least `min_run` successive lines that each hold a headline glued to its
/// summary (see Document.glued_teasers).
pub fn glued_teasers(doc: &NativeDocument, min_run: usize) -> Vec<usize> {
    // The page-wide count only when some run passes every other check: most pages have none.
    let candidates: Vec<usize> = (0..doc.lines.len())
        .filter(|&i| doc.lines[i].prose && glued(&doc.lines[i].plain, None))
        .collect();
    if runs(&candidates, min_run).is_empty() {
        return Vec::new();
    }
    let counts = joint_counts(doc);
    let glued_lines: Vec<usize> =
        candidates.into_iter().filter(|&i| glued(&doc.lines[i].plain, Some(&counts))).collect();
    runs(&glued_lines, min_run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_rows_have_two_cells_two_spaces_apart() {
        for (raw, row) in [
            ("a  b", true), ("a   b c", true), ("  a b  ", false), ("a b", false), ("a \t b", false), ("é  ü", true),
            ("a  ", false), ("  b", false), ("a\u{3000}  b", false), ("x y  z", true), ("a \u{a0} b", false), ("", false),
        ] {
            assert_eq!(spaced_row(raw), row, "{raw:?}");
        }
        // Against the definition, a character at a time, on every string of up to 6 of these.
        let by_chars = |raw: &str| {
            let chars: Vec<char> = raw.chars().collect();
            (0..chars.len()).any(|start| {
                let run = chars[start..].iter().take_while(|&&c| c == ' ').count();
                run >= 2
                    && start > 0
                    && !py_isspace(chars[start - 1])
                    && chars.get(start + run).is_some_and(|&c| !py_isspace(c))
            })
        };
        let alphabet = [' ', 'a', '\t', '\u{a0}', 'é', '\u{3000}'];
        let mut strings = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = strings.iter().flat_map(|s| alphabet.iter().map(move |&c| format!("{s}{c}"))).collect();
            for s in &longer {
                assert_eq!(spaced_row(s), by_chars(s), "{s:?}");
            }
            strings = longer;
        }
    }

    #[test]
    fn numbers_stand_alone() {
        assert_eq!(number("Bild 3 von 10"), Some(3));
        assert_eq!(number("1234 or 12a or a12 then 7."), Some(7));
        assert_eq!(number("٣ items"), Some(3));
        assert_eq!(number("none"), None);
    }

    #[test]
    fn runs_of_successive_indexes() {
        assert_eq!(runs(&[1, 2, 3, 5, 7, 8], 2), vec![1, 2, 3, 7, 8]);
        assert_eq!(runs(&[], 1), Vec::<usize>::new());
    }
}

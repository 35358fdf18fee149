//! Rule patterns are written in RE2's syntax (rule files are data, and RE2 was the first engine). This
//! turns one into the `regex` crate's syntax with the same meaning on a line of text:
//!
//! - `\w \d \s \b` and their negations stay ASCII, as RE2 and the rule docs have them (the crate's are
//!   Unicode); inside a class they become the ASCII ranges;
//! - `\Q...\E` quoting, which the crate lacks, becomes escaped literals;
//! - a `{` that does not open a repetition is a literal to RE2 and an error to the crate: escaped;
//! - inside a class, `[` (other than `[:alpha:]`), `&` and `~` are literals to RE2 but nested classes and
//!   set operators to the crate: escaped.
//!
//! Patterns reach this after RE2 accepted them in Python, so it does not diagnose RE2 errors; what it
//! cannot express (`\C`) is reported, and the caller names the rule file.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

const WORD: &str = "0-9A-Za-z_";
const DIGIT: &str = "0-9";
const SPACE: &str = "\\t\\n\\x0C\\r ";

/// The `regex` crate's form of an RE2 pattern.
#[pyfunction]
pub fn translate_pattern(pattern: &str) -> PyResult<String> {
    translate(pattern).map_err(PyValueError::new_err)
}

pub fn translate(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut i = 0;
    // Inside a class: the index in `out` just past its `[` (and `^`), to know its first member.
    let mut class_at: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                return Err("a pattern cannot end with a backslash".into());
            };
            i += 2;
            match next {
                'Q' => {
                    // Quoted up to \E or the end: every character a literal.
                    while i < chars.len() {
                        if chars[i] == '\\' && chars.get(i + 1) == Some(&'E') {
                            i += 2;
                            break;
                        }
                        push_literal(&mut out, chars[i], class_at.is_some());
                        i += 1;
                    }
                }
                'E' => {} // a stray \E is nothing to RE2
                'C' => return Err("\\C (any byte) has no equivalent in the Rust engine".into()),
                'w' | 'd' | 's' | 'W' | 'D' | 'S' => {
                    let ranges = match next.to_ascii_lowercase() {
                        'w' => WORD,
                        'd' => DIGIT,
                        _ => SPACE,
                    };
                    let negated = next.is_ascii_uppercase();
                    match (class_at.is_some(), negated) {
                        (true, false) => out.push_str(ranges),
                        (true, true) | (false, true) => {
                            out.push_str("[^");
                            out.push_str(ranges);
                            out.push(']');
                        }
                        (false, false) => {
                            out.push('[');
                            out.push_str(ranges);
                            out.push(']');
                        }
                    }
                }
                'b' | 'B' if class_at.is_none() => {
                    out.push_str(if next == 'b' { "(?-u:\\b)" } else { "(?-u:\\B)" });
                }
                'p' | 'P' | 'x' => {
                    // \pL, \p{Greek}, \x41, \x{263a}: the same in both, copied whole.
                    out.push('\\');
                    out.push(next);
                    if chars.get(i) == Some(&'{') {
                        while i < chars.len() {
                            out.push(chars[i]);
                            i += 1;
                            if chars[i - 1] == '}' {
                                break;
                            }
                        }
                    } else if next == 'x' {
                        for _ in 0..2 {
                            if let Some(&h) = chars.get(i) {
                                out.push(h);
                                i += 1;
                            }
                        }
                    } else if let Some(&name) = chars.get(i) {
                        out.push(name);
                        i += 1;
                    }
                }
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
            continue;
        }
        match class_at {
            Some(first) => {
                if c == ']' && out.len() > first {
                    out.push(']');
                    class_at = None;
                } else if c == '[' && chars.get(i + 1) == Some(&':') {
                    // [:alpha:] is the same in both
                    let end = (i + 2..chars.len().saturating_sub(1)).find(|&j| chars[j] == ':' && chars[j + 1] == ']');
                    match end {
                        Some(j) => {
                            out.extend(&chars[i..j + 2]);
                            i = j + 2;
                            continue;
                        }
                        None => out.push_str("\\["),
                    }
                } else {
                    if "&~[".contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            None => match c {
                '[' => {
                    out.push('[');
                    if chars.get(i + 1) == Some(&'^') {
                        out.push('^');
                        i += 1;
                    }
                    // A `]` first in a class is a literal to both.
                    if chars.get(i + 1) == Some(&']') {
                        out.push_str("\\]");
                        i += 1;
                    }
                    class_at = Some(out.len());
                }
                '{' if !opens_repetition(&chars[i..]) => out.push_str("\\{"),
                _ => out.push(c),
            },
        }
        i += 1;
    }
    Ok(out)
}

fn push_literal(out: &mut String, c: char, in_class: bool) {
    let special = if in_class { "[]\\^-&~" } else { "\\.+*?()|[]{}^$#&-~" };
    if special.contains(c) {
        out.push('\\');
    }
    out.push(c);
}

/// Whether `{...` here is a counted repetition to RE2: `{n}`, `{n,}` or `{n,m}`.
fn opens_repetition(rest: &[char]) -> bool {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let from = *i;
        while *i < rest.len() && rest[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > from
    };
    if !digits(&mut i) {
        return false;
    }
    if rest.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    rest.get(i) == Some(&'}')
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn ascii_classes_stay_ascii() {
        assert_eq!(translate(r"\w+\d").unwrap(), "[0-9A-Za-z_]+[0-9]");
        assert_eq!(translate(r"[\w-]").unwrap(), "[0-9A-Za-z_-]");
        assert_eq!(translate(r"\bx\B").unwrap(), "(?-u:\\b)x(?-u:\\B)");
    }

    #[test]
    fn literals_re2_reads_as_literals() {
        assert_eq!(translate(r"\Qa.b\E").unwrap(), "a\\.b");
        assert_eq!(translate("a{,3}").unwrap(), "a\\{,3}");
        assert_eq!(translate("a{2,3}").unwrap(), "a{2,3}");
        assert_eq!(translate("[[&&]").unwrap(), "[\\[\\&\\&]");
        assert_eq!(translate("[]a]").unwrap(), "[\\]a]");
        assert_eq!(translate("[[:alpha:]]").unwrap(), "[[:alpha:]]");
    }

    #[test]
    fn unicode_escapes_pass_through() {
        assert_eq!(translate(r"\pL\p{Greek}\x41\x{263a}").unwrap(), r"\pL\p{Greek}\x41\x{263a}");
    }
}

//! Literal atoms of a pattern: strings one of which every match must contain (FilteredRE2's idea, on
//! the `regex` crate's syntax tree). The lines that hold none of a pattern's atoms cannot match it, so
//! a document costs one multi-literal scan of its lines, then each pattern on a few lines only.
//!
//! Atoms are compared on folded text (`fold`, one character for one character): a case-insensitive
//! literal is a class of case variants in the tree, and every member of a class folds to the same
//! character or to a few, so the atoms stay few. Soundness does not depend on how well `fold` folds:
//! a class's atom set is the folds of all its members, and the text is folded character by character
//! the same way.

use std::collections::BTreeSet;

use regex_syntax::hir::{Class, Hir, HirKind};

/// Above this many strings a set of alternatives stops being exact (it is kept as a requirement, or dropped).
const MAX_EXACT: usize = 64;
/// A class of more characters than this matches too much to be worth an atom.
const MAX_CLASS: u32 = 8;
/// Above this many atoms, a pattern's requirement is not worth the scan.
const MAX_ATOMS: usize = 4096;

type Set = BTreeSet<String>;

pub fn fold(c: char) -> char {
    match c {
        'ſ' => 's',
        'ς' => 'σ',
        'ϐ' => 'β',
        'ϑ' => 'θ',
        'ϕ' => 'φ',
        'ϖ' => 'π',
        'ϰ' => 'κ',
        'ϱ' => 'ρ',
        'ϵ' => 'ε',
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(single), None) => single,
                _ => c, // İ lowercases to two characters: kept as it is
            }
        }
    }
}

pub fn fold_str(text: &str) -> String {
    crate::text::lower_ascii_runs(text, |c, out| out.push(fold(c)))
}

struct Info {
    /// Every string the node can match, when few (folded).
    exact: Option<Set>,
    /// Otherwise strings one of which every match contains; None: no such requirement.
    required: Option<Set>,
}

impl Info {
    fn exact(set: Set) -> Info {
        Info { exact: Some(set), required: None }
    }

    fn anything() -> Info {
        Info { exact: None, required: None }
    }

    fn empty() -> Info {
        Info::exact(BTreeSet::from([String::new()]))
    }

    /// What a match is known to contain: the exact set, unless one of its strings is empty.
    fn requirement(self) -> Option<Set> {
        match self.exact {
            Some(set) => usable(set),
            None => self.required,
        }
    }
}

fn usable(set: Set) -> Option<Set> {
    (!set.is_empty() && set.len() <= MAX_ATOMS && !set.iter().any(String::is_empty)).then_some(set)
}

/// The better of two requirements: the one whose shortest atom is longest, then the one with fewer atoms.
fn better(a: Option<Set>, b: Option<Set>) -> Option<Set> {
    match (a, b) {
        (None, other) | (other, None) => other,
        (Some(a), Some(b)) => {
            let score = |s: &Set| (s.iter().map(|x| x.chars().count()).min().unwrap_or(0), usize::MAX - s.len());
            Some(if score(&b) > score(&a) { b } else { a })
        }
    }
}

fn cross(a: &Set, b: &Set) -> Set {
    let mut out = BTreeSet::new();
    for x in a {
        for y in b {
            out.insert(format!("{x}{y}"));
        }
    }
    out
}

fn info(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info::empty(),
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(text) => Info::exact(BTreeSet::from([fold_str(text)])),
            Err(_) => Info::anything(),
        },
        HirKind::Class(class) => class_info(class),
        HirKind::Capture(capture) => info(&capture.sub),
        HirKind::Repetition(repetition) => {
            let sub = info(&repetition.sub);
            match (repetition.min, repetition.max) {
                (0, Some(1)) => match sub.exact {
                    Some(mut set) if set.len() < MAX_EXACT => {
                        set.insert(String::new());
                        Info::exact(set)
                    }
                    _ => Info::anything(),
                },
                (0, _) => Info::anything(),
                (1, Some(1)) => sub,
                _ => Info { exact: None, required: sub.requirement() },
            }
        }
        HirKind::Concat(children) => concat_info(children),
        HirKind::Alternation(children) => {
            let infos: Vec<Info> = children.iter().map(info).collect();
            if infos.iter().all(|i| i.exact.is_some()) {
                let union: Set = infos.iter().flat_map(|i| i.exact.clone().unwrap()).collect();
                if union.len() <= MAX_EXACT {
                    return Info::exact(union);
                }
            }
            let mut union = BTreeSet::new();
            for child in infos {
                match child.requirement() {
                    Some(set) => union.extend(set),
                    None => return Info::anything(),
                }
            }
            Info { exact: None, required: usable(union) }
        }
    }
}

fn concat_info(children: &[Hir]) -> Info {
    let mut run: Set = BTreeSet::from([String::new()]); // the exact strings of the current run of exact children
    let mut all_exact = true;
    let mut best: Option<Set> = None;
    for child in children {
        let child = info(child);
        match child.exact {
            Some(set) if run.len() * set.len() <= MAX_EXACT => run = cross(&run, &set),
            Some(set) => {
                all_exact = false;
                best = better(best, usable(run));
                run = set;
            }
            None => {
                all_exact = false;
                best = better(best, usable(run));
                best = better(best, child.required);
                run = BTreeSet::from([String::new()]);
            }
        }
    }
    if all_exact {
        Info::exact(run)
    } else {
        Info { exact: None, required: better(best, usable(run)) }
    }
}

fn class_info(class: &Class) -> Info {
    let mut set = BTreeSet::new();
    match class {
        Class::Unicode(class) => {
            let size: u32 = class.ranges().iter().map(|r| r.end() as u32 - r.start() as u32 + 1).sum();
            if size > MAX_CLASS {
                return Info::anything();
            }
            for range in class.ranges() {
                for c in range.start()..=range.end() {
                    set.insert(fold(c).to_string());
                }
            }
        }
        Class::Bytes(class) => {
            let size: u32 = class.ranges().iter().map(|r| r.end() as u32 - r.start() as u32 + 1).sum();
            if size > MAX_CLASS || class.ranges().iter().any(|r| r.end() >= 0x80) {
                return Info::anything();
            }
            for range in class.ranges() {
                for b in range.start()..=range.end() {
                    set.insert(fold(b as char).to_string());
                }
            }
        }
    }
    Info::exact(set)
}

/// The atoms of a pattern in the crate's syntax (already translated), or None when a match need
/// contain no literal (every line must be tried).
pub fn atoms(source: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new().utf8(false).build().parse(source).ok()?;
    info(&hir).requirement().map(|set| set.into_iter().collect())
}

/// The atoms of an RE2 pattern (folded), or None: what the Rust line matcher prefilters it with.
#[pyo3::pyfunction]
pub fn pattern_atoms(pattern: &str) -> pyo3::PyResult<Option<Vec<String>>> {
    let source = crate::translate::translate(pattern).map_err(pyo3::exceptions::PyValueError::new_err)?;
    Ok(atoms(&source))
}

#[cfg(test)]
mod tests {
    use super::atoms;

    fn of(pattern: &str) -> Option<Vec<String>> {
        atoms(&crate::translate::translate(pattern).unwrap())
    }

    #[test]
    fn literals_and_alternatives() {
        assert_eq!(of("(?i)share this"), Some(vec!["share this".to_string()]));
        assert_eq!(of("(?i)^(?:read more|weiterlesen)\\W*$"), Some(vec!["read more".into(), "weiterlesen".into()]));
        assert_eq!(of("(?i)\\d+ views"), Some(vec![" views".into()]));
    }

    #[test]
    fn no_atom_when_a_match_needs_no_literal() {
        assert_eq!(of(".*"), None);
        assert_eq!(of("(?i)(?:share)?\\w+"), None);
        assert_eq!(of("a|\\w+"), None);
    }

    #[test]
    fn text_folds_character_by_character() {
        for text in ["", "ABC", "Ünïcode ÀB\ncd", "ſ ς ϐ İx", "日本語 ABC", "a\u{10400}B"] {
            let one_by_one: String = text.chars().map(|c| if c.is_ascii() { c.to_ascii_lowercase() } else { super::fold(c) }).collect();
            assert_eq!(super::fold_str(text), one_by_one, "{text:?}");
        }
    }

    #[test]
    fn case_variants_fold_together() {
        assert_eq!(of("(?i)ks"), Some(vec!["ks".to_string()]));
    }
}

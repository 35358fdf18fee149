//! One pass of a rule list over a document in one call: each rule's kind given the lines its regexes
//! matched, the rules that need a match and have none skipped, zones applied, protected ranges set
//! apart (engine.py's `_find_spans`). The rule list's `Engine` is made once, from the rules' Rust
//! objects and the positions of their regexes in the list's LineMatcher.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::answers::DocAnswers;
use crate::document::NativeDocument;
use crate::kinds::block::Block;
use crate::kinds::caption::Caption;
use crate::kinds::duplicate::Duplicate;
use crate::kinds::heuristic::{Heuristic, Matched};
use crate::kinds::line::Line;
use crate::kinds::phrase::PhraseMatcher;
use crate::kinds::protect::Protect;
use crate::kinds::tail::Tail;
use crate::line_matcher::contained;
use crate::page;

/// Every regex's answers in a document, by matcher position (answers.rs).
type Answers = crate::answers::Found;

enum Kind {
    Line(Py<Line>),
    Protect(Py<Protect>),
    Tail(Py<Tail>),
    Block(Py<Block>),
    Caption(Py<Caption>),
    Heuristic(Py<Heuristic>),
    Duplicate(Py<Duplicate>),
    /// The rule's position among the phrase matcher's rules.
    Phrase(usize),
    /// A kind with nothing to find in text (an HTML-only page rule).
    Nothing,
}

#[derive(PartialEq)]
enum Zone {
    Any,
    Head,
    Body,
    Tail,
}

struct Rule {
    kind: Kind,
    /// The matcher positions of the regexes the kind reads, in its own order (None: not set).
    slots: Vec<Option<usize>>,
    /// The positions of all the rule's regexes: a rule that needs a match is skipped when none has one.
    positions: Vec<usize>,
    needs_a_match: bool,
    zone: Zone,
    protect: bool,
    /// What its spans say: the rule's reason, or the heuristic's by detector code.
    reasons: Vec<Py<PyString>>,
}

#[pyclass(frozen, module = "cleaner._engine")]
pub struct Engine {
    rules: Vec<Rule>,
    phrases: Option<Py<PhraseMatcher>>,
}

/// A span found: (start, end, the rule's order, the index of its reason, anchor or -1).
type Found = (usize, usize, usize, usize, i64);

fn full(answers: &Answers, slot: Option<usize>) -> Vec<usize> {
    slot.map_or_else(Vec::new, |p| answers[p].iter().map(|&(line, _, _)| line).collect())
}

fn search(answers: &Answers, slot: Option<usize>) -> &[(usize, usize, usize)] {
    slot.map_or(&[], |p| &answers[p])
}

/// Spans of a kind that has one reason and no anchor, as `spans` takes them.
fn one(spans: impl IntoIterator<Item = (usize, usize)>) -> Vec<(usize, usize, usize, i64)> {
    spans.into_iter().map(|(a, b)| (a, b, 0, -1)).collect()
}

#[pymethods]
impl Engine {
    /// `rules`: per rule in order, (kind, its Rust object or None, the matcher positions its kind reads,
    /// the positions of all its regexes, needs_a_match, zone, reasons); `phrases`: the rule list's
    /// PhraseMatcher, whose rules are the phrase rules in order.
    #[new]
    #[pyo3(signature = (rules, phrases=None))]
    #[allow(clippy::type_complexity)]
    fn new(
        rules: Vec<(String, Option<Bound<'_, PyAny>>, Vec<Option<usize>>, Vec<usize>, bool, String, Vec<Py<PyString>>)>,
        phrases: Option<Py<PhraseMatcher>>,
    ) -> PyResult<Self> {
        let mut built = Vec::with_capacity(rules.len());
        let mut phrase_rules = 0;
        for (kind_name, native, slots, positions, needs_a_match, zone, reasons) in rules {
            let object = || native.clone().ok_or_else(|| PyValueError::new_err(format!("a {kind_name} rule without its object")));
            let kind = match kind_name.as_str() {
                "line" => Kind::Line(object()?.extract()?),
                "protect" => Kind::Protect(object()?.extract()?),
                "tail" => Kind::Tail(object()?.extract()?),
                "block" => Kind::Block(object()?.extract()?),
                "caption" => Kind::Caption(object()?.extract()?),
                "heuristic" => Kind::Heuristic(object()?.extract()?),
                "duplicate" => Kind::Duplicate(object()?.extract()?),
                "phrase" => {
                    phrase_rules += 1;
                    Kind::Phrase(phrase_rules - 1)
                }
                _ => Kind::Nothing,
            };
            let zone = match zone.as_str() {
                "head" => Zone::Head,
                "body" => Zone::Body,
                "tail" => Zone::Tail,
                _ => Zone::Any,
            };
            let protect = kind_name == "protect";
            built.push(Rule { kind, slots, positions, needs_a_match, zone, protect, reasons });
        }
        if phrase_rules > 0 && phrases.is_none() {
            return Err(PyValueError::new_err("phrase rules without a PhraseMatcher"));
        }
        Ok(Engine { rules: built, phrases })
    }

    /// The rules' spans in `doc`, (start, end, order, reason, anchor or -1) each, in rule order, and the
    /// protected ranges, (start, end) each. `answers`: the matcher's answers for this document.
    #[allow(clippy::type_complexity)]
    fn run(
        &self,
        py: Python<'_>,
        doc: &NativeDocument,
        answers: &Bound<'_, PyAny>,
    ) -> PyResult<(Vec<(usize, usize, usize, Py<PyString>, i64)>, Vec<(usize, usize)>)> {
        // DocAnswers are read where they are; lists (a rule run alone) are copied in.
        let given;
        let answers: &Answers = match answers.downcast::<DocAnswers>() {
            Ok(held) => &held.get().found,
            Err(_) => {
                given = answers.extract::<Answers>()?;
                &given
            }
        };
        let (found, protected) = py.allow_threads(|| contained(|| self.spans(doc, answers)))?;
        let found = found
            .into_iter()
            .map(|(start, end, order, reason, anchor)| (start, end, order, self.rules[order].reasons[reason].clone_ref(py), anchor))
            .collect();
        Ok((found, protected))
    }
}

impl Engine {
    fn spans(&self, doc: &NativeDocument, answers: &Answers) -> (Vec<Found>, Vec<(usize, usize)>) {
        let phrase_lines = self.phrases.as_ref().map(|matcher| matcher.get().scan(doc));
        let mut core = None;
        let mut line_starts: Option<Vec<usize>> = None;
        let (mut found, mut protected) = (Vec::new(), Vec::new());
        for (order, rule) in self.rules.iter().enumerate() {
            if rule.needs_a_match && rule.positions.iter().all(|&p| answers[p].is_empty()) {
                continue;
            }
            let s = &rule.slots;
            let anchored =
                |spans: Vec<(usize, usize, usize)>| spans.into_iter().map(|(a, b, at)| (a, b, 0, at as i64)).collect::<Vec<_>>();
            let spans: Vec<(usize, usize, usize, i64)> = match &rule.kind {
                Kind::Line(kind) => one(kind.get().find(doc, full(answers, s[0]))),
                Kind::Protect(kind) => one(kind.get().find(doc, full(answers, s[0]))),
                Kind::Tail(kind) => anchored(kind.get().find(doc, full(answers, s[0]))),
                Kind::Block(kind) => anchored(kind.get().find(doc, full(answers, s[0]), full(answers, s[1]))),
                Kind::Caption(kind) => one(kind.get().spans(doc, search(answers, s[0]))),
                Kind::Duplicate(kind) => one(kind.get().spans(doc)),
                Kind::Phrase(at) => one(phrase_lines.as_ref().map_or(&[][..], |lines| &lines[*at][..]).iter().copied()),
                Kind::Heuristic(kind) => {
                    let lines = |slot: Option<usize>| full(answers, slot);
                    let matched = Matched {
                        evidence: lines(s[0]).into_iter().collect(),
                        article_end: lines(s[1]).into_iter().collect(),
                        comment_end: lines(s[2]).into_iter().collect(),
                        not_title: lines(s[3]).into_iter().collect(),
                        not_core: lines(s[4]),
                        link_like: lines(s[5]),
                    };
                    kind.get().spans(doc, &matched).into_iter().map(|(a, b, what)| (a, b, what as usize, -1)).collect()
                }
                Kind::Nothing => Vec::new(),
            };
            for (start, end, reason, anchor) in spans {
                if rule.zone != Zone::Any {
                    let starts = line_starts.get_or_insert_with(|| doc.lines.iter().map(|line| line.start).collect());
                    let line = starts.partition_point(|&s| s <= start).saturating_sub(1);
                    let core = *core.get_or_insert_with(|| page::core(doc, &[], &[], 0.0, &[]));
                    let zone = match core {
                        None => Zone::Body,
                        Some((first, _)) if line < first => Zone::Head,
                        Some((_, last)) if line > last => Zone::Tail,
                        _ => Zone::Body,
                    };
                    if zone != rule.zone {
                        continue;
                    }
                }
                if rule.protect {
                    protected.push((start, end));
                } else {
                    found.push((start, end, order, reason, anchor));
                }
            }
        }
        (found, protected)
    }
}

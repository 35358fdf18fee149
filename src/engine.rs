//! One pass of a rule list over a document in one call: each rule's kind given the lines its regexes
//! matched, the rules that need a match and have none skipped, zones applied, protected ranges set
//! apart (`run`); then, for cleaning, the runs of lines parted where another family's rule begins and
//! the spans resolved into removals (`removals`). The rule list's `Engine` is made once, from the
//! rules' Rust objects and the positions of their regexes in the list's LineMatcher.

use std::borrow::Cow;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::ffi;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};

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
use crate::render::{resolve, Ranges};

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
    /// A kind whose rules describe one junk family each, line by line: line, phrase, block, tail.
    family: bool,
    /// The rule's id: a run of lines is parted only where another rule begins.
    id: String,
    /// What its spans say: the rule's reason, or the heuristic's by detector code; and the same as text.
    reasons: Vec<Py<PyString>>,
    reason_texts: Vec<String>,
}

/// A removal's reason: one of its rule's, or one made for a piece of a run of lines.
enum Reason {
    Given(usize),
    Run(String),
}

#[pyclass(frozen, module = "cleaner._engine")]
pub struct Engine {
    rules: Vec<Rule>,
    phrases: Option<Py<PhraseMatcher>>,
    /// What `removals` makes: model.Removal, and by rule order the (id, file) each of its Removals names.
    removal: Option<RemovalType>,
}

struct RemovalType {
    class: Py<PyType>,
    /// The field names, in field order.
    fields: [Py<PyString>; 8],
    names: Vec<(Py<PyString>, Py<PyString>)>,
}

impl RemovalType {
    /// Removal(rule, file, start, end, line, text[start:end], reason): object.__new__, then the
    /// instance's dict filled in field order, not the frozen dataclass's __init__, which sets each field
    /// through a Python call to object.__setattr__.
    fn make(&self, py: Python<'_>, text: &Bound<'_, PyString>, order: usize, piece: (usize, usize, usize), reason: Py<PyString>) -> PyResult<PyObject> {
        let (start, end, line) = piece;
        let (rule, file) = &self.names[order];
        // SAFETY: PyType_GenericNew is object.__new__ for a class without arguments to check; each
        // call's new reference is owned at once, a null one becomes the Python error it set.
        let removal = unsafe {
            let empty = PyTuple::empty(py);
            Bound::from_owned_ptr_or_err(py, ffi::PyType_GenericNew(self.class.as_ptr().cast(), empty.as_ptr(), std::ptr::null_mut()))?
        };
        let dict = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyObject_GenericGetDict(removal.as_ptr(), std::ptr::null_mut()))? };
        let dict = dict.downcast::<PyDict>()?;
        let piece_text = unsafe {
            Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_Substring(text.as_ptr(), start as ffi::Py_ssize_t, end as ffi::Py_ssize_t))?
        };
        let values: [PyObject; 8] = [
            rule.clone_ref(py).into_any(),
            file.clone_ref(py).into_any(),
            start.into_pyobject(py)?.into_any().unbind(),
            end.into_pyobject(py)?.into_any().unbind(),
            line.into_pyobject(py)?.into_any().unbind(),
            piece_text.unbind(),
            reason.into_any(),
            py.None(),
        ];
        for (key, value) in self.fields.iter().zip(values) {
            dict.set_item(key, value)?;
        }
        Ok(removal.unbind())
    }
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
    /// PhraseMatcher, whose rules are the phrase rules in order; `ids`: the rules' ids (by default each
    /// its own, "#0", "#1"...); `removal`: for `removals`, model.Removal and by rule order the rule
    /// files its Removals name.
    #[new]
    #[pyo3(signature = (rules, phrases=None, ids=None, removal=None))]
    #[allow(clippy::type_complexity)]
    fn new(
        py: Python<'_>,
        rules: Vec<(String, Option<Bound<'_, PyAny>>, Vec<Option<usize>>, Vec<usize>, bool, String, Vec<Py<PyString>>)>,
        phrases: Option<Py<PhraseMatcher>>,
        ids: Option<Vec<String>>,
        removal: Option<(Py<PyType>, Vec<Py<PyString>>)>,
    ) -> PyResult<Self> {
        let ids = ids.unwrap_or_else(|| (0..rules.len()).map(|order| format!("#{order}")).collect());
        if ids.len() != rules.len() {
            return Err(PyValueError::new_err("ids needs one id per rule"));
        }
        let mut built = Vec::with_capacity(rules.len());
        let mut phrase_rules = 0;
        for ((kind_name, native, slots, positions, needs_a_match, zone, reasons), id) in rules.into_iter().zip(ids) {
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
            let family = matches!(kind_name.as_str(), "line" | "phrase" | "block" | "tail");
            let reason_texts = reasons.iter().map(|reason| reason.bind(py).to_str().map(str::to_owned)).collect::<PyResult<_>>()?;
            built.push(Rule { kind, slots, positions, needs_a_match, zone, protect, family, id, reasons, reason_texts });
        }
        if phrase_rules > 0 && phrases.is_none() {
            return Err(PyValueError::new_err("phrase rules without a PhraseMatcher"));
        }
        let removal = match removal {
            None => None,
            Some((class, files)) if files.len() == built.len() => {
                let names = built.iter().zip(files).map(|(rule, file)| (PyString::new(py, &rule.id).unbind(), file)).collect();
                let fields = ["rule", "file", "start", "end", "line", "text", "reason", "node"].map(|name| PyString::intern(py, name).unbind());
                Some(RemovalType { class, fields, names })
            }
            Some(_) => return Err(PyValueError::new_err("removal needs one rule file per rule")),
        };
        Ok(Engine { rules: built, phrases, removal })
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
        let answers = answers_of(answers)?;
        let answers: &Answers = &answers;
        let (found, protected) = py.allow_threads(|| contained(|| self.spans(doc, answers)))?;
        let found = found
            .into_iter()
            .map(|(start, end, order, reason, anchor)| (start, end, order, self.rules[order].reasons[reason].clone_ref(py), anchor))
            .collect();
        Ok((found, protected))
    }

    /// The removals the rules find in `doc`, as model.Removal objects in text order: the spans of
    /// `run`, each run of lines parted where another family's rule begins a span, then resolved
    /// (render.rs's `resolve`). `answers`: the matcher's answers for this document; `text`: its text,
    /// which the Removals' texts are cut from.
    fn removals(
        &self,
        py: Python<'_>,
        doc: &NativeDocument,
        answers: &Bound<'_, PyAny>,
        text: &Bound<'_, PyString>,
    ) -> PyResult<Vec<PyObject>> {
        let Some(removal) = &self.removal else {
            return Err(PyValueError::new_err("an engine made without the Removal type"));
        };
        let answers = answers_of(answers)?;
        let answers: &Answers = &answers;
        let (spans, pieces) = py.allow_threads(|| {
            contained(|| {
                let (found, protected) = self.spans(doc, answers);
                let spans = self.families_apart(&found);
                let bounds: Vec<(usize, usize, usize)> = spans.iter().map(|&(start, end, order, _)| (start, end, order)).collect();
                let pieces = resolve(doc, &bounds, protected);
                (spans, pieces)
            })
        })?;
        pieces
            .into_iter()
            .map(|(start, end, index, line)| {
                let (_, _, order, reason) = &spans[index];
                let reason = match reason {
                    Reason::Given(at) => self.rules[*order].reasons[*at].clone_ref(py),
                    Reason::Run(text) => PyString::new(py, text).unbind(),
                };
                removal.make(py, text, *order, (start, end, line), reason)
            })
            .collect()
    }
}

/// A document's answers: DocAnswers are read where they are; lists (a rule run alone) are copied in.
fn answers_of<'a>(answers: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, Answers>> {
    match answers.downcast::<DocAnswers>() {
        Ok(held) => Ok(Cow::Borrowed(&held.get().found)),
        Err(_) => Ok(Cow::Owned(answers.extract::<Answers>()?)),
    }
}

/// The rule of the other family's removal nearest to [start, end) between it and the run's anchor
/// line, if any: the piece is in the run only because the run goes on past that removal. `inside` is
/// sorted by start (`starts`).
fn passed<'a>(inside: &[(usize, usize, &'a str)], starts: &[usize], anchor: usize, start: usize, end: usize) -> Option<&'a str> {
    if start > anchor {
        let at = starts.partition_point(|&s| s < start).checked_sub(1)?;
        return (inside[at].0 >= anchor).then_some(inside[at].2);
    }
    let at = starts.partition_point(|&s| s < end);
    inside.get(at).filter(|other| other.1 <= anchor).map(|other| other.2)
}

impl Engine {
    /// Each run of lines (a span with an anchor: a block from its start line, a teaser list around its
    /// marker) without the lines where another family's rule begins a span: those lines are that
    /// rule's removals, under its own reason, and the run goes on around them. A piece of the run
    /// beyond such a line says so in its reason ("run on from <reason>, past a <rule> removal"). What
    /// is removed does not change, only who removed it and why. (Stopping the run at such a line
    /// instead kept teaser headlines after a photo label, and cost F1 on the check sets: see
    /// bench/README.md.)
    fn families_apart(&self, found: &[Found]) -> Vec<(usize, usize, usize, Reason)> {
        let given = |&(start, end, order, reason, _): &Found| (start, end, order, Reason::Given(reason));
        if !found.iter().any(|span| span.4 >= 0) {
            return found.iter().map(given).collect();
        }
        let mut others: Vec<(usize, usize, &str)> = found
            .iter()
            .filter(|span| self.rules[span.2].family)
            .map(|span| (span.0, span.1, self.rules[span.2].id.as_str()))
            .collect();
        others.sort_unstable();
        let other_starts: Vec<usize> = others.iter().map(|other| other.0).collect();
        let mut out = Vec::with_capacity(found.len());
        let mut pieces = Vec::new();
        for span in found {
            let &(span_start, span_end, order, reason, anchor) = span;
            let Ok(anchor) = usize::try_from(anchor) else {
                out.push(given(span));
                continue;
            };
            let rule = &self.rules[order];
            let first = other_starts.partition_point(|&s| s < span_start);
            let last = other_starts.partition_point(|&s| s < span_end);
            let inside: Vec<(usize, usize, &str)> = others[first..last]
                .iter()
                .filter(|&&(start, end, other)| other != rule.id && !(start <= anchor && anchor < end))
                .copied()
                .collect();
            if inside.is_empty() {
                out.push(given(span));
                continue;
            }
            let run_reason = rule.reason_texts[reason].trim_end_matches('.');
            let starts: Vec<usize> = inside.iter().map(|other| other.0).collect();
            pieces.clear();
            Ranges::new(inside.iter().map(|&(start, end, _)| (start, end)).collect()).cut(span_start, span_end, &mut pieces);
            for &(piece_start, piece_end) in &pieces {
                let reason = match passed(&inside, &starts, anchor, piece_start, piece_end) {
                    Some(past) => Reason::Run(format!("run on from {run_reason}, past a {past} removal")),
                    None => Reason::Given(reason),
                };
                out.push((piece_start, piece_end, order, reason));
            }
        }
        out
    }

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

//! `cleaner._engine`: the parts of cleaning that run in Rust: a document's lines (document.rs), the
//! page analyses (page.rs), every text rule kind (kinds/), the rule regexes (line_matcher.rs) and their
//! answers for a document (answers.rs), span
//! resolution and rendering (render.rs). Issue 22 ported them piece by piece, each checked against the
//! Python code it replaced (bench/parity.py); Python loads the rules and builds the Result.

use pyo3::prelude::*;

mod answers;
mod atoms;
mod casefold_table;
mod document;
mod engine;
mod kinds;
mod line_matcher;
mod page;
mod render;
mod text;
mod translate;

#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<line_matcher::LineMatcher>()?;
    m.add_class::<line_matcher::JoinedLines>()?;
    m.add_class::<answers::DocAnswers>()?;
    m.add_class::<render::Rendered>()?;
    m.add_class::<document::NativeDocument>()?;
    m.add_class::<kinds::heuristic::Heuristic>()?;
    m.add_class::<kinds::phrase::PhraseMatcher>()?;
    m.add_class::<kinds::duplicate::Duplicate>()?;
    m.add_class::<kinds::line::Line>()?;
    m.add_class::<kinds::protect::Protect>()?;
    m.add_class::<kinds::tail::Tail>()?;
    m.add_class::<kinds::block::Block>()?;
    m.add_class::<kinds::caption::Caption>()?;
    m.add_class::<engine::Engine>()?;
    m.add_function(wrap_pyfunction!(document::py_plain_text, m)?)?;
    m.add_function(wrap_pyfunction!(render::render, m)?)?;
    m.add_function(wrap_pyfunction!(translate::translate_pattern, m)?)?;
    m.add_function(wrap_pyfunction!(text::utf8_ok, m)?)?;
    m.add_function(wrap_pyfunction!(line_matcher::check_pattern, m)?)?;
    m.add_function(wrap_pyfunction!(atoms::pattern_atoms, m)?)?;
    m.add_function(wrap_pyfunction!(line_matcher::_panic_for_tests, m)?)?;
    Ok(())
}

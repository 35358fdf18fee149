//! The `heuristic` rule kind's detectors (kinds/heuristic.py holds the rule's parameters and reasons):
//!
//! - `outside-core`: every short, non-prose line before or after the article core, once that side holds
//!   enough of them and the page shows furniture labels (`evidence`); the core cut at an article-end
//!   heading, the title and standfirst above it kept, and the tables and lists beside it;
//! - `short-line-run`: runs of short headline-like lines;
//! - `link-like`: link rows outside the core.
//!
//! The lines each of the rule's regexes matches come from the rules' one scan (the Python side asks
//! the matcher); the regexes of the detectors themselves are Python's, spelled out as page.rs says.

use foldhash::HashSet;
use std::sync::LazyLock;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use regex::Regex;

use crate::document::{NativeDocument, CORE_BASE_WORDS};
use crate::page::{self, BOUNDARY_MAX_WORDS};
use crate::text::py_isspace;

/// An article-end heading cuts the core only below this share of its prose.
const ARTICLE_END_MIN_SHARE: f64 = 2.0 / 3.0;

/// A list item as text renderings of HTML write one ("* ", "- ", "• ").
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s\x1c-\x1f]*[*\-•·▪+][\s\x1c-\x1f]+[^\s\x1c-\x1f]").unwrap());
/// What a headline above a standfirst is not: a nested list item ("o "), a line ending a sentence, a
/// line with a clock time.
static NOT_HEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\s\x1c-\x1f]*o[\s\x1c-\x1f]+[^\s\x1c-\x1f]|.*(?:\p{Nd}:\p{Nd}\p{Nd}|\.[\s\x1c-\x1f]*$))").unwrap()
});
/// A word with a letter in it (not a number, nor a time).
static LETTER_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}_]*[\p{L}\p{Nl}\p{No}][\p{L}\p{N}_]*").unwrap());

/// What each span found says, beyond the rule's reason (kinds/heuristic.py words them).
pub const OUTSIDE_CORE: u8 = 0;
pub const WEAK_CORE_MENU: u8 = 1;
pub const SHORT_LINE_RUN: u8 = 2;
pub const LINK_LIKE: u8 = 3;

#[derive(Clone, Copy, PartialEq)]
enum Detector {
    OutsideCore,
    ShortLineRun,
    LinkLike,
}

/// One heuristic rule's parameters, checked by kinds/heuristic.py.
#[pyclass(frozen, module = "cleaner._engine")]
pub struct Heuristic {
    detector: Detector,
    head: bool,
    tail: bool,
    max_words: usize,
    min_lines: usize,
    keep_title: usize,
    keep_standfirst: usize,
    min_run: usize,
    inside_core: bool,
    has_evidence: bool,
    min_evidence: usize,
    prose_too: bool,
    min_core_words: usize,
    weak_core_menus: bool,
    weak_core_max_words: usize,
    weak_core_min_line: usize,
    boundary_cost: f64,
    has_article_end: bool,
    has_comment_end: bool,
    comment_end_share: f64,
    sparse_end_share: Option<f64>,
    sparse_window: usize,
    inline_box: usize,
    teaser_units: usize,
    teaser_max_words: usize,
    glued_run: usize,
    table_rows: usize,
    table_gap: usize,
    list_rows: usize,
}

fn get<'py, T: FromPyObject<'py>>(params: &Bound<'py, PyDict>, key: &str) -> PyResult<T> {
    params
        .get_item(key)?
        .ok_or_else(|| PyValueError::new_err(format!("heuristic parameter {key} missing")))?
        .extract()
}

/// The lines each of the rule's regexes matched (none for a regex the rule does not set).
pub struct Matched {
    pub evidence: HashSet<usize>,
    pub article_end: HashSet<usize>,
    pub comment_end: HashSet<usize>,
    pub not_title: HashSet<usize>,
    pub not_core: Vec<usize>,
    pub link_like: Vec<usize>,
}

#[pymethods]
impl Heuristic {
    #[new]
    fn new(params: &Bound<'_, PyDict>) -> PyResult<Self> {
        let detector = match get::<String>(params, "detector")?.as_str() {
            "outside-core" => Detector::OutsideCore,
            "short-line-run" => Detector::ShortLineRun,
            "link-like" => Detector::LinkLike,
            other => return Err(PyValueError::new_err(format!("unknown detector {other}"))),
        };
        let side: String = get(params, "side")?;
        Ok(Heuristic {
            detector,
            head: side == "head" || side == "both",
            tail: side == "tail" || side == "both",
            max_words: get(params, "max_words")?,
            min_lines: get(params, "min_lines")?,
            keep_title: get(params, "keep_title")?,
            keep_standfirst: get(params, "keep_standfirst")?,
            min_run: get(params, "min_run")?,
            inside_core: get(params, "inside_core")?,
            has_evidence: get(params, "has_evidence")?,
            min_evidence: get(params, "min_evidence")?,
            prose_too: get(params, "prose_too")?,
            min_core_words: get(params, "min_core_words")?,
            weak_core_menus: get::<String>(params, "weak_core")? == "menu-blocks",
            weak_core_max_words: get(params, "weak_core_max_words")?,
            weak_core_min_line: get(params, "weak_core_min_line")?,
            boundary_cost: get(params, "boundary_cost")?,
            has_article_end: get(params, "has_article_end")?,
            has_comment_end: get(params, "has_comment_end")?,
            comment_end_share: get(params, "comment_end_share")?,
            sparse_end_share: get(params, "sparse_end_share")?,
            sparse_window: get(params, "sparse_window")?,
            inline_box: get(params, "inline_box")?,
            teaser_units: get(params, "teaser_units")?,
            teaser_max_words: get(params, "teaser_max_words")?,
            glued_run: get(params, "glued_run")?,
            table_rows: get(params, "table_rows")?,
            table_gap: get(params, "table_gap")?,
            list_rows: get(params, "list_rows")?,
        })
    }
}

impl Heuristic {
    /// The spans the detector finds in `doc`: (start, end, what) each, in characters, `what` one of the
    /// constants above; `matched`: the lines each of the rule's regexes matched.
    pub fn spans(&self, doc: &NativeDocument, matched: &Matched) -> Vec<(usize, usize, u8)> {
        let found = match self.detector {
            Detector::OutsideCore => self.outside_core(doc, matched),
            Detector::ShortLineRun => self.short_line_runs(doc),
            Detector::LinkLike => self.link_like(doc, &matched.link_like),
        };
        found.into_iter().map(|(first, last, what)| (doc.lines[first].start, doc.lines[last].end, what)).collect()
    }
}

fn weight(doc: &NativeDocument, index: usize) -> usize {
    let line = &doc.lines[index];
    if line.prose {
        line.n_words.saturating_sub(CORE_BASE_WORDS)
    } else {
        0
    }
}

fn indent(raw: &str) -> usize {
    raw.chars().take_while(|&c| py_isspace(c)).count()
}

impl Heuristic {
    fn short(&self, doc: &NativeDocument, index: usize) -> bool {
        let line = &doc.lines[index];
        !line.prose && line.n_words <= self.max_words
    }

    fn plain_core(doc: &NativeDocument) -> Option<(usize, usize)> {
        page::core(doc, &[], &[], 0.0, &[])
    }

    fn outside_core(&self, doc: &NativeDocument, matched: &Matched) -> Vec<(usize, usize, u8)> {
        let lines = &doc.lines;
        let teasers: Vec<usize> = if self.teaser_units > 0 {
            page::teaser_summaries(doc, self.teaser_units, self.teaser_max_words, self.glued_run)
        } else {
            Vec::new()
        };
        let boundary: Vec<usize> = if self.boundary_cost != 0.0 && self.has_evidence {
            let mut marked: Vec<usize> = matched.evidence.iter().copied().collect();
            marked.sort_unstable();
            marked
        } else {
            Vec::new()
        };
        let Some(core) = page::core(doc, &matched.not_core, &boundary, self.boundary_cost, &teasers) else {
            return Vec::new();
        };
        let core_prose = || (core.0..=core.1).filter(|&i| lines[i].prose).map(|i| lines[i].n_words);
        let weak = core_prose().sum::<usize>() < self.min_core_words;
        if weak && (!self.weak_core_menus || core_prose().max().unwrap_or(0) < self.weak_core_min_line) {
            return Vec::new();
        }
        let mark = |index: usize| !self.has_evidence || matched.evidence.contains(&index);
        let mut end_lines: HashSet<usize> = matched.article_end.clone();
        end_lines.extend(matched.comment_end.iter().copied());
        let ends_article = |index: usize| lines[index].n_words <= BOUNDARY_MAX_WORDS && end_lines.contains(&index);
        let furniture: HashSet<usize> = matched.evidence.union(&end_lines).copied().collect();
        let core = self.cut_at_article_end(doc, core, &ends_article, &matched.comment_end, &furniture);
        let what = if weak { WEAK_CORE_MENU } else { OUTSIDE_CORE };
        let teaser_set: HashSet<usize> = teasers.iter().copied().collect();
        let head: Vec<usize> = (0..core.0).filter(|&i| !lines[i].is_blank()).collect();
        let titled: Vec<usize> = head.iter().copied().filter(|i| !matched.not_title.contains(i)).collect();
        let kept = self.title_lines(doc, &titled, &teaser_set, &furniture);
        let mut head: Vec<usize> = head.into_iter().filter(|i| !kept.contains(i)).collect();
        let mut tail: Vec<usize> = (core.1 + 1..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
        // The evidence is counted over the whole page: a menu's labels above the article show that the
        // text is a whole page, so its tail is page furniture too (and the other way round).
        let page_marks = head.iter().chain(tail.iter()).filter(|&&i| mark(i)).count();
        if self.table_rows > 0 || self.list_rows > 0 {
            let tables = self.tables_near(doc, core, &furniture);
            head.retain(|i| !tables.contains(i));
            tail.retain(|i| !tables.contains(i));
        }
        let mut found = Vec::new();
        for (is_tail, side) in [(false, &head), (true, &tail)] {
            if !(if is_tail { self.tail } else { self.head }) {
                continue;
            }
            let shorts = side.iter().filter(|&&i| self.short(doc, i)).count();
            if shorts < self.min_lines || page_marks < self.min_evidence {
                continue;
            }
            // After the article, a "Comments" or "Related posts" heading marks furniture too; before it
            // such a heading may sit in a teaser of the article itself.
            let marks: Vec<usize> = side.iter().copied().filter(|&i| mark(i) || (is_tail && ends_article(i))).collect();
            if weak {
                found.extend(self.menu_blocks(doc, side, &mark).into_iter().map(|i| (i, i, what)));
                continue;
            }
            for &index in side.iter() {
                let short = self.short(doc, index);
                if !(short || self.prose_too) {
                    continue;
                }
                // Prose goes only beyond the furniture's labels: prose between them and the core may be
                // the article's own opening or closing paragraph that the core missed.
                if !(short || teaser_set.contains(&index)) {
                    let beyond = if is_tail {
                        marks.first().is_some_and(|&first| index >= first)
                    } else {
                        marks.last().is_some_and(|&last| index <= last)
                    };
                    if !beyond {
                        continue;
                    }
                }
                found.push((index, index, what));
            }
        }
        found
    }

    fn cut_at_article_end(
        &self,
        doc: &NativeDocument,
        core: (usize, usize),
        ends_article: &dyn Fn(usize) -> bool,
        comment_lines: &HashSet<usize>,
        furniture: &HashSet<usize>,
    ) -> (usize, usize) {
        if !self.has_article_end && !self.has_comment_end {
            return core;
        }
        let lines = &doc.lines;
        // The share is weighed as the core weighs prose (words beyond a short sentence): a comment
        // form's one-line instructions and a thread's short replies count little against an article.
        let total: usize = (core.0..=core.1).map(|i| weight(doc, i)).sum();
        let content: Vec<usize> = (core.0..=core.1).filter(|&i| !lines[i].is_blank()).collect();
        let (mut prose_words, mut weighed, mut last_content) = (0usize, 0usize, core.0);
        for (position, &index) in content.iter().enumerate() {
            let comment = comment_lines.contains(&index);
            let mut share = if comment { self.comment_end_share } else { ARTICLE_END_MIN_SHARE };
            if let Some(sparse_share) = self.sparse_end_share {
                let window = &content[position + 1..(position + 1 + self.sparse_window).min(content.len())];
                if ends_article(index) && sparse(doc, window) {
                    share = share.min(sparse_share);
                }
            }
            if prose_words >= self.min_core_words
                && weighed as f64 >= total as f64 * share
                && ends_article(index)
                && !(!comment && self.inline_box_follows(doc, &content[position + 1..], furniture))
            {
                return (core.0, last_content);
            }
            if lines[index].prose {
                prose_words += lines[index].n_words;
                weighed += weight(doc, index);
            }
            last_content = index;
        }
        core
    }

    /// Whether the core's content lines after a heading are 2 to inline_box short list items (no
    /// furniture label among them), then paragraphs only: a box of links set into the article.
    fn inline_box_follows(&self, doc: &NativeDocument, following: &[usize], furniture: &HashSet<usize>) -> bool {
        if self.inline_box == 0 {
            return false;
        }
        let mut links = 0;
        for &index in following {
            if doc.lines[index].prose {
                break;
            }
            if furniture.contains(&index) || !LIST_ITEM.is_match(doc.raw(index)) {
                return false;
            }
            links += 1;
        }
        let rest = &following[links..];
        (2..=self.inline_box).contains(&links) && !rest.is_empty() && rest.iter().all(|&i| doc.lines[i].prose)
    }

    /// The title lines kept above the core: the nearest headlines (keep_title of them), or with
    /// keep_standfirst the standfirst's prose lines and the headline above them.
    fn title_lines(
        &self,
        doc: &NativeDocument,
        head: &[usize],
        teasers: &HashSet<usize>,
        furniture: &HashSet<usize>,
    ) -> HashSet<usize> {
        let lines = &doc.lines;
        // Words of letters, not numbers: a date line between the title and the article is no title.
        // Made lazily, nearest first: only the few nearest are ever read.
        let candidates = || {
            head.iter().rev().copied().filter(|&i| {
                let plain = &lines[i].plain;
                lines[i].n_words >= 3 && !plain.ends_with(':') && LETTER_WORD.find_iter(plain).take(3).count() >= 3
            })
        };
        let kept: HashSet<usize> = candidates().take(self.keep_title).collect();
        if self.keep_standfirst == 0 {
            return kept;
        }
        let mut standfirst = Vec::new();
        for index in candidates() {
            let raw = doc.raw(index);
            if !lines[index].prose {
                // The headline above the standfirst, if it reads as one.
                let headline = !(furniture.contains(&index) || LIST_ITEM.is_match(raw) || NOT_HEADLINE.is_match(raw));
                if !standfirst.is_empty() && headline {
                    standfirst.push(index);
                    return standfirst.into_iter().collect();
                }
                return kept;
            }
            if LIST_ITEM.is_match(raw) {
                continue; // a list's item, a caption set as one: no part of a standfirst, not kept
            }
            if teasers.contains(&index) || standfirst.len() == self.keep_standfirst {
                break; // a teaser's summary, or more prose than a standfirst: no title to find
            }
            standfirst.push(index);
        }
        kept
    }

    /// The lines of the tables next to the core or running into it, and the lines between; after the
    /// core, lists too.
    fn tables_near(&self, doc: &NativeDocument, core: (usize, usize), furniture: &HashSet<usize>) -> HashSet<usize> {
        let lines = &doc.lines;
        let tables = if self.table_rows > 0 { page::tables(doc, self.table_rows) } else { Vec::new() };
        let tables_set: HashSet<(usize, usize)> = tables.iter().copied().collect();
        let after: Vec<(usize, usize)> = if self.list_rows > 0 {
            let mut all: Vec<(usize, usize)> = tables_set.iter().copied().chain(self.lists(doc, core, furniture)).collect();
            all.sort_unstable();
            all.dedup();
            all
        } else {
            tables.clone()
        };
        let before: Vec<(usize, usize)> = tables.iter().rev().copied().collect();
        let mut kept: HashSet<usize> = HashSet::default();
        for (step, ordered) in [(1i64, &after), (-1i64, &before)] {
            let mut reach = if step > 0 { core.1 } else { core.0 } as i64;
            for &(first, last) in ordered.iter() {
                let (near, far) = if step > 0 { (first as i64, last as i64) } else { (last as i64, first as i64) };
                if (far - reach) * step <= 0 {
                    continue; // inside the core or on its other side
                }
                if (near - reach) * step > 0 {
                    let mut between = Vec::new();
                    let mut at = reach + step;
                    while (near - at) * step > 0 {
                        between.push(at as usize);
                        at += step;
                    }
                    let content = between.iter().filter(|&&i| !lines[i].is_blank()).count();
                    if content > self.table_gap || between.iter().any(|i| furniture.contains(i)) {
                        break;
                    }
                }
                kept.extend(reach.min(far) as usize..=reach.max(far) as usize);
                reach = far;
                if !tables_set.contains(&(first, last)) {
                    break; // a list ends the article: what follows it is the page's again
                }
            }
        }
        for index in core.0..=core.1 {
            kept.remove(&index);
        }
        kept
    }

    /// (first, last) of each block of at least list_rows successive content lines after the core, of
    /// one indentation, holding no furniture label nor article-end heading.
    fn lists(&self, doc: &NativeDocument, core: (usize, usize), furniture: &HashSet<usize>) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut block: Vec<usize> = Vec::new();
        for index in core.1 + 1..=doc.lines.len() {
            if index < doc.lines.len() && !doc.lines[index].is_blank() {
                block.push(index);
                continue;
            }
            if block.len() >= self.list_rows
                && !block.iter().any(|i| furniture.contains(i))
                && block.iter().map(|&i| indent(doc.raw(i))).collect::<HashSet<_>>().len() == 1
            {
                found.push((block[0], block[block.len() - 1]));
            }
            block.clear();
        }
        found
    }

    /// Lines in runs of at least min_lines successive content lines of at most weak_core_max_words
    /// words holding a furniture label.
    fn menu_blocks(&self, doc: &NativeDocument, side: &[usize], mark: &dyn Fn(usize) -> bool) -> Vec<usize> {
        let mut found = Vec::new();
        let mut run: Vec<usize> = Vec::new();
        for position in 0..=side.len() {
            if let Some(&index) = side.get(position) {
                let line = &doc.lines[index];
                if !line.prose && line.n_words <= self.weak_core_max_words {
                    run.push(index);
                    continue;
                }
            }
            if run.len() >= self.min_lines && run.iter().any(|&i| mark(i)) {
                found.extend_from_slice(&run);
            }
            run.clear();
        }
        found
    }

    fn short_line_runs(&self, doc: &NativeDocument) -> Vec<(usize, usize, u8)> {
        let core = Self::plain_core(doc);
        let mut found = Vec::new();
        let mut run: Vec<usize> = Vec::new();
        for index in 0..=doc.lines.len() {
            if index < doc.lines.len() && doc.lines[index].is_blank() {
                continue;
            }
            let mut usable = index < doc.lines.len() && self.short(doc, index);
            if usable && !self.inside_core && core.is_some_and(|(first, last)| (first..=last).contains(&index)) {
                usable = false;
            }
            if usable {
                run.push(index);
                continue;
            }
            if run.len() >= self.min_run {
                found.push((run[0], run[run.len() - 1], SHORT_LINE_RUN));
            }
            run.clear();
        }
        found
    }

    fn link_like(&self, doc: &NativeDocument, matched: &[usize]) -> Vec<(usize, usize, u8)> {
        let core = Self::plain_core(doc);
        let mut found = Vec::new();
        for &index in matched {
            // Inside the article a bar-separated line is a table row and a URL a cited source.
            if !self.inside_core && core.is_some_and(|(first, last)| (first..=last).contains(&index)) {
                continue;
            }
            let line = &doc.lines[index];
            if line.plain.starts_with('|') || line.is_blank() || line.n_words > self.max_words {
                continue;
            }
            found.push((index, index, LINK_LIKE));
        }
        found
    }
}

/// Whether the content lines after a heading hold no two prose lines in a row: teasers, not the
/// article's next paragraphs.
fn sparse(doc: &NativeDocument, following: &[usize]) -> bool {
    !following.windows(2).any(|pair| doc.lines[pair[0]].prose && doc.lines[pair[1]].prose)
}

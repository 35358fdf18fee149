//! `protect`: lines that must never be removed; with `block_share`, a block (lines with no blank line
//! between them) of which enough lines match is protected whole.

use std::collections::BTreeSet;
use foldhash::{HashMap, HashMapExt, HashSet};

use pyo3::prelude::*;

use crate::document::NativeDocument;

#[pyclass(frozen, module = "cleaner._engine")]
pub struct Protect {
    block_share: f64,
    block_min: usize,
}

#[pymethods]
impl Protect {
    #[new]
    fn new(block_share: f64, block_min: usize) -> Self {
        Protect { block_share, block_min }
    }
}

impl Protect {
    /// The protected lines (start, end), from `matched`, the lines the rule's regex matches.
    pub fn find(&self, doc: &NativeDocument, matched: Vec<usize>) -> Vec<(usize, usize)> {
        let lines = &doc.lines;
        let matched: Vec<usize> = matched.into_iter().filter(|&i| !lines[i].is_blank()).collect();
        let mut guarded: BTreeSet<usize> = matched.iter().copied().collect();
        if self.block_share != 0.0 && matched.len() >= self.block_min {
            let mut hits: HashMap<i64, usize> = HashMap::new();
            for &index in &matched {
                *hits.entry(lines[index].paragraph).or_default() += 1;
            }
            let mut sizes: HashMap<i64, usize> = HashMap::new();
            for line in lines {
                *sizes.entry(line.paragraph).or_default() += 1;
            }
            let blocks: HashSet<i64> = hits
                .iter()
                .filter(|&(paragraph, &found)| found >= self.block_min && found as f64 >= self.block_share * sizes[paragraph] as f64)
                .map(|(&paragraph, _)| paragraph)
                .collect();
            guarded.extend((0..lines.len()).filter(|&i| !lines[i].is_blank() && blocks.contains(&lines[i].paragraph)));
        }
        guarded.into_iter().map(|i| (lines[i].start, lines[i].end)).collect()
    }
}

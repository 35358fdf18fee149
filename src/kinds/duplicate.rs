//! `duplicate`: a headline-sized line repeating another (kinds/duplicate.py says which copy stays), or
//! with `min_run` a run of prose lines repeated in the same order.

use std::collections::BTreeSet;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use pyo3::prelude::*;

use crate::document::NativeDocument;
use crate::page;

/// How many earlier copies of a paragraph a possible run start is compared with.
const RUN_CANDIDATES: usize = 8;

#[pyclass(frozen, module = "cleaner._engine")]
pub struct Duplicate {
    min_chars: usize,
    max_words: usize,
    within_lines: usize,
    min_run: usize,
}

/// Lines between `index` and the core (0 inside it, or when there is no core).
fn distance(core: Option<(usize, usize)>, index: usize) -> usize {
    match core {
        Some((first, _)) if index < first => first - index,
        Some((_, last)) if index > last => index - last,
        _ => 0,
    }
}

#[pymethods]
impl Duplicate {
    #[new]
    fn new(min_chars: usize, max_words: usize, within_lines: usize, min_run: usize) -> Self {
        Duplicate { min_chars, max_words, within_lines, min_run }
    }

}

impl Duplicate {
    /// The copies that go, as (start, end) in characters, in document order.
    pub fn spans(&self, doc: &NativeDocument) -> Vec<(usize, usize)> {
        let found = if self.min_run > 0 { self.repeated_runs(doc) } else { self.copies(doc) };
        found.into_iter().map(|i| (doc.lines[i].start, doc.lines[i].end)).collect()
    }

    fn copies(&self, doc: &NativeDocument) -> Vec<usize> {
        let mut copies: HashMap<&str, Vec<usize>> = HashMap::with_capacity(doc.lines.len());
        let mut order: Vec<&str> = Vec::new();
        for (index, line) in doc.lines.iter().enumerate() {
            if line.n_words > self.max_words || line.plain.chars().count() < self.min_chars {
                continue;
            }
            let entry = copies.entry(line.key.as_str()).or_default();
            if entry.is_empty() {
                order.push(line.key.as_str());
            }
            entry.push(index);
        }
        let core = page::core(doc, &[], &[], 0.0, &[]);
        let mut found = Vec::new();
        for key in order {
            let indexes = &copies[key];
            if indexes.len() < 2 {
                continue;
            }
            let keep = *indexes.iter().min_by_key(|&&index| (distance(core, index), index)).unwrap();
            for &index in indexes {
                if index != keep && (self.within_lines == 0 || index.abs_diff(keep) <= self.within_lines) {
                    found.push(index);
                }
            }
        }
        found.sort_unstable();
        found
    }

    fn repeated_runs(&self, doc: &NativeDocument) -> Vec<usize> {
        let lines = &doc.lines;
        // Only prose lines count, so a copy whose paragraphs are set apart by other lines (bullets,
        // captions) still matches.
        let prose: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].prose && lines[i].plain.chars().count() >= self.min_chars)
            .collect();
        let keys: Vec<&str> = prose.iter().map(|&i| lines[i].key.as_str()).collect();
        // Non-blank lines between a prose line and the one before: a run allows one (a bullet, a
        // caption), not a day's other dishes between the repeated ones of a meal plan.
        let mut rank = vec![0usize; lines.len()];
        let mut n = 0;
        for (index, line) in lines.iter().enumerate() {
            if !line.is_blank() {
                rank[index] = n;
                n += 1;
            }
        }
        let mut gap = vec![0usize; prose.len()];
        for k in 1..prose.len() {
            gap[k] = rank[prose[k]] - rank[prose[k - 1]] - 1;
        }
        let core = page::core(doc, &[], &[], 0.0, &[]);
        let mut seen: HashMap<&str, Vec<usize>> = HashMap::with_capacity(prose.len());
        let mut drop: BTreeSet<usize> = BTreeSet::new();
        let mut j = 0;
        while j < prose.len() {
            let (mut best, mut first) = (0, 0);
            // Only the latest copies of the paragraph are compared: a page repeating it thousands of
            // times made this quadratic.
            let earlier = seen.get(keys[j]).map_or(&[][..], |v| &v[v.len().saturating_sub(RUN_CANDIDATES)..]);
            for &i in earlier {
                // A run of distinct paragraphs: a table's rows alternating "A, note, B, note" repeat
                // their note, and are content.
                let mut length = 0;
                let mut run_keys: HashSet<&str> = HashSet::new();
                while j + length < prose.len()
                    && i + length < j
                    && keys[i + length] == keys[j + length]
                    && !run_keys.contains(keys[j + length])
                    && (length == 0 || gap[i + length].max(gap[j + length]) <= 1)
                {
                    run_keys.insert(keys[j + length]);
                    length += 1;
                }
                if length > best {
                    best = length;
                    first = i;
                }
            }
            if best >= self.min_run {
                let copies = [&prose[first..first + best], &prose[j..j + best]];
                let nearest = (0..2)
                    .map(|n| (copies[n].iter().map(|&i| distance(core, i)).min().unwrap_or(0), n))
                    .min()
                    .unwrap()
                    .1;
                drop.extend(copies[1 - nearest].iter().copied());
            }
            let step = if best >= self.min_run { best } else { 1 };
            for k in j..j + step {
                seen.entry(keys[k]).or_default().push(k);
            }
            j += step;
        }
        drop.into_iter().collect()
    }
}

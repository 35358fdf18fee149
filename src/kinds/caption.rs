//! `caption`: photo captions and credits that belong to another story: a line carrying a credit whose
//! subject (its content words without the credit) occurs too little in the rest of the document, or a
//! bare credit with no subject at all (kinds/caption.py says more).

use foldhash::{HashSet, HashSetExt};

use pyo3::prelude::*;

use crate::document::NativeDocument;
use crate::text::{casefold, letter_runs};

/// A word is a run of this many letters or more (Python's `[^\W\d_]{3,}`, see page.rs).
const MIN_WORD_CHARS: usize = 3;

#[pyclass(frozen, module = "cleaner._engine")]
pub struct Caption {
    min_overlap: f64,
    min_subject_words: usize,
    max_words: usize,
    /// Function words of the pack's languages: they would make any caption look on-topic.
    stopwords: HashSet<String>,
}

impl Caption {
    /// The captions that go, (start, end) each, from `credits`: (line, start, end) of the credit's
    /// match in each line's plain text, in characters.
    pub fn spans(&self, doc: &NativeDocument, credits: &[(usize, usize, usize)]) -> Vec<(usize, usize)> {
        let lines = &doc.lines;
        let mut captions = Vec::new();
        for &(index, start, end) in credits {
            let line = &lines[index];
            if line.is_blank() || line.n_words > self.max_words {
                continue;
            }
            let plain = &line.plain;
            let byte = |c: usize| plain.char_indices().nth(c).map_or(plain.len(), |(at, _)| at);
            let subject = format!("{} {}", &plain[..byte(start)], &plain[byte(end)..]);
            captions.push((index, self.content_words(&casefold(&subject))));
        }
        if captions.is_empty() {
            return Vec::new();
        }
        let caption_lines: HashSet<usize> = captions.iter().map(|&(index, _)| index).collect();
        // Which subject words the other lines hold (their keys are their plain texts casefolded
        // already): only those are looked for, so the article's words are neither copied nor kept.
        let wanted: HashSet<&str> = captions.iter().flat_map(|(_, subject)| subject.iter().map(String::as_str)).collect();
        let mut present: HashSet<&str> = HashSet::new();
        let others = lines.iter().enumerate().filter(|(i, _)| !wanted.is_empty() && !caption_lines.contains(i));
        'lines: for (_, line) in others {
            for token in letter_runs(&line.key, MIN_WORD_CHARS) {
                // A stopword is in no subject, so it needs no test of its own here.
                if let Some(&word) = wanted.get(plural_folded(token)) {
                    present.insert(word);
                    if present.len() == wanted.len() {
                        break 'lines;
                    }
                }
            }
        }
        captions
            .iter()
            .filter(|(_, subject)| {
                let shared = subject.iter().filter(|word| present.contains(word.as_str())).count();
                subject.len() < self.min_subject_words || (shared as f64 / subject.len() as f64) < self.min_overlap
            })
            .map(|&(index, _)| (lines[index].start, lines[index].end))
            .collect()
    }

    /// The content words of a casefolded text.
    fn content_words(&self, folded: &str) -> HashSet<String> {
        let mut words = HashSet::new();
        for token in letter_runs(folded, MIN_WORD_CHARS) {
            if self.stopwords.contains(token) {
                continue;
            }
            words.insert(plural_folded(token).to_string());
        }
        words
    }
}

/// A crude plural fold ("protesters" ~ "protester"): enough for an overlap measure.
fn plural_folded(token: &str) -> &str {
    if token.ends_with('s') && token.chars().count() > 4 { &token[..token.len() - 1] } else { token }
}

#[pymethods]
impl Caption {
    #[new]
    fn new(min_overlap: f64, min_subject_words: usize, max_words: usize, stopwords: Vec<String>) -> Self {
        Caption { min_overlap, min_subject_words, max_words, stopwords: stopwords.into_iter().collect() }
    }
}

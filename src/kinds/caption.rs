//! `caption`: photo captions and credits that belong to another story: a line carrying a credit whose
//! subject (its content words without the credit) occurs too little in the rest of the document, or a
//! bare credit with no subject at all (kinds/caption.py says more).

use std::collections::HashSet;
use std::sync::LazyLock;

use pyo3::prelude::*;
use regex::Regex;

use crate::document::NativeDocument;
use crate::text::casefold;

/// A word of three letters or more (Python's `[^\W\d_]{3,}`, see page.rs).
static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\p{L}\p{Nl}\p{No}]{3,}").unwrap());

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
        // The other lines' keys are their plain texts casefolded already.
        let others: Vec<&str> = (0..lines.len())
            .filter(|i| !caption_lines.contains(i))
            .map(|i| lines[i].key.as_str())
            .collect();
        let article = self.content_words(&others.join("\n"));
        captions
            .into_iter()
            .filter(|(_, subject)| {
                subject.len() < self.min_subject_words
                    || (subject.intersection(&article).count() as f64 / subject.len() as f64) < self.min_overlap
            })
            .map(|(index, _)| (lines[index].start, lines[index].end))
            .collect()
    }

    /// The content words of a casefolded text.
    fn content_words(&self, folded: &str) -> HashSet<String> {
        let mut words = HashSet::new();
        for token in TOKEN.find_iter(folded).map(|found| found.as_str()) {
            if self.stopwords.contains(token) {
                continue;
            }
            // A crude plural fold ("protesters" ~ "protester") is enough for an overlap measure.
            let word = if token.chars().count() > 4 && token.ends_with('s') { &token[..token.len() - 1] } else { token };
            words.insert(word.to_string());
        }
        words
    }
}

#[pymethods]
impl Caption {
    #[new]
    fn new(min_overlap: f64, min_subject_words: usize, max_words: usize, stopwords: Vec<String>) -> Self {
        Caption { min_overlap, min_subject_words, max_words, stopwords: stopwords.into_iter().collect() }
    }
}

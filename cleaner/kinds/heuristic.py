"""`heuristic`: named line classifiers with parameters, for whole scraped pages.

A rule picks one `detector` and sets its parameters; each span it finds carries a reason naming the
detector and the parameters that fired, so a report says why a line went without any vocabulary.

The detectors run in the Rust engine (src/heuristic.rs, the page analyses in src/page.rs); this module
reads and checks a rule's parameters and words its reasons.

The detectors lean on the article core (Document.core: the densest run of prose). Outside it a page
holds menus, teaser lists, footers: there they are strict. Inside it they are cautious: a short line
in the middle of an article is a subheading far more often than junk.

- `outside-core`: every short, non-prose line before or after the core, once that side holds enough
  of them to look like page furniture rather than a title and a byline, and the page shows furniture
  labels (`evidence`) on either side. Headings that open what follows an article (`article_end`:
  comments, the author's box, related posts) end the core early; `boundary_cost` makes evidence lines
  expensive for the core to run across. Comment headings (`comment_end`) do so below a lower share of
  the core's prose (`comment_end_share`): a long thread outweighs the article it follows. An
  article's table (`table_rows`) or list (`list_rows`) just beside the core stays with it.
- `short-line-run`: runs of short headline-like lines (menus, teaser lists) of at least `min_run`.
- `link-like`: link rows outside the core: "Home | News | Sport", breadcrumbs.
"""
from __future__ import annotations

from ..matching import FULL, SEARCH
from ..native import engine as _engine
from ..patterns import compile_alternation
from .base import Rule

DETECTORS = ("outside-core", "short-line-run", "link-like")
SIDES = ("head", "tail", "both")
# An article-end heading cuts the core only below this share of its prose (a plateau from 0.5 to 0.8
# on the dev pages); comment_end_share's default (src/heuristic.rs holds it too).
ARTICLE_END_MIN_SHARE = 2 / 3
# A row of short items separated by bars/bullets/arrows, or a breadcrumb trail.
# A bare URL is left alone: an article's own list of sources or shop links is content to its readers.
_LINK_LIKE = compile_alternation([
    r"[^|•·»›>/]{1,30}(?:\s+[|•·»›>/]\s+[^|•·»›>/]{1,30}){2,}",
])


class HeuristicRule(Rule):
    kind = "heuristic"
    required = ("detector",)
    optional = ("side", "max_words", "min_lines", "keep_title", "min_run", "inside_core", "evidence", "min_evidence",
                "prose_too", "not_core", "min_core_words",
                "boundary_cost", "article_end", "comment_end", "comment_end_share", "teaser_units",
                "teaser_max_words", "not_title", "weak_core", "weak_core_min_line",
                "weak_core_max_words", "sparse_end_share", "sparse_window", "table_rows", "table_gap", "glued_run",
                "list_rows", "inline_box", "keep_standfirst")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.detector = self.choice("detector", "", DETECTORS)
        self.side = self.choice("side", "both", SIDES)
        self.max_words = self.integer("max_words", 8, minimum=1)
        self.min_lines = self.integer("min_lines", 6, minimum=1)
        self.keep_title = self.integer("keep_title", 1)
        # Up to keep_standfirst prose lines between the core and the nearest headline above it are the
        # article's standfirst, kept with that headline as its title, whatever furniture (a byline, a
        # share bar) stands between them and the core (0: off).
        self.keep_standfirst = self.integer("keep_standfirst", 0)
        self.min_run = self.integer("min_run", 4, minimum=2)
        self.inside_core = bool(params.get("inside_core", False))
        self.evidence = self.regex("evidence")
        self.min_evidence = self.integer("min_evidence", 2)
        self.prose_too = bool(params.get("prose_too", False))
        self.not_core = self.regex("not_core")
        self.min_core_words = self.integer("min_core_words", 60)
        # A core of fewer words (a short article, or a caption taken for one) is too weak a guess to
        # remove every short line around it: the article may be its dialogue or its captions, in
        # short lines on the wrong side of a wrongly placed core. `weak_core: menu-blocks` still removes
        # the unmistakable menus: runs of at least min_lines lines of at most weak_core_max_words words
        # holding a furniture label. `skip` (the default) leaves such a page alone.
        self.weak_core = self.choice("weak_core", "skip", ("skip", "menu-blocks"))
        self.weak_core_max_words = self.integer("weak_core_max_words", 3, minimum=1)
        # ... and only when the weak core holds a paragraph of at least this many words: a few short
        # lines of a form ("You are commenting using your X account") are no article to place by.
        self.weak_core_min_line = self.integer("weak_core_min_line", 15)
        # What an evidence line costs the core: 0 scores it as any other short line.
        self.boundary_cost = self.integer("boundary_cost", 0)
        # Headings that open what follows an article (comments, the author's box, related posts): the
        # core ends before the first one it holds once min_core_words of prose lie above it.
        self.article_end = self.regex("article_end")
        # Comment headings end the core as article_end does, but below a lower share of its prose: a
        # long thread outweighs the article, and a "Comments" heading rarely opens an article's part.
        self.comment_end = self.regex("comment_end")
        self.comment_end_share = self.number("comment_end_share", ARTICLE_END_MIN_SHARE)
        # An article-end heading whose next sparse_window content lines hold no two prose lines in a
        # row (a teaser list, not the article's next section) cuts the core below the lower share
        # sparse_end_share (unset: off).
        self.sparse_end_share = self.number("sparse_end_share", 0.0) if "sparse_end_share" in params else None
        self.sparse_window = self.integer("sparse_window", 12, minimum=2)
        # An article-end heading followed, inside the core, by 2 to inline_box short list items and then
        # only paragraphs to the core's end is a box of links set into the article ("Related stories"
        # and three headlines between two paragraphs): it does not end the core (0: off).
        self.inline_box = self.integer("inline_box", 0)
        # A teaser list (headline, one short summary, repeated teaser_units times; 0: off) is no part
        # of the core, and its summaries go with the furniture around it.
        self.teaser_units = self.integer("teaser_units", 0)
        self.teaser_max_words = self.integer("teaser_max_words", 40, minimum=1)
        # Runs of at least glued_run lines that each hold a headline glued to its summary are teaser
        # summaries too (0: off; see Document.glued_teasers).
        self.glued_run = self.integer("glued_run", 0)
        # Lines never taken for the title kept above the core (searched in the line): a photo credit
        # or caption often sits between the title and the first paragraph.
        self.not_title = self.regex("not_title")
        # A table of at least table_rows rows (0: off; see Document.tables) that starts (or ends) within
        # table_gap content lines of the core, none a furniture label, stays with it, the lines between
        # (a caption, a heading) too, and so on for the next table: an article's table.
        self.table_rows = self.integer("table_rows", 0)
        self.table_gap = self.integer("table_gap", 2)
        # After the core, a block of at least list_rows lines without a blank line between them, of
        # one indentation and without furniture labels, is the article's own list (tour dates) and
        # stays as a table does, but ends the chain (0: off).
        self.list_rows = self.integer("list_rows", 0)

    def native_slots(self):
        return ((self.evidence, FULL), (self.article_end, FULL), (self.comment_end, FULL), (self.not_title, SEARCH),
                (self.not_core, SEARCH), (_LINK_LIKE if self.detector == "link-like" else None, FULL))

    def make_native(self):
        params = {key: getattr(self, key) for key in _NATIVE_PARAMS}
        params.update(has_evidence=self.evidence is not None, has_article_end=self.article_end is not None,
                      has_comment_end=self.comment_end is not None, boundary_cost=float(self.boundary_cost))
        return _engine.Heuristic(params)

    def reasons(self) -> tuple[str, ...]:
        """What a span says, by the detector's code for it (src/heuristic.rs): which detector and
        parameters fired, after the rule's own reason."""
        reasons = self.__dict__.get("_reason_texts")
        if reasons is None:
            reasons = self.__dict__["_reason_texts"] = tuple(f"{self.meta.reason}: {reason}" for reason in (
                f"outside the article core (max_words={self.max_words}, min_lines={self.min_lines}, "
                f"min_evidence={self.min_evidence})",
                f"a menu block around a weak core (min_core_words={self.min_core_words}, "
                f"weak_core_max_words={self.weak_core_max_words}, min_lines={self.min_lines})",
                f"short-line run (min_run={self.min_run}, max_words={self.max_words})",
                f"link-like line (max_words={self.max_words}, inside_core={self.inside_core})",
            ))
        return reasons


# The parameters the Rust detector takes as they are (the regexes go as the lines they match).
_NATIVE_PARAMS = ("detector", "side", "max_words", "min_lines", "keep_title", "keep_standfirst", "min_run",
                  "inside_core", "min_evidence", "prose_too", "min_core_words", "weak_core", "weak_core_max_words",
                  "weak_core_min_line", "comment_end_share", "sparse_end_share", "sparse_window", "inline_box",
                  "teaser_units", "teaser_max_words", "glued_run", "table_rows", "table_gap", "list_rows")

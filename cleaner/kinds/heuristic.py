"""`heuristic`: named line classifiers with parameters, for whole scraped pages.

A rule picks one `detector` and sets its parameters; each span it finds carries a reason naming the
detector and the parameters that fired, so a report says why a line went without any vocabulary.

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

import re

from ..document import BOUNDARY_MAX_WORDS, CORE_BASE_WORDS
from ..matching import FULL, SEARCH, fullmatch_lines, search_lines
from ..patterns import compile_alternation
from .base import Rule

DETECTORS = ("outside-core", "short-line-run", "link-like")
SIDES = ("head", "tail", "both")
# An article-end heading cuts the core only below this share of its prose (a plateau from 0.5 to 0.8
# on the dev pages).
ARTICLE_END_MIN_SHARE = 2 / 3

# A row of short items separated by bars/bullets/arrows, or a breadcrumb trail.
# A bare URL is left alone: an article's own list of sources or shop links is content to its readers.
_LINK_LIKE = compile_alternation([
    r"[^|•·»›>/]{1,30}(?:\s+[|•·»›>/]\s+[^|•·»›>/]{1,30}){2,}",
])


# A list item as text renderings of HTML write one ("* ", "- ", "• "): a box of links is a list, while a
# teaser's headline and byline before its summary are not.
_LIST_ITEM = re.compile(r"\s*[*\-•·▪+]\s+\S")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _weight(line) -> int:
    return max(line.n_words - CORE_BASE_WORDS, 0) if line.is_prose else 0


# A word with a letter in it (not a number, nor a time).
_LETTER_WORD = re.compile(r"\w*[^\W\d_]\w*")
# What a headline above a standfirst is not, besides a list item: a nested list item (text renderings
# mark one with a lower-case "o"), a line ending a sentence, a line with a clock time ("Updated 5:27 am CST").
_NOT_HEADLINE = re.compile(r"\s*o\s+\S|.*(?:\d:\d\d|\.\s*$)")


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

    def line_regexes(self):
        pairs = [(self.evidence, FULL), (self.article_end, FULL), (self.comment_end, FULL), (self.not_core, SEARCH),
                 (self.not_title, SEARCH), (_LINK_LIKE if self.detector == "link-like" else None, FULL)]
        return tuple((regex, mode) for regex, mode in pairs if regex is not None)

    def find(self, doc):
        if self.detector == "outside-core":
            yield from self._outside_core(doc)
        elif self.detector == "short-line-run":
            yield from self._short_line_runs(doc)
        else:
            yield from self._link_like(doc)

    def _span(self, doc, first, last, reason):
        span = self.span_lines(doc, first, last)
        return type(span)(span.start, span.end, span.rule, f"{self.meta.reason}: {reason}")

    # outside-core -------------------------------------------------------------------------------

    def _short(self, line) -> bool:
        return not line.is_prose and line.n_words <= self.max_words

    def _outside_core(self, doc):
        teaser = (self.teaser_units, self.teaser_max_words, self.glued_run) if self.teaser_units else None
        core = doc.core_excluding(self.not_core, self.evidence if self.boundary_cost else None, self.boundary_cost,
                                  teaser)
        if core is None:
            return
        lines = doc.lines
        weak = sum(line.n_words for line in lines[core[0]:core[1] + 1] if line.is_prose) < self.min_core_words
        if weak and (self.weak_core == "skip" or max(line.n_words for line in lines[core[0]:core[1] + 1]
                                                     if line.is_prose) < self.weak_core_min_line):
            return
        # The lines the evidence and article_end regexes match in full, from one scan of the document.
        marked = None if self.evidence is None else set(fullmatch_lines(doc, self.evidence))
        end_lines = set() if self.article_end is None else set(fullmatch_lines(doc, self.article_end))
        comment_lines = set() if self.comment_end is None else set(fullmatch_lines(doc, self.comment_end))
        end_lines |= comment_lines

        def mark(line) -> bool:
            return marked is None or line.index in marked

        def ends_article(line) -> bool:
            return line.n_words <= BOUNDARY_MAX_WORDS and line.index in end_lines

        furniture = (marked or set()) | end_lines
        core = self._cut_at_article_end(lines, core, ends_article, comment_lines, furniture)
        reason = (
            f"outside the article core (max_words={self.max_words}, min_lines={self.min_lines}, "
            f"min_evidence={self.min_evidence})"
        )
        if weak:
            reason = (f"a menu block around a weak core (min_core_words={self.min_core_words}, "
                      f"weak_core_max_words={self.weak_core_max_words}, min_lines={self.min_lines})")
        head = [line for line in lines[:core[0]] if not line.is_blank]
        teasers = set(doc.teaser_summaries(*teaser)) if teaser else set()
        # The article's title sits just above its first paragraph: keep the nearest headline lines.
        not_title = set() if self.not_title is None else {index for index, _, _ in search_lines(doc, self.not_title)}
        kept = self._title_lines([line for line in head if line.index not in not_title], teasers, furniture)
        head = [line for line in head if line.index not in kept]
        tail = [line for line in lines[core[1] + 1:] if not line.is_blank]
        # The evidence is counted over the whole page: a menu's labels above the article show that the
        # text is a whole page, so its tail is page furniture too (and the other way round).
        page_marks = sum(1 for line in (*head, *tail) if mark(line))
        tables = self._tables_near(doc, core, furniture) if self.table_rows or self.list_rows else set()
        head = [line for line in head if line.index not in tables]
        tail = [line for line in tail if line.index not in tables]
        for name, side in (("head", head), ("tail", tail)):
            if self.side not in (name, "both"):
                continue
            short = [line for line in side if self._short(line)]
            if len(short) < self.min_lines or page_marks < self.min_evidence:
                continue
            # After the article, a "Comments" or "Related posts" heading marks furniture too; before
            # it such a heading may sit in a teaser of the article itself.
            marks = [line.index for line in side if mark(line) or (name == "tail" and ends_article(line))]
            marks = marks or [float("inf") if name == "tail" else -1]
            # Prose goes only beyond the furniture's labels (before the last one in the head, after
            # the first one in the tail): prose between them and the core may be the article's own
            # opening or closing paragraph that the core missed.
            if weak:
                for index in self._menu_blocks(side, mark):
                    yield self._span(doc, index, index, reason)
                continue
            for line in side:
                short = self._short(line)
                if not (short or self.prose_too):
                    continue
                if short or line.index in teasers:
                    pass
                elif name == "head" and line.index > marks[-1]:
                    continue
                elif name == "tail" and line.index < marks[0]:
                    continue
                yield self._span(doc, line.index, line.index, reason)

    def _tables_near(self, doc, core, furniture) -> set[int]:
        """Indexes of the lines of the tables next to the core (see table_gap) or running into it, and
        the lines between; after the core, lists (see list_rows) too."""
        kept: set[int] = set()
        lines = doc.lines
        tables = doc.tables(self.table_rows) if self.table_rows else []
        tables_set = set(tables)
        after = sorted(tables_set | set(self._lists(lines, core, furniture))) if self.list_rows else tables
        for step, ordered in ((1, after), (-1, tables[::-1])):
            reach = core[1] if step > 0 else core[0]
            for first, last in ordered:
                near, far = (first, last) if step > 0 else (last, first)
                if (far - reach) * step <= 0:
                    continue  # inside the core or on its other side
                if (near - reach) * step > 0:
                    between = range(reach + step, near, step)
                    if (sum(1 for index in between if lines[index].plain) > self.table_gap
                            or any(index in furniture for index in between)):
                        break
                kept.update(range(min(reach, far), max(reach, far) + 1))
                reach = far
                if (first, last) not in tables_set:
                    break  # a list ends the article: what follows it is the page's again
        kept.difference_update(range(core[0], core[1] + 1))
        return kept

    def _lists(self, lines, core, furniture):
        """(first, last) of each block of at least list_rows successive content lines (no blank line
        between) after the core that holds no furniture label nor article-end heading."""
        block: list = []
        for line in [*lines[core[1] + 1:], None]:
            if line is not None and not line.is_blank:
                block.append(line)
                continue
            # One indentation throughout: a menu's or a thread's nested items are no flat list.
            if (len(block) >= self.list_rows and not any(item.index in furniture for item in block)
                    and len({_indent(item.text) for item in block}) == 1):
                yield block[0].index, block[-1].index
            block = []

    def _menu_blocks(self, side, mark):
        """Indexes of the lines in runs of at least min_lines successive content lines of at most
        weak_core_max_words words (blank lines between them ignored) holding a furniture label."""
        run: list = []
        for line in [*side, None]:
            if line is not None and not line.is_prose and line.n_words <= self.weak_core_max_words:
                run.append(line)
                continue
            if len(run) >= self.min_lines and any(mark(item) for item in run):
                yield from (item.index for item in run)
            run = []

    def _cut_at_article_end(self, lines, core, ends_article, comment_lines, furniture):
        if self.article_end is None and self.comment_end is None:
            return core
        # The share is weighed as the core weighs prose (words beyond a short sentence): a comment
        # form's one-line instructions and a thread's short replies count little against an article.
        total = sum(_weight(line) for line in lines[core[0]:core[1] + 1])
        content = [line for line in lines[core[0]:core[1] + 1] if not line.is_blank]
        prose_words, weight, last_content = 0, 0, core[0]
        for position, line in enumerate(content):
            # A "Related" box inside a news article is followed by more of the article: cut only
            # where most of the core's prose lies above the heading, or a lower share
            # (sparse_end_share) where what follows the heading is mostly short lines.
            share = self.comment_end_share if line.index in comment_lines else ARTICLE_END_MIN_SHARE
            if self.sparse_end_share is not None and ends_article(line) and self._sparse(content[position + 1:position + 1 + self.sparse_window]):
                share = min(share, self.sparse_end_share)
            if (prose_words >= self.min_core_words and weight >= total * share and ends_article(line)
                    and not (line.index not in comment_lines and self._inline_box(content[position + 1:], furniture))):
                return core[0], last_content
            if line.is_prose:
                prose_words += line.n_words
                weight += _weight(line)
            last_content = line.index
        return core

    def _inline_box(self, following, furniture) -> bool:
        """Whether the core's content lines after a heading are a few short list items (a box's links,
        no furniture label or heading among them), then paragraphs only: the article goes on after it."""
        if not self.inline_box:
            return False
        links = 0
        for line in following:
            if line.is_prose:
                break
            if line.index in furniture or not _LIST_ITEM.match(line.text):
                return False
            links += 1
        rest = following[links:]
        return 2 <= links <= self.inline_box and bool(rest) and all(line.is_prose for line in rest)

    @staticmethod
    def _sparse(following) -> bool:
        """Whether the content lines after a heading (sparse_window of them) hold no two prose lines
        in a row: teasers (a headline, a byline, one summary each), not the article's next paragraphs."""
        return not any(a.is_prose and b.is_prose for a, b in zip(following, following[1:]))

    def _title_lines(self, head, teasers: set[int], furniture: set[int]) -> set[int]:
        # Words of letters, not numbers: a date line ("February 7, 2020") between the title and the
        # article is no title, and taking it for one let the title and standfirst go.
        candidates = [
            line for line in reversed(head)
            if line.n_words >= 3 and not line.plain.endswith(":") and len(_LETTER_WORD.findall(line.plain)) >= 3
        ]
        kept = {line.index for line in candidates[:self.keep_title]}
        standfirst: list[int] = []
        for line in candidates if self.keep_standfirst else ():
            if not line.is_prose:  # the headline above the standfirst, if it reads as one
                headline = not (line.index in furniture or _LIST_ITEM.match(line.text) or _NOT_HEADLINE.match(line.text))
                return {line.index, *standfirst} if standfirst and headline else kept
            if _LIST_ITEM.match(line.text):
                continue  # a list's item, a caption set as one: no part of a standfirst, not kept
            if line.index in teasers or len(standfirst) == self.keep_standfirst:
                break  # a teaser's summary, or more prose than a standfirst: no title to find
            standfirst.append(line.index)
        return kept

    # short-line-run -----------------------------------------------------------------------------

    def _short_line_runs(self, doc):
        core = doc.core
        reason = f"short-line run (min_run={self.min_run}, max_words={self.max_words})"
        run: list[int] = []
        for line in [*doc.lines, None]:
            if line is not None and line.is_blank:
                continue
            usable = line is not None and self._short(line)
            if usable and core and not self.inside_core and core[0] <= line.index <= core[1]:
                usable = False
            if usable:
                run.append(line.index)
                continue
            if len(run) >= self.min_run:
                yield self._span(doc, run[0], run[-1], reason)
            run = []

    # link-like ----------------------------------------------------------------------------------

    def _link_like(self, doc):
        reason = f"link-like line (max_words={self.max_words}, inside_core={self.inside_core})"
        core = doc.core
        lines = doc.lines
        for index in fullmatch_lines(doc, _LINK_LIKE):  # answered with the rules' own regexes, in one scan
            line = lines[index]
            # Inside the article a bar-separated line is a table row and a URL a cited source.
            if core and not self.inside_core and core[0] <= line.index <= core[1]:
                continue
            if line.plain.startswith("|"):
                continue
            if line.plain and line.n_words <= self.max_words:
                yield self._span(doc, line.index, line.index, reason)

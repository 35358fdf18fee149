"""The HTML audit page of a batch: every document's text with its removals highlighted by rule (hover
for rule id and reason), and a per-rule table (hits, documents, most frequent removed strings) to spot
over-broad rules.

One self-contained file: inline CSS and JS, no network, every piece of text escaped. Document sections
are written to a temporary file as records arrive (the text is re-read from the source, so memory holds
only the per-rule statistics); the page is assembled and renamed into place on close.
"""
from __future__ import annotations

import errno
import html
import os
import tempfile
from pathlib import Path

from .decode import DecodeError
from .output import make_readable
from .learn import Source, read_file
from .report import STATUSES, Summary
from .ruleset import RuleSet

_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em 2em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
.totals { color: #555; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.rule { cursor: pointer; }
tr.rule:hover, tr.rule.selected { background: #fff6d5; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; vertical-align: middle; margin-right: 0.4em; }
.top { margin: 0; padding-left: 1.1em; }
.top code { white-space: pre-wrap; word-break: break-word; }
.doc { border: 1px solid #ddd; border-radius: 6px; margin: 1em 0; padding: 0.5em 1em; }
.doc h2 { font-size: 1em; margin: 0.3em 0; word-break: break-all; }
.doc .meta { color: #666; font-size: 0.85em; }
pre.text { white-space: pre-wrap; word-wrap: break-word; font: 14px/1.45 ui-monospace, monospace; background: #fafafa; padding: 0.6em; }
del { text-decoration: line-through; border-radius: 2px; }
del:hover { outline: 2px solid #222; }
body.ids del::after { content: " [" attr(data-rule) "]"; font-size: 0.8em; text-decoration: none; display: inline-block; }
body.filtered del:not(.match) { background: none !important; color: #aaa; }
body.filtered .doc:not(.match) { display: none; }
.dom { font-size: 0.9em; }
.failed { color: #a00; }
.controls { position: sticky; top: 0; background: #fff; padding: 0.4em 0; border-bottom: 1px solid #eee; z-index: 1; }
"""

# Small and data-free: it reads the page's attributes, never writes text into HTML.
_JS = """
(function () {
  var body = document.body, select = document.getElementById('rule-filter');
  function apply(rule) {
    select.value = rule;
    body.classList.toggle('filtered', rule !== '');
    document.querySelectorAll('del').forEach(function (d) { d.classList.toggle('match', d.dataset.rule === rule); });
    document.querySelectorAll('.doc').forEach(function (s) {
      s.classList.toggle('match', (' ' + s.dataset.rules + ' ').indexOf(' ' + rule + ' ') >= 0);
    });
    document.querySelectorAll('tr.rule').forEach(function (r) { r.classList.toggle('selected', r.dataset.rule === rule); });
  }
  select.addEventListener('change', function () { apply(select.value); });
  document.querySelectorAll('tr.rule').forEach(function (row) {
    row.addEventListener('click', function () { apply(row.dataset.rule === select.value ? '' : row.dataset.rule); });
  });
  document.getElementById('show-ids').addEventListener('change', function (e) { body.classList.toggle('ids', e.target.checked); });
  body.dataset.ready = document.querySelectorAll('del').length;
})();
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


class AuditWriter:
    """Collects the records of a batch (in the order they come) and writes the audit page on close."""

    def __init__(self, path: Path, rules: RuleSet | None = None):
        self.path = path
        self.rules = rules
        self.summary = Summary()
        self.reasons: dict[str, str] = {}
        self.unchanged: list[str] = []
        self.problems: list[tuple[str, str, str]] = []
        self.sections = 0
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a folder: give a file name", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        # Exclusive creation under an unpredictable name: a planted symlink is never followed.
        fd, body_path = tempfile.mkstemp(prefix=".audit-body-", suffix=".tmp", dir=path.parent)
        self._body_path = Path(body_path)
        self._body = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._cache: tuple[str, list[Source]] | None = None  # the records of the last JSONL file read

    def add(self, record: dict, text: str | None = None) -> None:
        """One report record; `text` is the document's input text when the caller has it (stdin),
        otherwise it is read again from the record's source."""
        self.summary.add(record)
        removals = record.get("removals", [])
        for removal in removals:
            self.reasons.setdefault(removal["rule"], removal.get("reason", ""))
        name = record["source"] + (f" #{record['id']}" if "id" in record else "")
        if record["status"] in ("failed", "skipped"):
            self.problems.append((name, record["status"], record.get("error", "")))
            return
        if not removals:
            self.unchanged.append(name)
            return
        if text is None:
            text = self._text_of(record)
        self._body.write(self._section(name, record, text))
        self.sections += 1

    def _text_of(self, record: dict) -> str | None:
        source = record["source"]
        if self._cache is None or self._cache[0] != source:
            try:
                # A site does not change the text read; it only picks selector rules, as in the batch.
                self._cache = (source, list(read_file(Path(source), site=None, rules=self.rules)))
            except (OSError, DecodeError, ValueError):
                self._cache = (source, [])
        documents = self._cache[1]
        if "id" not in record:
            return documents[0].text if documents else None
        for index, document in enumerate(documents):
            if document.record == record["id"]:
                return documents.pop(index).text  # popped: a repeated id takes the next record
        return None

    def _section(self, name: str, record: dict, text: str | None) -> str:
        removals = record["removals"]
        in_text = [r for r in removals if r.get("start", -1) >= 0]
        dom = [r for r in removals if r.get("start", -1) < 0]
        rules = sorted({r["rule"] for r in removals})
        removed = record.get("chars_in", 0) - record.get("chars_out", 0)
        parts = [
            f'<section class="doc" data-rules="{_e(" ".join(rules))}">',
            f"<h2>{_e(name)}</h2>",
            f'<div class="meta">{_e(record["status"])}: {len(removals)} removals, {removed:,} of '
            f'{record.get("chars_in", 0):,} characters removed; output {_e(record.get("output") or "-")}</div>',
        ]
        if dom:
            parts.append('<div class="dom">Removed from the page before text extraction:<ul>')
            parts += [f"<li>{self._del(r)} <code>{_e(r.get('node', ''))}</code></li>" for r in dom]
            parts.append("</ul></div>")
        if in_text:
            if text is not None and all(text[r["start"]:r["end"]] == r["text"] for r in in_text):
                parts.append(f'<pre class="text">{self._highlight(text, in_text)}</pre>')
            else:
                # The source changed since the batch, or cannot be read: list the removals instead.
                parts.append('<p class="failed">The source text no longer matches the report; the removals:</p><ul>')
                parts += [f"<li>line {r['line']}: {self._del(r)}</li>" for r in in_text]
                parts.append("</ul>")
        parts.append("</section>\n")
        return "\n".join(parts)

    def _highlight(self, text: str, removals: list[dict]) -> str:
        out, position = [], 0
        for removal in sorted(removals, key=lambda r: r["start"]):
            out.append(_e(text[position:removal["start"]]))
            out.append(self._del(removal))
            position = removal["end"]
        out.append(_e(text[position:]))
        return "".join(out)

    def _del(self, removal: dict) -> str:
        rule = removal["rule"]
        title = f"{rule}: {removal.get('reason', '')} ({removal.get('file', '')})"
        return f'<del class="{_css_class(rule)}" data-rule="{_e(rule)}" title="{_e(title)}">{_e(removal["text"])}</del>'

    def close(self) -> None:
        self._body.close()
        fd, name = tempfile.mkstemp(prefix=".audit-", suffix=".tmp", dir=self.path.parent)
        temporary = Path(name)
        make_readable(fd)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(self._head())
                with open(self._body_path, encoding="utf-8") as body:
                    for chunk in iter(lambda: body.read(1 << 20), ""):
                        out.write(chunk)
                out.write(self._foot())
            os.replace(temporary, self.path)
        finally:
            self._body_path.unlink(missing_ok=True)
            temporary.unlink(missing_ok=True)

    def __enter__(self) -> "AuditWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # ----------------------------------------------------------------------------------------------

    def _rules_in_order(self) -> list[str]:
        return [rule for rule, _ in self.summary.removals_by_rule.most_common()]

    def _head(self) -> str:
        s = self.summary
        counts = ", ".join(f"{s.statuses[k]} {k}" for k in STATUSES if s.statuses[k]) or "none"
        removed = s.chars_in - s.chars_out
        total_removals = sum(s.removals_by_rule.values())
        styles = [_CSS]
        for index, rule in enumerate(self._rules_in_order()):
            hue = (index * 137) % 360  # golden-angle steps: neighbouring rules get distant hues
            styles.append(f".{_css_class(rule)} {{ background: hsl({hue} 85% 82%); }}")
        options = "".join(f'<option value="{_e(r)}">{_e(r)}</option>' for r in self._rules_in_order())
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>cleaner audit</title>",
            f"<style>{''.join(styles)}</style></head><body>",
            "<h1>cleaner audit</h1>",
            f'<p class="totals">{s.documents:,} documents: {_e(counts)}. {total_removals:,} removals, {removed:,} of '
            f"{s.chars_in:,} characters removed. Rules hash {_e(self.rules.hash if self.rules else '-')}.</p>",
            '<div class="controls"><label>Rule: <select id="rule-filter"><option value="">all rules</option>'
            f'{options}</select></label> <label><input type="checkbox" id="show-ids"> show rule ids</label></div>',
            "<h2>Rules</h2>",
            "<table><thead><tr><th>rule</th><th>file</th><th>hits</th><th>documents</th><th>characters</th>"
            "<th>most frequent removed strings</th><th>reason</th></tr></thead><tbody>",
        ]
        for rule in self._rules_in_order():
            top = "".join(f"<li><code>{_e(text)}</code> ×{count}</li>" for text, count in s.top_texts(rule, 5))
            parts.append(
                f'<tr class="rule" data-rule="{_e(rule)}"><td><span class="swatch {_css_class(rule)}"></span>{_e(rule)}</td>'
                f"<td>{_e(s.file_by_rule.get(rule, ''))}</td><td class=\"n\">{s.removals_by_rule[rule]:,}</td>"
                f'<td class="n">{s.docs_by_rule[rule]:,}</td><td class="n">{s.chars_by_rule[rule]:,}</td>'
                f'<td><ul class="top">{top}</ul></td><td>{_e(self.reasons.get(rule, ""))}</td></tr>'
            )
        parts.append("</tbody></table>")
        parts.append(f"<h2>Documents with removals ({self.sections:,})</h2>\n")
        return "\n".join(parts)

    def _foot(self) -> str:
        parts = []
        if self.problems:
            parts.append(f"<h2>Failed or skipped ({len(self.problems):,})</h2><ul>")
            parts += [f'<li class="failed">{_e(n)}: {_e(st)}: {_e(err)}</li>' for n, st, err in self.problems]
            parts.append("</ul>")
        if self.unchanged:
            parts.append(f"<h2>Documents without removals ({len(self.unchanged):,})</h2><ul>")
            parts += [f"<li>{_e(n)}</li>" for n in self.unchanged]
            parts.append("</ul>")
        parts.append(f"<script>{_JS}</script></body></html>\n")
        return "\n".join(parts)


def _css_class(rule: str) -> str:
    """Rule ids are kebab-case, so they make valid class names as they are."""
    return "r-" + "".join(c if c.isalnum() or c == "-" else "_" for c in rule)

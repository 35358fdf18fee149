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

from .errors import CleanerError
from .output import make_readable
from .learn import Source, read_file
from .report import STATUSES, Summary
from .ruleset import RuleSet, shipped_rules_dir

_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 2em 2em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
.totals { color: #555; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { max-height: 40vh; overflow: auto; border: 1px solid #eee; }
tr.rule { cursor: pointer; }
tr.rule:hover, tr.rule.selected { background: #fff6d5; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; vertical-align: middle; margin-right: 0.4em; }
.top { margin: 0; padding-left: 1.1em; }
.top code { white-space: pre-wrap; word-break: break-word; }
.doc { border: 1px solid #ddd; border-radius: 6px; margin: 1em 0; padding: 0.5em 1em; }
.doc h2 { font-size: 1em; margin: 0.3em 0; word-break: break-all; }
.doc .meta { color: #666; font-size: 0.85em; }
pre.text { white-space: pre-wrap; word-wrap: break-word; font: 14px/1.45 ui-monospace, monospace; background: #fafafa; padding: 0.6em; }
del { text-decoration: line-through; border-radius: 2px; cursor: pointer; }
del:hover { outline: 2px solid #222; }
del.current { outline: 3px solid #d00; }
del.hit { box-shadow: 0 0 0 3px #1a7f37; }
del.wrong { text-decoration: line-through wavy #d00; opacity: 0.6; }
del.wrong::before { content: "\\2716 "; color: #d00; }
body.ids del::after { content: " [" attr(data-rule) "]"; font-size: 0.8em; text-decoration: none; display: inline-block; }
body.filtered del:not(.match) { background: none !important; color: #aaa; }
body.filtered .doc:not(.match), body.searching .doc:not(.found) { display: none; }
body.filtered tr.docrow:not(.match), body.searching tr.docrow:not(.found) { display: none; }
.fold-more { display: none; }
.fold.open .fold-more { display: inline; }
.fold.open .fold-toggle { display: none; }
.fold-toggle { color: #06c; cursor: pointer; font-style: italic; }
.dom { font-size: 0.9em; }
.failed { color: #a00; }
.controls { position: sticky; top: 0; background: #fff; padding: 0.5em 0; border-bottom: 1px solid #eee; z-index: 2; }
.controls input[type=search] { width: 16em; }
#export { width: 100%; height: 10em; font: 12px ui-monospace, monospace; }
.hint { color: #666; font-size: 0.85em; }
"""

# Small and data-free: it reads the page's attributes, never writes text into HTML.
_JS = """
(function () {
  var body = document.body, select = document.getElementById('rule-filter'), search = document.getElementById('search');
  var status = document.getElementById('where'), exportBox = document.getElementById('export');
  var download = document.getElementById('download'), current = null, list = [];
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function go(element) {
    if (current) current.classList.remove('current');
    current = element || null;
    body.dataset.current = current ? current.id : '';
    if (!current) { status.textContent = ''; return; }
    current.classList.add('current');
    var fold = current.closest('.fold');
    if (fold) fold.classList.add('open');
    current.scrollIntoView({block: 'center'});
    status.textContent = (list.indexOf(current) + 1) + ' of ' + list.length + ': ' + current.dataset.rule +
      ' in ' + current.closest('.doc').dataset.name;
  }
  function step(by) {
    if (!list.length) return;
    var at = list.indexOf(current);
    go(list[(at + by + list.length) % list.length]);
  }
  function applyRule(rule) {
    select.value = rule;
    body.classList.toggle('filtered', rule !== '');
    all('del').forEach(function (d) { d.classList.toggle('match', d.dataset.rule === rule); });
    all('.doc, tr.docrow').forEach(function (s) {
      s.classList.toggle('match', (' ' + s.dataset.rules + ' ').indexOf(' ' + rule + ' ') >= 0);
    });
    all('tr.rule').forEach(function (r) { r.classList.toggle('selected', r.dataset.rule === rule); });
    list = rule ? all('del.match') : [];
    go(list[0]);  // the rule's first removal, in its first document
  }
  function applySearch(query) {
    var q = query.trim().toLowerCase();
    search.value = query;
    body.classList.toggle('searching', q !== '');
    all('del').forEach(function (d) { d.classList.toggle('hit', q !== '' && d.textContent.toLowerCase().indexOf(q) >= 0); });
    all('.doc').forEach(function (s) {
      var found = q !== '' && (s.dataset.name.toLowerCase().indexOf(q) >= 0 || s.textContent.toLowerCase().indexOf(q) >= 0);
      s.classList.toggle('found', found);
      var row = document.getElementById('row-' + s.id);
      if (row) row.classList.toggle('found', found);
    });
    list = q ? all('del.hit') : [];
    body.dataset.hits = list.length;
    go(list[0]);
    if (q && !list.length) status.textContent = 'no removed text holds "' + query + '"';
  }
  function refreshExport() {
    var wrong = all('del.wrong'), byRule = {}, order = [];
    wrong.forEach(function (d) {
      if (!byRule[d.dataset.rule]) { byRule[d.dataset.rule] = []; order.push(d.dataset.rule); }
      byRule[d.dataset.rule].push(d);
    });
    body.dataset.wrong = wrong.length;
    if (!wrong.length) { exportBox.textContent = ''; download.removeAttribute('href'); return; }
    var lines = ['# cleaner audit: ' + wrong.length + ' removals marked wrong', ''];
    order.forEach(function (rule) {
      var marked = byRule[rule], row = all('tr.rule').filter(function (r) { return r.dataset.rule === rule; })[0];
      var hits = row ? row.dataset.hits : '?', where = marked[0].dataset.file + (marked[0].dataset.line ? ':' + marked[0].dataset.line : '');
      lines.push('# ' + rule + ' (' + where + '): ' + marked.length + ' of ' + hits + ' removals marked wrong');
      lines.push('# To leave the rule out:  cleaner clean ... --disable ' + rule);
      lines.push('# To fix it: add these to its keep examples in ' + where + ', then narrow it until `cleaner rules test` passes:');
      lines.push('- id: ' + rule);
      lines.push('  examples:');
      lines.push('    keep:');
      marked.forEach(function (d) { lines.push('      - ' + JSON.stringify(d.textContent)); });
      lines.push('');
    });
    exportBox.textContent = lines.join('\\n');
    download.href = 'data:text/plain;charset=utf-8,' + encodeURIComponent(exportBox.textContent);
  }
  select.addEventListener('change', function () { applyRule(select.value); });
  all('tr.rule').forEach(function (row) {
    row.addEventListener('click', function () { applyRule(row.dataset.rule === select.value ? '' : row.dataset.rule); });
  });
  var typing = null;
  search.addEventListener('input', function () { clearTimeout(typing); typing = setTimeout(function () { applySearch(search.value); }, 200); });
  document.getElementById('next').addEventListener('click', function () { step(1); });
  document.getElementById('previous').addEventListener('click', function () { step(-1); });
  all('del').forEach(function (d) {
    d.addEventListener('click', function () { d.classList.toggle('wrong'); refreshExport(); });
  });
  all('.fold-toggle').forEach(function (t) { t.addEventListener('click', function () { t.parentNode.classList.add('open'); }); });
  document.getElementById('show-ids').addEventListener('change', function (e) { body.classList.toggle('ids', e.target.checked); });
  // State from the address, so a view can be shared (and driven by tests): #rule=ID&q=TEXT&wrong=ID,ID
  var state = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
    var at = pair.indexOf('=');
    if (at > 0) state[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
  });
  if (state.wrong) state.wrong.split(',').forEach(function (id) { var d = document.getElementById(id); if (d) d.classList.add('wrong'); });
  refreshExport();
  if (state.rule) applyRule(state.rule);
  if (state.q) applySearch(state.q);
  body.dataset.ready = all('del').length;
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
        self.index: list[tuple[str, str, int, int, str]] = []  # (section id, name, removals, chars, rules)
        self.where = _rule_locations(rules)
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
        self._body.write(self._section(f"doc-{self.sections}", name, record, text))
        self.sections += 1

    def _text_of(self, record: dict) -> str | None:
        source = record["source"]
        if self._cache is None or self._cache[0] != source:
            try:
                # A site does not change the text read; it only picks selector rules, as in the batch.
                self._cache = (source, list(read_file(Path(source), site=None, rules=self.rules)))
            except (OSError, CleanerError, ValueError):
                self._cache = (source, [])
        documents = self._cache[1]
        if "id" not in record:
            return documents[0].text if documents else None
        for index, document in enumerate(documents):
            if document.record == record["id"]:
                return documents.pop(index).text  # popped: a repeated id takes the next record
        return None

    def _section(self, ident: str, name: str, record: dict, text: str | None) -> str:
        removals = record["removals"]
        numbered = [(f"rm-{ident[4:]}-{k}", r) for k, r in enumerate(removals)]
        in_text = [(i, r) for i, r in numbered if r.get("start", -1) >= 0]
        dom = [(i, r) for i, r in numbered if r.get("start", -1) < 0]
        rules = " ".join(sorted({r["rule"] for r in removals}))
        removed = record.get("chars_in", 0) - record.get("chars_out", 0)
        self.index.append((ident, name, len(removals), removed, rules))
        parts = [
            f'<section class="doc" id="{ident}" data-rules="{_e(rules)}" data-name="{_e(name)}">',
            f"<h2>{_e(name)}</h2>",
            f'<div class="meta">{_e(record["status"])}: {len(removals)} removals, {removed:,} of '
            f'{record.get("chars_in", 0):,} characters removed; output {_e(record.get("output") or "-")}</div>',
        ]
        if dom:
            parts.append('<div class="dom">Removed from the page before or by text extraction:<ul>')
            parts += [f"<li>{self._del(i, r)} <code>{_e(r.get('node', ''))}</code></li>" for i, r in dom]
            parts.append("</ul></div>")
        if in_text:
            if text is not None and all(text[r["start"]:r["end"]] == r["text"] for _, r in in_text):
                parts.append(f'<pre class="text">{self._highlight(text, in_text)}</pre>')
            else:
                # The source changed since the batch, or cannot be read: list the removals instead.
                parts.append('<p class="failed">The source text no longer matches the report; the removals:</p><ul>')
                parts += [f"<li>line {r['line']}: {self._del(i, r)}</li>" for i, r in in_text]
                parts.append("</ul>")
        parts.append("</section>\n")
        return "\n".join(parts)

    def _highlight(self, text: str, removals: list[tuple[str, dict]]) -> str:
        out, position = [], 0
        for ident, removal in sorted(removals, key=lambda item: item[1]["start"]):
            out.append(_folded(text[position:removal["start"]], first=not out))
            out.append(self._del(ident, removal))
            position = removal["end"]
        out.append(_folded(text[position:], last=True))
        return "".join(out)

    def _del(self, ident: str, removal: dict) -> str:
        rule = removal["rule"]
        title = f"{rule}: {removal.get('reason', '')} ({removal.get('file', '')}) - click to mark it wrong"
        label, line, _ = self.where.get(rule, (removal.get("file", ""), None, None))
        return (f'<del id="{ident}" class="{_css_class(rule)}" data-rule="{_e(rule)}" data-file="{_e(label)}" '
                f'data-line="{line or ""}" title="{_e(title)}">{_e(removal["text"])}</del>')

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
            f'{options}</select></label> <button id="previous" type="button">&#9664; previous</button>'
            '<button id="next" type="button">next &#9654;</button> <label>Search removed text: '
            '<input type="search" id="search" placeholder="a word the rules removed"></label> '
            '<label><input type="checkbox" id="show-ids"> show rule ids</label> <span id="where" class="hint"></span></div>',
            '<p class="hint">Pick a rule (or click its row) to see only its removals and step through them; search '
            "finds removed text; click a removal to mark it wrong, and the box at the end says what to do about it. "
            "Long unchanged text is folded: click to unfold.</p>",
            "<h2>Rules</h2>",
            '<div class="scroll"><table><thead><tr><th>rule</th><th>file</th><th>hits</th><th>documents</th><th>characters</th>'
            "<th>most frequent removed strings</th><th>reason</th></tr></thead><tbody>",
        ]
        for rule in self._rules_in_order():
            top = "".join(f"<li><code>{_e(text)}</code> ×{count}</li>" for text, count in s.top_texts(rule, 5))
            label, line, href = self.where.get(rule, (s.file_by_rule.get(rule, ""), None, None))
            shown = _e(label) + (f":{line}" if line else "")
            file_cell = f'<a href="{_e(href)}">{shown}</a>' if href else shown
            parts.append(
                f'<tr class="rule" data-rule="{_e(rule)}" data-hits="{s.removals_by_rule[rule]}"><td><span class="swatch '
                f'{_css_class(rule)}"></span>{_e(rule)}</td><td>{file_cell}</td><td class="n">{s.removals_by_rule[rule]:,}</td>'
                f'<td class="n">{s.docs_by_rule[rule]:,}</td><td class="n">{s.chars_by_rule[rule]:,}</td>'
                f'<td><ul class="top">{top}</ul></td><td>{_e(self.reasons.get(rule, ""))}</td></tr>'
            )
        parts.append("</tbody></table></div>")
        parts.append(f"<h2>Documents with removals ({self.sections:,})</h2>")
        parts.append('<div class="scroll"><table><thead><tr><th>document</th><th>removals</th><th>characters</th>'
                     "<th>rules</th></tr></thead><tbody>")
        parts += [
            f'<tr class="docrow" id="row-{ident}" data-rules="{_e(rules)}"><td><a href="#{ident}">{_e(name)}</a></td>'
            f'<td class="n">{count:,}</td><td class="n">{chars:,}</td><td>{_e(rules)}</td></tr>'
            for ident, name, count, chars, rules in self.index
        ]
        parts.append("</tbody></table></div>\n")
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
        parts.append('<h2>Removals marked wrong</h2><p class="hint">Click removals above to mark them; what to do '
                     'about each rule appears here (a --disable, or keep examples for its file).</p>'
                     '<textarea id="export" readonly></textarea><p><a id="download" download="cleaner-audit-fixes.txt">'
                     "download this as a file</a></p>")
        parts.append(f"<script>{_JS}</script></body></html>\n")
        return "\n".join(parts)


# Unchanged text between removals longer than this many lines is folded to its first and last lines.
_FOLD_LINES = 8
_FOLD_KEEP = 2


def _folded(text: str, first: bool = False, last: bool = False) -> str:
    """Unchanged text, escaped, its middle folded away when long (the lines next to removals stay)."""
    lines = text.split("\n")
    if len(lines) <= _FOLD_LINES:
        return _e(text)
    head = lines[:_FOLD_KEEP] if not first else []
    tail = lines[-_FOLD_KEEP - 1:] if not last else []
    middle = lines[len(head):len(lines) - len(tail)]
    shown_head = "\n".join(head) + ("\n" if head else "")
    shown_tail = ("\n" if tail else "") + "\n".join(tail)
    return (f'{_e(shown_head)}<span class="fold"><span class="fold-toggle">[{len(middle):,} unchanged lines: click to '
            f'show]</span><span class="fold-more">{_e(chr(10).join(middle))}</span></span>{_e(shown_tail)}')


def _rule_locations(rules: RuleSet | None) -> dict[str, tuple[str, int | None, str | None]]:
    """Rule id -> (its file as reports name it, its line there, a file: link to it)."""
    if rules is None:
        return {}
    shipped = shipped_rules_dir()
    where = {}
    for rule in rules:
        label = rule.meta.file
        path = shipped.parent / label if label.startswith("rules/") else Path(label)
        try:
            href = path.resolve().as_uri()
        except ValueError:
            href = None
        where[rule.meta.id] = (label, rule.meta.line, href)
    return where


def _css_class(rule: str) -> str:
    """Rule ids are kebab-case, so they make valid class names as they are."""
    return "r-" + "".join(c if c.isalnum() or c == "-" else "_" for c in rule)

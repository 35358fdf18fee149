"""Hostile and broken rule files: RE2 only, and every broken file is one `Error:` line, exit 2.

A user's rule file must never hang a batch (catastrophic backtracking) nor show a traceback: what is
wrong is named with the file and the rule.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import re2
from typer.testing import CliRunner

from cleaner import clean, load_rules
from cleaner.cli import app
from cleaner.errors import RuleError
from cleaner.ruleset import build_rule

runner = CliRunner()

CATASTROPHIC = """\
id: nested-plus
description: The textbook catastrophic-backtracking pattern
kind: line
pattern: '(a+)+$'
max_chars: 100000
"""


def _alias_bomb(levels: int) -> str:
    """A "billion laughs" rule: 9**levels example strings built from YAML aliases."""
    lines = ["id: alias-bomb", "description: Examples that expand exponentially", "kind: line", "pattern: x",
             "examples:", "  keep:", '    - &l0 ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, levels + 1):
        lines.append(f"    - &l{level} [" + ",".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# (file name, content, a fragment the error must contain). Each is a way a user's rule file goes wrong.
BROKEN = [
    ("yaml-syntax.yaml", "id: a\ndescription: [unclosed\nkind: line\n", "not valid YAML"),
    ("tabs.yaml", "id: tabbed\n\tkind: line\n", "not valid YAML"),
    ("python-tag.yaml", "id: a\ndescription: d\nkind: line\npattern: !!python/object:os.system ls\n", "not valid YAML"),
    ("unhashable-key.yaml", "{id: a, description: d, kind: line, pattern: x, [1]: 2}\n", "not valid YAML"),
    ("not-utf8.yaml", b"id: caf\xe9\ndescription: d\nkind: line\npattern: x\n", "cannot read"),
    ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "cannot read"),
    ("top-list.yaml", "- 1\n- 2\n", "one rule (a mapping)"),
    ("rules-not-list.yaml", "rules: 5\n", "'rules' must be a list"),
    ("rules-extra-key.yaml", "rules: []\n7: x\n", "unknown top-level keys: 7"),
    ("rule-not-mapping.yaml", "rules:\n  - just a string\n", "must be a mapping"),
    ("bad-id.yaml", "id: Not Kebab\ndescription: d\nkind: line\npattern: x\n", "kebab-case"),
    ("no-id.yaml", "description: d\nkind: line\npattern: x\n", "'id' must be kebab-case"),
    ("no-kind.yaml", "id: a\ndescription: d\npattern: x\n", "missing required key 'kind'"),
    ("unknown-kind.yaml", "id: a\ndescription: d\nkind: magic\n", "unknown kind 'magic'"),
    ("unknown-key.yaml", "id: a\ndescription: d\nkind: line\npattern: x\ncolour: red\n", "unknown key(s) colour"),
    ("int-key.yaml", "id: a\ndescription: d\nkind: line\npattern: x\n1: 2\nfoo: 3\n", "keys must be names, got 1"),
    ("null-key.yaml", "{id: a, description: d, kind: line, pattern: x, null: 2}\n", "keys must be names, got None"),
    ("both-patterns.yaml", "id: a\ndescription: d\nkind: line\npattern: x\npatterns: [y]\n", "exactly one of"),
    ("empty-pattern.yaml", "id: a\ndescription: d\nkind: line\npattern: ''\n", "non-empty"),
    ("pattern-number.yaml", "id: a\ndescription: d\nkind: line\npattern: 5\n", "'pattern' must be a pattern"),
    ("pattern-list-of-lists.yaml", "id: a\ndescription: d\nkind: line\npatterns: [[x]]\n", "'patterns' must be a pattern"),
    ("backreference.yaml", "id: a\ndescription: d\nkind: line\npattern: '(a)\\1'\n", "RE2 cannot compile"),
    ("lookahead.yaml", "id: a\ndescription: d\nkind: line\npattern: '(?=a)b'\n", "RE2 cannot compile"),
    ("lookbehind.yaml", "id: a\ndescription: d\nkind: line\npattern: '(?<!a)b'\n", "RE2 cannot compile"),
    ("unbalanced.yaml", "id: a\ndescription: d\nkind: line\npattern: '(abc'\n", "RE2 cannot compile"),
    ("huge-repeat.yaml", "id: a\ndescription: d\nkind: line\npattern: '((a{100}){100}){100}'\n", "RE2 cannot compile"),
    ("negative.yaml", "id: a\ndescription: d\nkind: block\nstart: x\ntake_next: -1\n", "'take_next' must be a whole number"),
    ("bool-int.yaml", "id: a\ndescription: d\nkind: line\npattern: x\nmax_chars: true\n", "'max_chars' must be a whole number"),
    ("nan.yaml", "id: a\ndescription: d\nkind: caption\ncredit: x\nmin_overlap: .nan\n", "'min_overlap' must be a number"),
    ("zone.yaml", "id: a\ndescription: d\nkind: line\npattern: x\nzone: [head]\n", "'zone' must be one of"),
    ("sites.yaml", "id: a\ndescription: d\nkind: line\npattern: x\nsites: 5\n", "'sites' must be a list"),
    ("phrases-map.yaml", "id: a\ndescription: d\nkind: phrase\nphrases: {a: b}\n", "'phrases' must be"),
    ("phrase-punct.yaml", "id: a\ndescription: d\nkind: phrase\nphrases: ['...']\n", "only punctuation"),
    ("examples-map.yaml", "id: a\ndescription: d\nkind: line\npattern: x\nexamples: [x]\n", "'examples' must be a mapping"),
    ("example-number.yaml", "id: a\ndescription: d\nkind: line\npattern: x\nexamples:\n  remove: [5]\n", "entries must be text"),
    ("alias-bomb.yaml", _alias_bomb(10), "aliases expand to more than"),
    ("duplicate-id.yaml", "rules:\n  - {id: a, description: d, kind: line, pattern: x}\n"
                          "  - {id: a, description: d, kind: line, pattern: y}\n", "duplicate id"),
]


@pytest.mark.parametrize("name,content,problem", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_rule_file_is_one_error_line_and_exit_2(tmp_path, name, content, problem):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text("Hello there.\n", encoding="utf-8")
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--rules", str(path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), f"an exception escaped: {result.exception!r}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}"), lines[0]
    assert problem in lines[0], lines[0]
    assert not (tmp_path / "out").exists(), "a bad rule file must stop the run before any output"


@pytest.mark.parametrize("command", [["rules", "list"], ["rules", "test"]])  # lint lists findings instead
def test_rules_commands_report_a_broken_file_the_same_way(tmp_path, command):
    path = tmp_path / "broken.yaml"
    path.write_text("id: a\ndescription: d\nkind: line\npattern: '(?=a)b'\n", encoding="utf-8")
    result = runner.invoke(app, [*command, "--rules", str(path)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"Error: {path}: rule a: 'pattern': RE2 cannot compile")


def test_error_names_file_rule_and_problem_in_a_real_process(tmp_path):
    """The installed entry point, not the test runner: no traceback on stderr."""
    path = tmp_path / "mine.yaml"
    path.write_text("rules:\n  - id: good\n    description: d\n    kind: line\n    pattern: x\n"
                    "  - id: bad-one\n    description: d\n    kind: line\n    pattern: '(a)\\1'\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cleaner", "rules", "list", "--rules", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"Error: {path}: rule bad-one: 'pattern': RE2 cannot compile '(a)\\\\1'")


def test_catastrophic_pattern_runs_on_re2(tmp_path):
    """`(a+)+$` is exponential on a backtracking engine; the rule's regex must be an RE2 one."""
    rule = build_rule({"id": "nested-plus", "description": "d", "kind": "line", "pattern": "(a+)+$"}, "mine.yaml")
    assert isinstance(rule.pattern, re2._Regexp)


@pytest.mark.parametrize("tail", ["b", ""], ids=["no-match", "match"])
def test_catastrophic_pattern_on_a_50000_character_line(tmp_path, tail):
    """Would not finish in any lifetime with backtracking (2**50000 paths on the non-matching line)."""
    path = tmp_path / "hostile.yaml"
    path.write_text(CATASTROPHIC, encoding="utf-8")
    rules = load_rules([path], defaults=False)
    line = "a" * 50_000 + tail
    result = clean(f"A short title\n\n{line}\n", rules=rules)
    removed = [r.text for r in result.removals]
    assert removed == ([] if tail else [line])


def test_every_shipped_rule_regex_is_re2(shipped_rules):
    for rule in shipped_rules:
        for value in vars(rule).values():
            if hasattr(value, "fullmatch") and hasattr(value, "pattern"):
                assert isinstance(value, re2._Regexp), f"{rule.meta.id}: {type(value)}"


def test_rule_error_carries_file_and_rule(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: named-rule\ndescription: d\nkind: line\npattern: '[z-a]'\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules([path], defaults=False)
    assert info.value.file == str(path)
    assert info.value.rule == "named-rule"
    assert "RE2 cannot compile" in info.value.problem


def test_a_missing_rules_path_is_an_error_line(tmp_path):
    result = runner.invoke(app, ["rules", "list", "--rules", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {tmp_path / 'nope.yaml'}: no such rule file or folder"


def test_a_folder_with_one_broken_file_names_that_file(tmp_path):
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "a-good.yaml").write_text("id: fine\ndescription: d\nkind: line\npattern: x\n", encoding="utf-8")
    (folder / "b-bad.yaml").write_text("id: broken\ndescription: d\nkind: line\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "list", "--rules", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {folder / 'b-bad.yaml'}: rule broken: kind 'line' needs exactly one of")

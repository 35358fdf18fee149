"""`cleaner rules list|test|lint`: inspect, test and lint rule files."""
from __future__ import annotations

from pathlib import Path

import pytest

from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.lint import default_corpus, lint
from cleaner.ruleset import load_rules

runner = CliRunner()

GOOD = """\
id: subscribe-now
description: Call to subscribe
kind: line
pattern: '^subscribe now!?$'
examples:
  remove: ["Subscribe now!"]
  keep: ["Readers who subscribe now get the print edition on Sundays as well."]
"""

# The remove example does not match the pattern: `rules test` must say which rule.
WRONG_EXAMPLE = """\
rules:
  - id: sign-in-prompt
    description: Sign-in prompt
    kind: phrase
    phrases: [Sign in]
    examples:
      remove: ["Sign in to read more"]
      keep: ["She did not sign in to the meeting."]
  - id: greedy-keep
    description: Removes a line its keep example says must stay
    kind: line
    pattern: '.*newsletter.*'
    examples:
      remove: ["Get our newsletter"]
      keep: ["The newsletter she started in her kitchen now has many readers."]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_list_shows_id_kind_file_description_of_every_rule(tmp_path):
    extra = write(tmp_path, "mine.yaml", GOOD)
    result = runner.invoke(app, ["rules", "list", "--rules", str(extra)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    shipped = load_rules()
    assert len(lines) == len(shipped) + 1
    for rule in shipped:
        line = next(line for line in lines if line.split()[0] == rule.meta.id)
        assert rule.meta.kind in line.split() and rule.meta.file in line and rule.meta.description in line
    assert any(line.split()[0] == "subscribe-now" and str(extra) in line for line in lines)


def test_rules_test_passes_on_the_shipped_pack():
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def test_rules_test_fails_naming_the_rule_whose_example_is_wrong(tmp_path):
    bad = write(tmp_path, "bad.yaml", WRONG_EXAMPLE)
    result = runner.invoke(app, ["rules", "test", "--rules", str(bad), "--no-default-rules"])
    assert result.exit_code == 1
    fails = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert len(fails) == 2, result.output
    assert "rule sign-in-prompt: remove example 'Sign in to read more'" in fails[0] and str(bad) in fails[0]
    assert "rule greedy-keep: keep example" in fails[1]
    assert "2 failed" in result.output


def test_rules_test_checks_site_scoped_rules_on_their_site(tmp_path):
    scoped = GOOD.replace("kind: line", "kind: line\nsites: [example.com]")
    path = write(tmp_path, "scoped.yaml", scoped)
    result = runner.invoke(app, ["rules", "test", "--rules", str(path), "--no-default-rules"])
    assert result.exit_code == 0, result.output


def test_rules_commands_report_a_bad_rule_file_as_one_error_line(tmp_path):
    bad = write(tmp_path, "bad.yaml", GOOD.replace("pattern:", "patern:"))
    for command in ("list", "test"):
        result = runner.invoke(app, ["rules", command, "--rules", str(bad)])
        assert result.exit_code == 2
        assert result.output.startswith(f"Error: {bad}: rule subscribe-now: unknown key(s) patern")
        assert "Traceback" not in result.output


def test_lint_is_clean_on_the_shipped_pack():
    result = runner.invoke(app, ["rules", "lint"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_lint_finds_every_problem_in_one_pass(tmp_path):
    bad = write(
        tmp_path,
        "bad.yaml",
        """\
rules:
  - id: eats-comments
    description: Any line that mentions comments
    kind: line
    pattern: '.*comments.*'
    examples:
      remove: ["12 comments"]
      keep: ["Nothing here"]
  - id: eats-comments
    description: The same id again
    kind: phrase
    phrases: [Share]
  - id: typo-key
    description: A misspelt key
    kind: line
    patern: 'x'
  - id: untested
    description: No examples at all
    kind: phrase
    phrases: [Share this story]
  - id: no-keep
    description: Remove examples only
    kind: phrase
    phrases: [Print this page]
    examples:
      remove: [Print this page]
""",
    )
    result = runner.invoke(app, ["rules", "lint", "--rules", str(bad), "--no-default-rules"])
    assert result.exit_code == 1
    out = result.output
    assert f"error: {bad}: rule eats-comments: duplicate id" in out
    assert f"error: {bad}: rule typo-key: unknown key(s) patern" in out
    assert f"error: {bad}: rule untested: no examples" in out
    assert f"warning: {bad}: rule no-keep: no keep examples" in out
    assert f"error: {bad}: rule eats-comments: removes clean prose:" in out
    assert "3 rules, 4 errors, 2 warnings" in out  # the duplicate and the misspelt rule are not counted as rules
    assert "rule no-keep: removes" not in out and "rule untested: removes" not in out


def test_lint_warnings_alone_exit_zero(tmp_path):
    path = write(tmp_path, "ok.yaml", GOOD.replace('  keep: ["Readers who subscribe now get the print edition on Sundays as well."]\n', ""))
    result = runner.invoke(app, ["rules", "lint", "--rules", str(path), "--no-default-rules"])
    assert result.exit_code == 0, result.output
    assert "1 rules, 0 errors, 1 warnings" in result.output


def test_lint_corpus_covers_several_languages_and_is_clean_for_a_protected_line(tmp_path):
    names = {p.name.split("_")[0] for p in default_corpus().iterdir() if "_" in p.name}
    assert {"en", "de", "fr", "es", "it", "nl"} <= names
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a.txt", "Title of a story\n\nShare the cost of the bridge, the mayor said, and it will be built.\n")
    rules = write(
        tmp_path,
        "r.yaml",
        """\
rules:
  - id: share-lines
    description: Lines starting with Share
    kind: line
    pattern: 'share .*'
    examples: {remove: ["Share this"], keep: ["Nothing"]}
""",
    )
    findings, count = lint([rules], defaults=False, corpus=corpus)
    assert count == 1 and any("removes clean prose: a.txt line 3" in str(f) for f in findings)
    guarded = rules.read_text() + """\
  - id: keep-mayor-quotes
    description: A line quoting the mayor is article text
    kind: protect
    pattern: '.*the mayor said.*'
    examples: {keep: ["Share the cost, the mayor said."]}
"""
    rules.write_text(guarded)
    findings, _ = lint([rules], defaults=False, corpus=corpus)
    # The corpus is clean now; the protect rule still needs the look-alikes it must not guard.
    assert [(f.rule, f.problem.split(":")[0]) for f in findings if f.severity == "error"] == [("keep-mayor-quotes", "no examples")]
    rules.write_text(guarded.replace('keep: ["Share', 'remove: ["Share this"], keep: ["Share'))
    findings, _ = lint([rules], defaults=False, corpus=corpus)
    assert not [f for f in findings if f.severity == "error"], findings


def test_lint_missing_corpus_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["rules", "lint", "--corpus", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "no such corpus" in result.output


def test_lint_warns_about_a_large_bounded_repeat(tmp_path):
    """`.{0,200}` compiles to a much larger RE2 automaton than `.*` bounded by max_chars."""
    (tmp_path / "slow.yaml").write_text(
        "id: slow-promo\ndescription: d\nkind: line\nmax_chars: 200\npattern: 'buy now.{0,200}'\n"
        "examples:\n  remove: ['Buy now and save']\n  keep: ['They did not buy now, they said.']\n",
        encoding="utf-8",
    )
    findings, count = lint([tmp_path], defaults=False)
    slow = [f for f in findings if "bounded repeat" in f.problem]
    assert count == 1 and len(slow) == 1
    assert slow[0].severity == "warning" and slow[0].rule == "slow-promo" and "{0,200}" in slow[0].problem


@pytest.mark.parametrize("command", [[], ["clean"], ["explain"], ["learn"], ["rules"], ["rules", "lint"]])
def test_dash_h_is_help_for_every_command(command):
    short = CliRunner().invoke(app, [*command, "-h"])
    long = CliRunner().invoke(app, [*command, "--help"])
    assert short.exit_code == 0 and short.output == long.output and "Usage:" in short.output

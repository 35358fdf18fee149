"""Incremental reruns: up-to-date outputs made with the same rules are not redone; --force redoes all."""
from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from cleaner.cli import app

ARTICLE = (
    "Share on Facebook\n\n"
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre.\n"
)


def setup(tmp_path, count=4):
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(count):
        (folder / f"p{number}.txt").write_text(ARTICLE, encoding="utf-8")
        os.utime(folder / f"p{number}.txt", ns=(1_000_000_000, 1_000_000_000))  # older than any output
    return folder


def clean(tmp_path, *args):
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-j", "1", *args])
    assert result.exit_code == 0, result.output
    report = (tmp_path / "out" / "report.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in report.splitlines()]


def mark_outputs(tmp_path):
    """Give every output a known mtime, still newer than the inputs, to see which ones get rewritten."""
    for path in (tmp_path / "out").glob("p*.txt"):
        os.utime(path, ns=(2_000_000_000, 2_000_000_000))


def rewritten(tmp_path):
    return sorted(p.name for p in (tmp_path / "out").glob("p*.txt") if p.stat().st_mtime_ns != 2_000_000_000)


def test_a_rerun_skips_up_to_date_outputs_and_keeps_the_report_whole(tmp_path):
    setup(tmp_path)
    first = clean(tmp_path)
    mark_outputs(tmp_path)
    second = clean(tmp_path)
    assert rewritten(tmp_path) == []
    assert second == first  # the records of the skipped inputs are carried over


def test_a_changed_input_is_redone(tmp_path):
    folder = setup(tmp_path)
    clean(tmp_path)
    mark_outputs(tmp_path)
    (folder / "p2.txt").write_text(ARTICLE + "\nRead more\n", encoding="utf-8")  # now newer than its output
    second = clean(tmp_path)
    assert rewritten(tmp_path) == ["p2.txt"]
    assert [r["rule"] for r in second[2]["removals"]][-1] == "read-more-teaser"


def test_changed_rules_or_force_redo_everything(tmp_path):
    setup(tmp_path)
    clean(tmp_path)
    mark_outputs(tmp_path)
    rules = tmp_path / "extra.yaml"
    rules.write_text("id: no-such-junk\ndescription: A line never seen\nkind: line\npattern: 'zzz never'\n")
    changed = clean(tmp_path, "--rules", str(rules))
    assert rewritten(tmp_path) == ["p0.txt", "p1.txt", "p2.txt", "p3.txt"]
    mark_outputs(tmp_path)
    again = clean(tmp_path, "--rules", str(rules))
    assert rewritten(tmp_path) == [] and again == changed
    clean(tmp_path, "--rules", str(rules), "--force")
    assert rewritten(tmp_path) == ["p0.txt", "p1.txt", "p2.txt", "p3.txt"]


def test_a_deleted_output_is_made_again(tmp_path):
    setup(tmp_path)
    clean(tmp_path)
    mark_outputs(tmp_path)
    (tmp_path / "out" / "p1.txt").unlink()
    clean(tmp_path)
    assert rewritten(tmp_path) == ["p1.txt"]

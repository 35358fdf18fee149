"""JSONL inputs: same records in the same order, other fields kept, the text field cleaned, ids in the report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from typer.testing import CliRunner

from cleaner.cli import app

BODY = (
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre.\n"
    "Supporters argued that the lanes would cut traffic and make the streets safer for children at school.\n"
)


def write_jsonl(path, rows):
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n" for row in rows),
                    encoding="utf-8")


def clean(tmp_path, *args):
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--jobs", "1", *args])
    report = [json.loads(line) for line in (tmp_path / "out" / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    return result, report


def test_records_keep_order_and_fields_and_report_their_ids(tmp_path):
    (tmp_path / "in").mkdir()
    rows = [
        {"id": "b-2", "url": "https://example.org/b", "text": "Share on Facebook\n" + BODY, "meta": {"n": 1.5, "tags": ["x"]}},
        {"id": 7, "text": BODY, "lang": "en"},
        {"text": "Read more\n" + BODY + "Ünïcode stays.\u2028Same line for JSON.\n"},
    ]
    write_jsonl(tmp_path / "in" / "crawl.jsonl", rows)
    result, report = clean(tmp_path)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in (tmp_path / "out" / "crawl.jsonl").read_text(encoding="utf-8").split("\n") if line]
    assert len(out) == 3
    assert [row.get("id") for row in out] == ["b-2", 7, None]
    assert out[0]["meta"] == {"n": 1.5, "tags": ["x"]} and out[0]["url"] == "https://example.org/b"
    assert out[1]["lang"] == "en"
    assert "Share on Facebook" not in out[0]["text"] and BODY.splitlines()[0] in out[0]["text"]
    assert "Read more" not in out[2]["text"] and "Ünïcode stays.\u2028Same line for JSON." in out[2]["text"]
    assert [r["id"] for r in report] == ["b-2", 7, 3]  # no id field: the line number
    assert [r["status"] for r in report] == ["cleaned", "unchanged", "cleaned"]
    assert report[0]["removals"][0]["text"] == "Share on Facebook"


def test_text_and_id_fields_are_options(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "c.jsonl", [{"url": "u1", "content": "Share on Facebook\n" + BODY, "text": "Share on Facebook"}])
    result, report = clean(tmp_path, "--text-field", "content", "--id-field", "url")
    assert result.exit_code == 0, result.output
    row = json.loads((tmp_path / "out" / "c.jsonl").read_text(encoding="utf-8"))
    assert row["text"] == "Share on Facebook"  # not the field asked for: untouched
    assert "Share on Facebook" not in row["content"]
    assert report[0]["id"] == "u1"


def test_a_bad_line_is_kept_and_reported_failed(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "c.jsonl", [{"id": 1, "text": BODY}, "not json {", {"id": 3, "body": "no text"}])
    result, report = clean(tmp_path)
    assert result.exit_code == 1
    lines = (tmp_path / "out" / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "not json {" and json.loads(lines[2]) == {"id": 3, "body": "no text"}
    assert [(r["id"], r["status"]) for r in report] == [(1, "unchanged"), (2, "failed"), (3, "failed")]
    assert "no string field 'text'" in report[2]["error"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_large_jsonl_file_s_records_wait_on_disk_and_come_out_the_same(tmp_path, monkeypatch, jobs):
    """Past SPOOL_AFTER records a file's report records go to a spool file in the run's temporary
    folder, so a worker's memory does not grow with the records of one file."""
    from cleaner import spool
    from cleaner.batch import Options, plan, run

    folder = tmp_path / "in"
    folder.mkdir()
    rows = [json.dumps({"id": n, "text": f"Story {n}.\n\nShare on Facebook\n\nThe council met on day {n}."})
            for n in range(35)]
    rows.insert(20, "not json")
    (folder / "crawl.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    whole = list(run(plan([folder], tmp_path / "whole"), Options(), jobs=jobs))
    monkeypatch.setattr(spool, "SPOOL_AFTER", 10)
    read_back = []
    real_records = spool.SpooledRecords.records
    monkeypatch.setattr(spool.SpooledRecords, "records", lambda self: (read_back.append(self.path), real_records(self))[1])
    temp = tmp_path / "temp"
    temp.mkdir()
    spooled = list(run(plan([folder], tmp_path / "spooled"), Options(temp_dir=temp), jobs=jobs))
    assert len(whole) == 36 and [r["status"] for r in whole].count("failed") == 1
    def same(records):
        return [{k: v for k, v in r.items() if k != "output"} for r in records]
    assert same(spooled) == same(whole)
    assert (tmp_path / "spooled" / "crawl.jsonl").read_bytes() == (tmp_path / "whole" / "crawl.jsonl").read_bytes()
    assert len(read_back) == 1 and Path(read_back[0]).parent == temp
    assert list(temp.iterdir()) == [], "a spool file was left"


def test_jsonl_on_stdin_comes_out_as_from_a_file(tmp_path):
    import subprocess
    import sys

    rows = [{"id": "a", "text": "Share on Facebook\n" + BODY + "Line\u2028break kept.\n", "lang": "en"},
            {"id": "b", "text": BODY}, {"id": "c", "content": "no text field"}]
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "crawl.jsonl", rows)
    result, report = clean(tmp_path)
    data = (tmp_path / "in" / "crawl.jsonl").read_bytes()
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", "-", "--report", "-"], input=data,
                          capture_output=True, timeout=120)
    assert done.returncode == 1  # the record without text is a failed record, as from a file
    assert done.stdout == (tmp_path / "out" / "crawl.jsonl").read_bytes()
    lines = done.stderr.decode().splitlines()
    assert lines[0].startswith("stdin looks like JSONL")
    stdin_report = [json.loads(line) for line in lines[1:]]
    assert [(r["id"], r["status"], r["removals"]) for r in stdin_report] == [(r["id"], r["status"], r["removals"]) for r in report]
    assert {r["source"] for r in stdin_report} == {"-"}
    # --format text takes the same bytes as one text document
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", "-", "--format", "text"], input=data,
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stdout.count(b"\n") <= data.count(b"\n") and b"stdin looks like" not in done.stderr

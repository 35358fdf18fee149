"""What broke when cleaner was attacked (issue 21), each reproducer as the issue gives it.

Data loss and aborted batches, unbounded resources, wrong results without an error, hygiene: each test
fails on the code before its fix. Root-only ones (a 2 MB tmpfs, a read-only mount) skip when not root.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import batch, clean
from cleaner.batch import Options, plan, run_reported
from cleaner.html import page_text
from cleaner.io import streams
from conftest import FIXTURES, processes_mentioning

ARTICLE = (FIXTURES / "seeds" / "raw" / "000_add75b33da20bdc4.txt").read_text(encoding="utf-8")
RATED = (FIXTURES / "seeds" / "raw" / "002_62c6014feff961ea.txt").read_text(encoding="utf-8")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def cli(*args, timeout: float = 300, cwd=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner", *map(os.fsdecode, args)], capture_output=True,
                          timeout=timeout, cwd=cwd, **kwargs)


def lines(path: Path) -> list[dict]:
    """Every line of a report, each of which must be a whole JSON object in UTF-8."""
    return [json.loads(line) for line in path.read_bytes().decode("utf-8").splitlines()]


def report_of(out: Path) -> list[dict]:
    return lines(out / "report.jsonl")


# --- 1. an input overwritten ----------------------------------------------------------------------


def test_an_out_that_encloses_an_input_folder_is_refused_before_any_work(tmp_path):
    (tmp_path / "d" / "d").mkdir(parents=True)
    (tmp_path / "d" / "x.txt").write_text("ORIGINAL\n")
    (tmp_path / "d" / "d" / "x.txt").write_text("Previous Article\n\nInner\n\nText.\n")
    done = cli("clean", "d", "--out", ".", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().startswith("Error: --out . overlaps the input d")
    assert (tmp_path / "d" / "x.txt").read_text() == "ORIGINAL\n"
    assert not (tmp_path / "report.jsonl").exists()


@pytest.mark.parametrize("out", ["in/clean", "in", "in/page.txt/.."])
def test_an_out_inside_or_equal_to_an_input_is_refused(tmp_path, out):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(ARTICLE)
    done = cli("clean", "in", "--out", out, cwd=tmp_path)
    assert done.returncode == 2 and b"overlaps the input" in done.stderr
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["page.txt"]


def test_an_input_file_inside_out_is_refused(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "page.txt").write_text(ARTICLE)
    done = cli("clean", "d/page.txt", "--out", "d", cwd=tmp_path)
    assert done.returncode == 2 and b"overlaps the input d/page.txt" in done.stderr
    assert (tmp_path / "d" / "page.txt").read_text() == ARTICLE


# --- 2. file names that are not UTF-8 -------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("named", [False, True], ids=["in-a-folder", "named"])
def test_a_file_name_with_non_utf8_bytes_is_cleaned_and_reported(tmp_path, jobs, named):
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.fsdecode(b"b\xffx.txt")
    for name in ("a.txt", odd, "c.txt"):
        (folder / name).write_text(ARTICLE)
    inputs = [folder / "a.txt", folder / odd, folder / "c.txt"] if named else [folder]
    done = cli("clean", *inputs, "--out", tmp_path / "out", "--jobs", jobs)
    assert done.returncode == 0, done.stderr
    records = report_of(tmp_path / "out")
    assert [Path(r["source"]).name for r in records] == ["a.txt", "b\\xffx.txt", "c.txt"]
    assert all(r["status"] == "cleaned" for r in records)
    assert (tmp_path / "out" / odd).read_text() == clean(ARTICLE).text
    assert records[1]["output"].endswith("b\\xffx.txt")
    # A rerun finds the odd name's record and reuses it, as for any other.
    again = cli("clean", *inputs, "--out", tmp_path / "out", "--jobs", jobs)
    assert again.returncode == 0 and report_of(tmp_path / "out") == records


# --- 3. a full disk -------------------------------------------------------------------------------


@pytest.fixture
def tiny_tmpfs(tmp_path):
    if not IS_ROOT:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _many_pages(folder: Path, count: int) -> None:
    folder.mkdir()
    for number in range(count):
        (folder / f"page{number:03}.txt").write_text(ARTICLE + f"\nPage number {number}.\n" * 4)


def test_a_full_disk_never_puts_a_partial_report_in_place(tmp_path, tiny_tmpfs):
    _many_pages(tmp_path / "in", 600)  # 3 MB of outputs for a 2 MB file system
    out = tiny_tmpfs / "out"
    done = cli("clean", tmp_path / "in", "--out", out, "--jobs", "2")
    stderr = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in stderr, stderr
    assert "No space left on device" in stderr
    if (out / "report.jsonl").exists():  # whole, and true of the outputs on disk
        for record in report_of(out):
            if record["status"] == "cleaned":
                assert Path(record["output"]).exists()
    # With the report elsewhere, each output that cannot be written is a failed record.
    done = cli("clean", tmp_path / "in", "--out", tiny_tmpfs / "out2", "--report", tmp_path / "r.jsonl", "--force")
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    records = lines(tmp_path / "r.jsonl")
    assert len(records) == 600
    failed = [r for r in records if r["status"] == "failed"]
    assert failed and all("No space left on device" in r["error"] for r in failed)
    assert all(Path(r["output"]).read_text() == clean(Path(r["source"]).read_text()).text
               for r in records if r["status"] == "cleaned")


# --- 4. decompression bombs and huge records ------------------------------------------------------


def _peak_child_rss_mb(*args) -> tuple[subprocess.CompletedProcess, float]:
    """Run the command in a fresh interpreter that reports its children's peak RSS (the run and workers)."""
    code = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "sys.stderr.buffer.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "cleaner", *map(str, args)],
                          capture_output=True, timeout=300)
    return done, int(done.stdout.split()[-1]) / 1024


def test_a_gzip_bomb_fails_alone_in_bounded_memory(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    with gzip.open(folder / "bomb.txt.gz", "wb", compresslevel=9) as bomb:
        zeros = b"\0" * (1 << 20)
        for _ in range(400):  # 400 MB inside, 400 KB on disk
            bomb.write(zeros)
    with gzip.open(folder / "text.txt.gz", "wb") as text:
        for _ in range(30):  # 30 MB of words
            text.write(b"word " * 200_000)
    done, peak = _peak_child_rss_mb("clean", folder, "--out", tmp_path / "out", "--jobs", "1", "--max-bytes", "8M")
    assert done.returncode == 1, done.stderr
    records = {Path(r["source"]).name: r for r in report_of(tmp_path / "out")}
    assert records["a.txt"]["status"] == "cleaned"
    for name in ("bomb.txt.gz", "text.txt.gz"):
        assert records[name]["status"] == "failed"
        assert "larger than --max-bytes (8,388,608 bytes)" in records[name]["error"]
    assert peak < 400, f"peak RSS {peak:.0f} MB"


def test_a_jsonl_record_over_the_cap_fails_alone_and_is_passed_through(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    big = json.dumps({"id": "big", "text": "word " * 1_000_000}).encode() + b"\n"  # 5 MB
    good = [json.dumps({"id": n, "text": ARTICLE}).encode() + b"\n" for n in ("a", "b")]
    (folder / "crawl.jsonl").write_bytes(good[0] + big + good[1])
    done = cli("clean", folder, "--out", tmp_path / "out", "--max-bytes", "1M")
    assert done.returncode == 1, done.stderr
    records = report_of(tmp_path / "out")
    assert [(r["id"], r["status"]) for r in records] == [("a", "cleaned"), (2, "failed"), ("b", "cleaned")]
    assert "larger than --max-bytes" in records[1]["error"]
    written = (tmp_path / "out" / "crawl.jsonl").read_bytes().split(b"\n")
    assert written[1] + b"\n" == big
    assert json.loads(written[2])["text"] == clean(ARTICLE).text


def test_max_bytes_takes_sizes_and_refuses_nonsense(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    done = cli("clean", tmp_path / "in", "--out", tmp_path / "out", "--max-bytes", "1K")
    assert done.returncode == 1 and "larger than --max-bytes (1,024 bytes)" in report_of(tmp_path / "out")[0]["error"]
    done = cli("clean", tmp_path / "in", "--out", tmp_path / "out", "--max-bytes", "lots")
    assert done.returncode == 2 and done.stderr.startswith(b"Error: --max-bytes")


def test_explain_and_learn_read_under_the_cap_too(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with gzip.open(folder / "bomb.txt.gz", "wb", compresslevel=9) as bomb:
        for _ in range(64):  # 64 MB inside, past the default cap
            bomb.write(b"\0" * (1 << 20))
    done, peak = _peak_child_rss_mb("explain", folder / "bomb.txt.gz")
    assert done.returncode == 2 and b"larger than --max-bytes" in done.stderr and peak < 300
    (folder / "crawl.jsonl").write_text(json.dumps({"text": "a\u2028b " + ARTICLE}) + "\n")
    from cleaner.learn import read_file

    (document,) = read_file(folder / "crawl.jsonl")  # split on \n only, as the batch splits
    assert document.text.startswith("a\u2028b ") and document.record == 1


def test_stdin_is_capped_too(tmp_path):
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", "-", "--max-bytes", "1K"],
                          input=ARTICLE.encode(), capture_output=True, timeout=120)
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.startswith(b"Error: stdin: the input is larger than --max-bytes (1,024 bytes)")
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", "-"], input=ARTICLE.encode(),
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stdout.decode() == clean(ARTICLE).text


# --- 5. a hard time limit -------------------------------------------------------------------------


def _stuck_in_native_code(task, rules, options, _real=batch.process):
    if task.source.name == "page005.txt":
        # A minute or more in OpenSSL's C code: the interpreter never gets to run the alarm's handler
        # until it returns, as with lxml stuck on a huge page.
        hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 200_000_000)
    return _real(task, rules, options)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_stuck_in_native_code_is_ended_at_its_time_limit(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(batch, "process", _stuck_in_native_code)  # workers are forked after this
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(10):
        (folder / f"page{number:03}.txt").write_text(ARTICLE.replace("Gaza", f"Gaza {number}"))
    started = time.monotonic()
    records = [r.record for r in run_reported(plan([folder], tmp_path / "out"), Options(timeout=2), jobs=jobs)]
    took = time.monotonic() - started
    assert took < 30, f"took {took:.0f} s"
    by_name = {Path(r["source"]).name: r for r in records}
    assert by_name["page005.txt"] == {**by_name["page005.txt"], "status": "failed", "error": "timed out after 2 s"}
    assert sum(r["status"] == "cleaned" for r in records) == 9
    assert [Path(r["source"]).name for r in records] == [f"page{n:03}.txt" for n in range(10)]


# --- 6. a YAML alias bomb -------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["max_chars", "zone", "pattern"])
def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path, key):
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        levels.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(levels) + "\nid: bomb\ndescription: d\nkind: line\n"
    text += "pattern: '^x$'\n" if key != "pattern" else ""
    text += f"{key}: *i\n"
    (tmp_path / "bomb.yaml").write_text(text)
    assert len(text) < 600
    started = time.monotonic()
    done = cli("rules", "list", "--rules", tmp_path / "bomb.yaml", timeout=60)
    assert time.monotonic() - started < 20
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert done.stderr.startswith(b"Error: ") and b"aliases expand" in done.stderr
    assert len(done.stderr) < 500


def test_an_error_message_never_renders_a_large_value_whole(tmp_path):
    (tmp_path / "big.yaml").write_text(
        "id: big\ndescription: d\nkind: line\npattern: '^x$'\nmax_chars: [" + ", ".join(["123456789"] * 5000) + "]\n"
    )
    done = cli("rules", "list", "--rules", tmp_path / "big.yaml")
    assert done.returncode == 2 and b"max_chars" in done.stderr and len(done.stderr) < 500


# --- 7. reruns reuse only outputs made with the current rules -------------------------------------


def test_a_rerun_never_keeps_outputs_made_with_other_rules(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "rated.txt").write_text(RATED)
    (folder / "other.txt").write_text(ARTICLE)
    out = tmp_path / "out"
    assert cli("clean", folder, "--out", out).returncode == 0
    first = {p.name: p.read_bytes() for p in out.glob("*.txt")}
    first_report = report_of(out)
    assert any(r["rule"] == "rating-widget" for rec in first_report for r in rec["removals"])
    done = cli("clean", folder, "--out", out, "--disable", "rating-widget", "--report", tmp_path / "other.jsonl")
    assert done.returncode == 0
    assert (out / "rated.txt").read_bytes() != first["rated.txt"]
    assert cli("clean", folder, "--out", out).returncode == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.txt")} == first
    assert [(r["source"], r["removals"]) for r in report_of(out)] == [(r["source"], r["removals"]) for r in first_report]


# --- 8. one bad JSONL record ----------------------------------------------------------------------


def test_a_jsonl_record_with_a_lone_surrogate_fails_alone(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [json.dumps({"id": n, "text": ARTICLE}) for n in range(4)]
    rows.insert(2, '{"id": "bad", "text": "Caf\\ud800 au lait"}')
    (folder / "crawl.jsonl").write_text("\n".join(rows) + "\n")
    done = cli("clean", folder, "--out", tmp_path / "out")
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    records = report_of(tmp_path / "out")
    assert [r["status"] for r in records] == ["cleaned", "cleaned", "failed", "cleaned", "cleaned"]
    assert "surrogate" in records[2]["error"]
    written = (tmp_path / "out" / "crawl.jsonl").read_text(encoding="utf-8").splitlines()
    assert written[2] == rows[2]
    assert [json.loads(line)["text"] for line in written[:2] + written[3:]] == [clean(ARTICLE).text] * 4


def test_a_lone_surrogate_in_another_field_stays_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "crawl.jsonl").write_text(json.dumps({"id": "x\ud800", "title": "T\udc00", "text": ARTICLE}) + "\n")
    done = cli("clean", folder, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    (written,) = (tmp_path / "out" / "crawl.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(written)["title"] == "T\udc00"
    assert report_of(tmp_path / "out")[0]["id"] == "x\\ud800"


# --- 9. declared charsets -------------------------------------------------------------------------

PAGE = (
    "<html><head><meta charset=\"{charset}\"><title>Caf\u00e9s</title></head><body><article>"
    "<p>The caf\u00e9 on the corner reopened on Monday with a new menu of cr\u00e8me br\u00fbl\u00e9e and "
    "strong coffee, after a winter of repairs to the old building and its roof.</p>"
    "<p>Its owner said the na\u00efve hope of a quick job had gone by December, but the regulars came back "
    "on the first morning and stayed until closing time.</p></article></body></html>"
)


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "utf-32", "base64", "hex", "rot13", "zlib", "uu"])
def test_a_declared_charset_that_cannot_be_right_is_read_as_browsers_do(tmp_path, charset):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_bytes(PAGE.format(charset=charset).encode("cp1252"))
    done = cli("clean", folder, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    (record,) = report_of(tmp_path / "out")
    assert record["status"] in ("cleaned", "unchanged") and record["chars_in"] > 150
    assert "caf\u00e9 on the corner" in (tmp_path / "out" / "page.txt").read_text()
    explained = cli("explain", folder / "page.html")
    assert explained.returncode == 0 and b"Traceback" not in explained.stderr
    assert "caf\u00e9 on the corner" in explained.stdout.decode()


# --- 10. terminal escapes -------------------------------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m"


def test_explain_never_sends_a_page_s_control_characters(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(f"Share on Facebook {ESCAPES}\n\n" + ARTICLE + f"\n\nThe end {ESCAPES}.\n")
    for colour in ([], ["--no-color"]):
        done = cli("explain", page, *colour)
        text = done.stdout.decode()
        assert done.returncode == 0
        assert "\x07" not in text and "\x9b" not in text and "\x1b]" not in text and "\x1b[2J" not in text
        assert "\\x1b]0;pwned\\x07" in text


def test_file_names_and_rule_descriptions_reach_the_terminal_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\x1b]0;x\x07.txt").write_bytes(b"\x7fELF\x00\x00binary")
    done = cli("clean", folder, "--out", tmp_path / "out")
    assert done.returncode == 1 and b"\x1b" not in done.stderr and b"\x07" not in done.stderr
    assert b"a\\x1b]0;x\\x07.txt" in done.stderr
    rule = tmp_path / "rule.yaml"
    rule.write_text(json.dumps({"id": "esc", "description": f"evil {ESCAPES}", "kind": "line", "pattern": "^x$"}))
    listed = cli("rules", "list", "--rules", rule, "--no-default-rules")
    assert listed.returncode == 0 and b"\x1b" not in listed.stdout and b"evil \\x1b]0;pwned" in listed.stdout


# --- 11. workers die with their parent ------------------------------------------------------------


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_workers_die_when_the_parent_is_killed(tmp_path):
    folder = tmp_path / "in"
    _many_pages(folder, 3000)
    out = tmp_path / "out-marker-workers"
    run = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(folder), "--out", str(out), "--jobs", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _wait_for(lambda: len(processes_mentioning(str(out))) >= 3, 60), "workers did not start"
    workers = [pid for pid in processes_mentioning(str(out)) if pid != run.pid]
    os.kill(run.pid, signal.SIGKILL)  # the parent only
    run.wait()
    assert _wait_for(lambda: not processes_mentioning(str(out)), 10), f"left: {processes_mentioning(str(out))} of {workers}"


# --- 12, 13. temporary files ----------------------------------------------------------------------


def test_a_planted_symlink_at_a_temporary_name_is_never_followed(tmp_path, monkeypatch):
    from cleaner import output

    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    names = iter(["planted", "planted", "fresh"])
    monkeypatch.setattr(output.secrets, "token_hex", lambda n: next(names))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f"{output.TEMP_PREFIX}planted{output.TEMP_SUFFIX}").symlink_to(victim)
    output.write_atomic(tmp_path / "out" / "page.txt", "cleaned\n")
    assert victim.read_text() == "precious\n"
    assert (tmp_path / "out" / "page.txt").read_text() == "cleaned\n"


def test_a_250_byte_file_name_is_cleaned(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = "n" * 246 + ".txt"
    (folder / name).write_text(ARTICLE)
    done = cli("clean", folder, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / name).read_text() == clean(ARTICLE).text


# --- 14, 15. outputs that cannot be written, checked before any work ------------------------------


def _one_input(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    return folder


def test_out_that_is_a_file_is_one_error_line(tmp_path):
    folder = _one_input(tmp_path)
    (tmp_path / "taken").write_text("a file\n")
    done = cli("clean", folder, "--out", tmp_path / "taken")
    assert done.returncode == 2 and done.stderr.decode().count("\n") == 1
    assert b"is a file, not a folder" in done.stderr


@pytest.mark.parametrize("option", ["--report", "--audit"])
def test_report_or_audit_that_is_a_folder_is_refused_before_any_work(tmp_path, option):
    folder = _one_input(tmp_path)
    (tmp_path / "adir").mkdir()
    done = cli("clean", folder, "--out", tmp_path / "out", option, tmp_path / "adir")
    assert done.returncode == 2 and done.stderr.startswith(f"Error: {option}".encode()), done.stderr
    assert b"Traceback" not in done.stderr
    assert not (tmp_path / "out" / "a.txt").exists(), "work was done before the check"
    assert list((tmp_path / "adir").iterdir()) == []


def test_a_read_only_out_is_one_error_line(tmp_path):
    if not IS_ROOT:
        pytest.skip("mounting a read-only file system needs root")
    folder = _one_input(tmp_path)
    mount = tmp_path / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount here")
    try:
        done = cli("clean", folder, "--out", mount / "out")
        assert done.returncode == 2 and b"Read-only file system" in done.stderr and b"Traceback" not in done.stderr
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_report_dash_with_file_inputs_writes_the_records_to_stderr(tmp_path):
    folder = _one_input(tmp_path)
    done = cli("clean", folder, "--out", "out", "--report", "-", cwd=tmp_path)
    assert done.returncode == 0
    assert not (tmp_path / "-").exists() and not (tmp_path / "out" / "report.jsonl").exists()
    (record,) = [json.loads(line) for line in done.stderr.decode().splitlines() if line.startswith("{")]
    assert record["status"] == "cleaned" and record["source"].endswith("a.txt")


# --- 16. one run at a time in an output folder ----------------------------------------------------


def test_a_second_run_into_the_same_out_is_refused_while_the_first_holds_it(tmp_path):
    from cleaner.outdir import OutputFolder

    folder = _one_input(tmp_path)
    with OutputFolder(tmp_path / "out"):
        done = cli("clean", folder, "--out", tmp_path / "out")
        assert done.returncode == 2 and b"is in use by another cleaner run" in done.stderr
        assert not (tmp_path / "out" / "a.txt").exists()
    done = cli("clean", folder, "--out", tmp_path / "out")
    assert done.returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "report.jsonl"]


def test_a_second_run_started_while_the_first_works_is_refused(tmp_path):
    """Two runs of different inputs into one --out: before, both wrote outputs and the last report to
    be renamed into place described only its own (1,000 outputs, 500 records)."""
    first, second = tmp_path / "in1", tmp_path / "in2"
    _many_pages(first, 1500)
    second.mkdir()
    (second / "other.txt").write_text(ARTICLE)
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(first), "--out", str(out), "--jobs", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: len(list(out.glob("page*.txt"))) >= 5, 120), "the first run did not start"
        done = cli("clean", second, "--out", out)
        assert run.poll() is None, "the first run ended before the second started: no overlap to test"
        assert done.returncode == 2 and b"is in use by another cleaner run" in done.stderr
    finally:
        assert run.wait(timeout=300) == 0
    assert not (out / "other.txt").exists()
    assert {Path(r["output"]).name for r in report_of(out)} == {p.name for p in out.glob("*.txt")}


# --- 17. the audit page's text comes from the worker ----------------------------------------------


def test_an_audited_page_s_text_comes_from_the_worker_that_cleaned_it(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    page = PAGE.format(charset="utf-8").replace("</article>", "<p>Share on Facebook</p></article>")
    (folder / "page.html").write_text(page)
    (folder / "a.txt").write_text(ARTICLE)
    options = Options(keep_text=True)
    records = list(run_reported(plan([folder], tmp_path / "out"), options, jobs=2))
    by_name = {Path(r.record["source"]).name: r for r in records}
    assert by_name["page.html"].text == page_text(page) and by_name["a.txt"].text == ARTICLE
    assert all("text" not in json.loads(r.line) for r in records)


# --- issue 24: silent successes -------------------------------------------------------------------


def test_html_on_stdin_is_extracted_unless_text_is_asked_for():
    page = PAGE.format(charset="utf-8").encode()
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", "-"], input=page, capture_output=True, timeout=120)
    assert done.returncode == 0 and b"looks like an HTML page" in done.stderr
    assert b"<p>" not in done.stdout and "caf\u00e9 on the corner" in done.stdout.decode()
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", "-", "--format", "text"], input=page,
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and b"<p>" in done.stdout and b"looks like" not in done.stderr


def test_a_folder_without_inputs_is_not_a_silent_success(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.pdf").write_bytes(b"%PDF-1.4")
    done = cli("clean", tmp_path / "in", "--out", tmp_path / "out")
    assert done.returncode == 1 and b"nothing cleaned: no files of a format cleaner reads" in done.stderr
    done = cli("clean", tmp_path / "in", "--out", tmp_path / "out2", "--audit", tmp_path / "audit.html")
    assert done.returncode == 1 and b"nothing cleaned: no files of a format cleaner reads" in done.stderr
    assert (tmp_path / "audit.html").exists() and not list(tmp_path.glob(".audit*")), "the audit page was not finished"


@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 3500])
def test_a_document_is_read_whole_up_to_the_cap_and_refused_past_it(tmp_path, monkeypatch, gzipped, size):
    # Pieces of 256 bytes: a document of several pieces, and the cap falling inside one.
    monkeypatch.setattr(streams, "_PIECE", 256)
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path = tmp_path / ("doc.txt.gz" if gzipped else "doc.txt")
    path.write_bytes(gzip.compress(data) if gzipped else data)
    if size > 1000:
        with pytest.raises(streams.TooLarge):
            streams.read_document(path, 1000)
    else:
        assert streams.read_document(path, 1000) == data
    assert streams.read_document(path, 0) == data

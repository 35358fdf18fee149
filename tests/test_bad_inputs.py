"""The bad-input battery: every kind of broken file a real scraped folder holds.

Each item gives a clean output or a `failed`/`skipped` record with its reason; the batch goes on and
exits 1 when anything failed; inputs are never modified; outputs appear whole or not at all, also
when the run is killed (kill -9), and the rerun completes.
"""
from __future__ import annotations

import codecs
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

from cleaner import clean
from cleaner.batch import Options, plan, run
from cleaner.output import write_atomic
from cleaner.document import words
from conftest import FIXTURES

ARTICLE = (FIXTURES / "seeds" / "raw" / "000_add75b33da20bdc4.txt").read_text(encoding="utf-8")
PARA = "The council approved the new harbour plan on Monday after a long debate about its cost and timing."
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def batch(inputs, out: Path, jobs: int = 1, timeout: float = Options.timeout) -> dict[str, dict]:
    """Records of an in-process batch, by source file name."""
    records = list(run(plan([Path(i) for i in inputs], out), Options(timeout=timeout), jobs=jobs))
    return {Path(r["source"]).name: r for r in records}


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real command in its own process: what a user sees, tracebacks included."""
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, timeout=timeout)


def report(out: Path) -> dict[str, dict]:
    records = [json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    return {Path(r["source"]).name: r for r in records}


def one(tmp_path: Path, name: str, data: bytes, timeout: float = Options.timeout) -> tuple[dict, Path]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    out = tmp_path / "out"
    return batch([folder], out, timeout=timeout)[name], out


# --- encodings and line breaks --------------------------------------------------------------------


def test_binary_file_fails_with_reason(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
    record, out = one(tmp_path, "image.txt", png)
    assert record["status"] == "failed"
    assert "binary" in record["error"]
    assert not (out / "image.txt").exists()


def test_invalid_utf8_is_decoded_not_failed(tmp_path):
    data = PARA.encode() + b"\n\xff\xfe\xfa broken \xc3 bytes \xed\xa0\x80 here.\n"
    record, out = one(tmp_path, "broken.txt", data)
    assert record["status"] in ("cleaned", "unchanged")
    text = (out / "broken.txt").read_text(encoding="utf-8")  # valid UTF-8 out
    assert PARA in text and "broken" in text and "here." in text


def test_latin1(tmp_path):
    data = "Die Größe der Straße überrascht, sagt Jürgen Müller aus Köln am Montag.\n".encode("latin-1")
    record, out = one(tmp_path, "latin1.txt", data)
    assert record["status"] in ("cleaned", "unchanged")
    assert (out / "latin1.txt").read_text(encoding="utf-8") == data.decode("latin-1")


def test_windows_1252(tmp_path):
    text = "The ticket costs 5 \u20ac \u2013 \u201cgood value\u201d, says the caf\u00e9\u2019s owner.\n"
    record, out = one(tmp_path, "cp1252.txt", text.encode("cp1252"))
    assert record["status"] in ("cleaned", "unchanged")
    assert (out / "cp1252.txt").read_text(encoding="utf-8") == text


def test_mixed_utf8_and_cp1252(tmp_path):
    data = "Größe in UTF-8, ".encode() + "\u201cquoted in cp1252\u201d".encode("cp1252") + " and € again.\n".encode()
    record, out = one(tmp_path, "mixed.txt", data)
    assert record["status"] in ("cleaned", "unchanged")
    assert (out / "mixed.txt").read_text(encoding="utf-8") == "Größe in UTF-8, \u201cquoted in cp1252\u201d and € again.\n"


@pytest.mark.parametrize(
    "bom,encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_bom(tmp_path, bom, encoding):
    text = f"Café title\n\n{PARA}\n"
    record, out = one(tmp_path, "bom.txt", bom + text.encode(encoding))
    assert record["status"] in ("cleaned", "unchanged")
    assert (out / "bom.txt").read_bytes() == text.encode("utf-8")  # no BOM, UTF-8


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_crlf_and_lone_cr(tmp_path, newline):
    text = ARTICLE.replace("\n", newline)
    record, out = one(tmp_path, "breaks.txt", text.encode())
    written = (out / "breaks.txt").read_bytes().decode("utf-8")
    assert "\r" not in written
    assert written == clean(ARTICLE).text  # the same lines as with \n breaks
    assert record["removals"], "the seed's junk is found whatever the line breaks"
    for removal in record["removals"]:  # offsets into the decoded input, breaks included
        assert text[removal["start"]:removal["end"]] == removal["text"]


def test_empty_file(tmp_path):
    record, out = one(tmp_path, "empty.txt", b"")
    assert record["status"] == "unchanged"
    assert (out / "empty.txt").read_bytes() == b""


def test_whitespace_only_file(tmp_path):
    record, out = one(tmp_path, "blank.md", b" \r\n\t\n\n")
    assert record["status"] == "unchanged"
    # Nothing was removed, so the file is written as it came.
    assert (out / "blank.md").read_bytes() == b" \r\n\t\n\n"


# --- size and shape -------------------------------------------------------------------------------


def test_20_mb_file(tmp_path):
    unit = (ARTICLE + "\n").encode()
    data = unit * (20_000_000 // len(unit) + 1)
    # No time limit: about 30 s of CPU on a 2-core CI machine, near the default limit, and this test is
    # about every word being accounted for, not about speed (bench/throughput.py measures that).
    record, out = one(tmp_path, "huge.txt", data, timeout=0)
    assert len(data) >= 20_000_000
    assert record["status"] == "cleaned"
    written = (out / "huge.txt").read_text(encoding="utf-8")
    removed = sum(len(words(r["text"])) for r in record["removals"])
    assert len(words(written)) + removed == len(words(data.decode()))


def test_1_mb_single_line(tmp_path):
    line = " ".join(["word"] * 200_000)
    record, out = one(tmp_path, "oneline.txt", line.encode())
    assert record["status"] == "unchanged"
    assert (out / "oneline.txt").read_text(encoding="utf-8") == line


def test_deeply_nested_html(tmp_path):
    depth = 100_000
    html = "<html><body>" + "<div>" * depth + f"<p>{PARA}</p>" + "</div>" * depth + "</body></html>"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deep.html").write_text(html, encoding="utf-8")
    (folder / "next.txt").write_text(ARTICLE, encoding="utf-8")
    records = batch([folder], tmp_path / "out")
    assert records["deep.html"]["status"] in ("cleaned", "unchanged", "failed")
    if records["deep.html"]["status"] == "failed":
        assert records["deep.html"]["error"] and "internal error" not in records["deep.html"]["error"]
    else:
        assert (tmp_path / "out" / "deep.txt").exists()
    assert records["next.txt"]["status"] == "cleaned"  # the batch went on


def test_deeply_nested_html_in_a_real_process(tmp_path):
    """A stack overflow in native code would kill the process: the command must survive it."""
    depth = 100_000
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deep.html").write_text("<div>" * depth + PARA + "</div>" * depth, encoding="utf-8")
    (folder / "after.txt").write_text(ARTICLE, encoding="utf-8")
    done = cli("clean", str(folder), "--out", str(tmp_path / "out"), "--jobs", "2")
    assert "Traceback" not in done.stderr
    assert set(report(tmp_path / "out")) == {"deep.html", "after.txt"}


@pytest.mark.parametrize("cut", [1, 10, -8, -1], ids=["one-byte", "header-only", "no-trailer", "one-byte-short"])
def test_truncated_gzip(tmp_path, cut):
    data = gzip.compress(ARTICLE.encode())[:cut]
    record, out = one(tmp_path, "page.txt.gz", data)
    assert record["status"] == "failed"
    assert "gzip" in record["error"]
    assert not (out / "page.txt").exists()


def test_empty_gzip_file_is_an_empty_document(tmp_path):
    """Zero bytes decompress to zero bytes: the same as an empty text file, not a failure."""
    record, out = one(tmp_path, "page.txt.gz", b"")
    assert record["status"] == "unchanged"
    assert (out / "page.txt").read_bytes() == b""


def test_good_gzip(tmp_path):
    record, out = one(tmp_path, "page.txt.gz", gzip.compress(ARTICLE.encode()))
    assert record["status"] == "cleaned"
    assert (out / "page.txt").read_text(encoding="utf-8") == clean(ARTICLE).text


def test_gzip_of_binary(tmp_path):
    record, _ = one(tmp_path, "page.md.gz", gzip.compress(b"\x00\x01\x02" * 100))
    assert record["status"] == "failed" and "binary" in record["error"]


# --- files that cannot be read --------------------------------------------------------------------


@pytest.mark.skipif(IS_ROOT, reason="root reads a chmod 000 file anyway; the FIFO, dangling-link and loop tests cover unreadable inputs")
def test_unreadable_file_chmod_000(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "secret.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "secret.txt").chmod(0)
    (folder / "open.txt").write_text(ARTICLE, encoding="utf-8")
    try:
        records = batch([folder], tmp_path / "out")
    finally:
        (folder / "secret.txt").chmod(0o644)
    assert records["secret.txt"]["status"] == "failed"
    assert "Permission denied" in records["secret.txt"]["error"]
    assert records["open.txt"]["status"] == "cleaned"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_named_like_an_input_is_skipped_not_read(tmp_path):
    """Reading a FIFO blocks until a writer comes, which never happens: a hang, so a real process
    with a timeout, and the batch must skip it."""
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "real.txt").write_text(ARTICLE, encoding="utf-8")
    done = cli("clean", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1", timeout=120)
    assert done.returncode == 1
    records = report(tmp_path / "out")
    assert records["pipe.txt"]["status"] == "skipped"
    assert "not a regular file" in records["pipe.txt"]["error"]
    assert records["real.txt"]["status"] == "cleaned"


def test_dangling_symlink(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    records = batch([folder], tmp_path / "out")
    assert records["gone.txt"]["status"] == "failed"
    assert "No such file" in records["gone.txt"]["error"]


def test_directory_named_like_an_input_file(tmp_path):
    folder = tmp_path / "in"
    (folder / "looks-like.txt").mkdir(parents=True)
    (folder / "looks-like.txt" / "inner.txt").write_text(ARTICLE, encoding="utf-8")
    records = batch([folder], tmp_path / "out")
    assert list(records) == ["inner.txt"]
    assert (tmp_path / "out" / "looks-like.txt" / "inner.txt").is_file()


def test_symlink_loops(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "self.md").symlink_to(folder / "self.md")
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder)  # a folder loop: the walk must not follow it
    (folder / "sub" / "page.txt").write_text(ARTICLE, encoding="utf-8")
    records = list(run(plan([folder], tmp_path / "out"), Options(), jobs=1))
    by_name = {Path(r["source"]).name: r for r in records}
    assert len(records) == 4, [r["source"] for r in records]  # each file once, no walk into the loop
    for name in ("a.txt", "b.txt", "self.md"):
        assert by_name[name]["status"] == "failed"
        assert "symbolic links" in by_name[name]["error"]
        assert "internal error" not in by_name[name]["error"]
    assert by_name["page.txt"]["status"] == "cleaned"


# --- the output folder ----------------------------------------------------------------------------


def test_output_folder_inside_the_input_is_refused(tmp_path):
    """An output folder inside an input's tree could take outputs for inputs (issue 21): refused before
    any work, as one equal to the input is."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text(ARTICLE, encoding="utf-8")
    done = cli("clean", str(folder), "--out", str(folder / "cleaned"), "--jobs", "1")
    assert done.returncode == 2 and done.stderr.startswith("Error: --out")
    assert sorted(p.name for p in folder.iterdir()) == ["page.txt"]


def test_output_folder_equal_to_the_input_is_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text(ARTICLE, encoding="utf-8")
    done = cli("clean", str(folder), "--out", str(folder))
    assert done.returncode == 2
    assert done.stderr.startswith("Error: --out")
    assert (folder / "page.txt").read_text(encoding="utf-8") == ARTICLE


def test_write_error_in_the_output_folder(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("blocked.txt", "fine.txt", "sub/also.txt"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    (out / "blocked.txt").mkdir(parents=True)  # a folder where the output file must go
    (out / "sub").write_text("a file where a folder must go", encoding="utf-8")
    done = cli("clean", str(folder), "--out", str(out), "--jobs", "2")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    records = report(out)
    assert records["blocked.txt"]["status"] == "failed"
    assert "directory" in records["blocked.txt"]["error"].lower()
    assert records["also.txt"]["status"] == "failed"
    assert records["fine.txt"]["status"] == "cleaned"
    assert (out / "fine.txt").read_text(encoding="utf-8") == clean(ARTICLE).text
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [], "no temporary file left behind"


def test_write_atomic_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "page.txt"
    target.write_text("the previous, whole output\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "half of it\n" + "\udcff")  # fails mid-write
    assert target.read_text(encoding="utf-8") == "the previous, whole output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]


# --- the whole battery in one batch ---------------------------------------------------------------


def _battery(folder: Path) -> set[str]:
    """One of each bad input (those that fit a quick run) beside good ones; the expected failures."""
    folder.mkdir()
    files = {
        "good.txt": ARTICLE.encode(),
        "binary.txt": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4,
        "invalid.txt": b"Caf\xe9 \xff\xfe au lait.\n",
        "latin1.md": "Größe und Straße.\n".encode("latin-1"),
        "cp1252.txt": "\u201cQuote\u201d \u20ac\n".encode("cp1252"),
        "bom.txt": codecs.BOM_UTF8 + PARA.encode(),
        "crlf.txt": ARTICLE.replace("\n", "\r\n").encode(),
        "cr.txt": ARTICLE.replace("\n", "\r").encode(),
        "empty.txt": b"",
        "oneline.txt": (" ".join(["word"] * 200_000)).encode(),
        "deep.html": ("<div>" * 100_000 + PARA + "</div>" * 100_000).encode(),
        "truncated.txt.gz": gzip.compress(ARTICLE.encode())[:-10],
        "records.jsonl": (json.dumps({"id": 1, "text": ARTICLE}) + "\nnot json\n").encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    (folder / "dangling.txt").symlink_to(folder / "missing-target.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.txt")
    return {"binary.txt", "truncated.txt.gz", "loop-a.txt", "loop-b.txt", "dangling.txt", "fifo.txt", "records.jsonl"}


def _digest(folder: Path) -> dict[str, tuple]:
    state = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else None
        state[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns, content)
    return state


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_battery_batch_goes_on_exits_1_and_leaves_inputs_alone(tmp_path, jobs):
    folder = tmp_path / "in"
    expected_bad = _battery(folder)
    before = _digest(folder)
    out = tmp_path / "out"
    done = cli("clean", str(folder), "--out", str(out), "--jobs", jobs, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    records = [json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    names = {Path(r["source"]).name for r in records}
    inputs = {p.name for p in folder.iterdir()}
    assert names == inputs, "every input has a record"
    bad = {Path(r["source"]).name for r in records if r["status"] in ("failed", "skipped")}
    assert bad == {n for n in expected_bad if n in inputs}
    for record in records:
        if record["status"] in ("failed", "skipped"):
            assert record["error"] and not record["error"].startswith("internal error"), record
    assert _digest(folder) == before, "inputs were modified"
    assert (out / "good.txt").read_text(encoding="utf-8") == clean(ARTICLE).text
    assert "failed or skipped" in done.stderr


# --- interrupted runs -----------------------------------------------------------------------------


def test_kill_9_leaves_no_partial_output_and_the_rerun_completes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    big = (ARTICLE + "\n") * 150  # ~0.5 MB each: a write takes long enough to be caught mid-way
    count = 40
    for index in range(count):
        (folder / f"page{index:03}.txt").write_text(big + f"\nPage number {index}.\n", encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(folder), "--out", str(out), "--jobs", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(out.glob("page*.txt"))) < 5:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its workers, mid-run
    process.wait()
    before = {p.name: p.read_text(encoding="utf-8") for p in out.glob("page*.txt")}
    assert 0 < len(before) < count, "the run was not interrupted mid-way"
    for name, text in before.items():  # a partial file would miss its last line
        assert text.endswith(f"Page number {int(name[4:7])}.\n"), f"{name} is partial"
    done = cli("clean", str(folder), "--out", str(out), "--jobs", "2", timeout=600)
    assert done.returncode == 0, done.stderr
    after = {p.name: p.read_text(encoding="utf-8") for p in out.glob("page*.txt")}
    assert len(after) == count
    assert all(after[name] == text for name, text in before.items()), "an output written before the kill was not whole"
    assert after["page000.txt"] == clean(big + "\nPage number 0.\n").text
    records = report(out)
    assert len(records) == count and all(r["status"] == "cleaned" for r in records.values())


def test_an_output_that_is_the_input_is_refused_file_by_file(tmp_path):
    """A .txt input cleaned into its own folder, directly or through a linked folder, would be
    overwritten: that file fails, the input stays as it was, and the rest of the batch goes on."""
    folder, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    page, other = folder / "page.txt", elsewhere / "other.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    other.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "link").symlink_to(folder)
    for out in (folder, tmp_path / "link"):
        records = list(run(plan([page, other], out), Options()))
        assert [r["status"] for r in records] == ["failed", "cleaned"], records
        assert "overwrite the input" in records[0]["error"]
        assert page.read_text(encoding="utf-8") == ARTICLE
        (folder / "other.txt").unlink()


@pytest.mark.parametrize("temp_dir", [False, True], ids=["beside", "run-temp-folder"])
def test_write_atomic_makes_a_folder_removed_since_it_was_made(tmp_path, temp_dir):
    target = tmp_path / "sub" / "page.txt"
    temp = tmp_path / "temp" if temp_dir else None
    if temp:
        temp.mkdir()
    write_atomic(target, "first\n", temp)
    target.unlink()
    target.parent.rmdir()  # the folder this process made goes away
    write_atomic(target, "second\n", temp)
    assert target.read_text(encoding="utf-8") == "second\n"

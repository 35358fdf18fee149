"""The worker pool: same outputs as one process, a per-document time limit, crash isolation."""
from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from cleaner import batch, matching
from cleaner.batch import Options, plan, run
from cleaner.matching import LineMatcher

ARTICLE = (
    "Town council backs plan for new cycle lanes\n\n"
    "Share on Facebook\n\n"
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre.\n\n"
    "Supporters argued that the lanes would cut traffic and make the streets safer for children at school.\n\n"
    "Read more\n"
)


def make_inputs(root: Path, count: int) -> Path:
    folder = root / "in"
    for number in range(count):
        sub = folder / f"part{number % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"page{number:03}.txt").write_text(ARTICLE.replace("Tuesday", f"day {number}"), encoding="utf-8")
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.txt"))}


def records(inputs: Path, out: Path, jobs: int, **options) -> list[dict]:
    return list(run(plan([inputs], out), Options(**options), jobs=jobs))


def test_two_workers_give_the_same_outputs_and_records_in_order(tmp_path):
    inputs = make_inputs(tmp_path, 40)
    one = records(inputs, tmp_path / "one", jobs=1)
    two = records(inputs, tmp_path / "two", jobs=2)
    assert [r["source"] for r in one] == [r["source"] for r in two]
    assert [r["removals"] for r in one] == [r["removals"] for r in two]
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
    assert len(outputs(tmp_path / "one")) == 40
    assert all(r["status"] == "cleaned" for r in one)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked only where fork exists")
def test_forked_workers_inherit_the_compiled_rules(tmp_path, monkeypatch):
    """The rules' matcher is compiled once, before the workers are forked, not again in each one."""
    compiled_in = tmp_path / "compiled-in"
    parent = os.getpid()
    real_init = LineMatcher.__init__

    def recording_init(self, *args):
        if os.getpid() != parent:
            with open(compiled_in, "a") as marks:
                marks.write(f"{os.getpid()}\n")
        real_init(self, *args)

    monkeypatch.setattr(LineMatcher, "__init__", recording_init)
    matching._MATCHERS.clear()  # as in a fresh process: nothing compiled yet
    found = records(make_inputs(tmp_path, 20), tmp_path / "out", jobs=2)
    assert len(found) == 20 and all(r["status"] == "cleaned" for r in found)
    assert not compiled_in.exists(), "a worker compiled the rules again"


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked only where fork exists")
def test_the_parent_warms_the_matcher_once_and_workers_never(tmp_path, monkeypatch):
    """Warming (scanning the rules' examples so that RE2 builds its common states) pays only if it is
    done once, before the first fork: not again for each renewed pool, never in a worker, and not for
    a batch of fewer than WARM_FROM documents."""
    warmed_in = tmp_path / "warmed-in"
    real_warm = LineMatcher.warm

    def recording_warm(self, texts):
        with open(warmed_in, "a") as marks:
            marks.write(f"{os.getpid()} {len(texts)}\n")
        real_warm(self, texts)

    monkeypatch.setattr(LineMatcher, "warm", recording_warm)
    monkeypatch.setattr(batch, "_warmed", False)
    monkeypatch.setattr(batch, "RENEW_AFTER", 5)  # a new pool every 10 documents with 2 workers
    monkeypatch.setattr(batch, "WARM_FROM", 20)
    # A handful of files is not worth the wait: no warming.
    found = records(make_inputs(tmp_path / "few", 19), tmp_path / "few-out", jobs=2)
    assert len(found) == 19 and all(r["status"] == "cleaned" for r in found)
    assert not warmed_in.exists()
    found = records(make_inputs(tmp_path, 30), tmp_path / "out", jobs=2)
    assert len(found) == 30 and all(r["status"] == "cleaned" for r in found)
    marks = warmed_in.read_text().split("\n")[:-1]
    assert len(marks) == 1, marks
    pid, texts = marks[0].split()
    assert int(pid) == os.getpid() and int(texts) > 1000  # the whole pack's examples


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are renewed only under fork")
def test_workers_are_replaced_after_renew_after_documents_and_nothing_changes(tmp_path, monkeypatch):
    """Fresh workers bound the memory a long batch holds; outputs, records and their order stay those of
    one process, and a worker that dies in a later generation still fails its document only."""
    served_by = tmp_path / "served-by"

    def recording_process(task, rules, options, _real=batch.process):
        with open(served_by, "a") as marks:
            marks.write(f"{os.getpid()}\n")
        if task.source.name == "page031.txt":
            os._exit(3)
        return _real(task, rules, options)

    inputs = make_inputs(tmp_path, 40)
    one = records(inputs, tmp_path / "one", jobs=1)
    monkeypatch.setattr(batch, "RENEW_AFTER", 5)  # a new worker after 5 or 6 documents
    monkeypatch.setattr(batch, "CHUNK", 1)  # (a worker holds up to two chunks when it reaches that)
    monkeypatch.setattr(batch, "process", recording_process)
    two = records(inputs, tmp_path / "two", jobs=2)
    assert [r["source"] for r in two] == [r["source"] for r in one]
    crashed = [r for r in two if r["source"].endswith("page031.txt")]
    assert crashed[0]["status"] == "failed" and "worker process" in crashed[0]["error"]
    assert [(r["status"], r["removals"]) for r in two if r not in crashed] == [
        (r["status"], r["removals"]) for r in one if not r["source"].endswith("page031.txt")
    ]
    expected = {name: data for name, data in outputs(tmp_path / "one").items() if not name.endswith("page031.txt")}
    assert outputs(tmp_path / "two") == expected
    # Seven generations of workers or so (and one replacing the crashed one): none served them all.
    assert len(set(served_by.read_text().split())) >= 6


def _hang_on_page_005(task, rules, options, _real=batch.process):
    if task.source.name == "page005.txt":
        time.sleep(60)
    return _real(task, rules, options)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_over_the_time_limit_fails_and_the_batch_goes_on(tmp_path, monkeypatch, jobs):
    # The workers are forked after the patch, so they run it too.
    monkeypatch.setattr(batch, "process", _hang_on_page_005)
    inputs = make_inputs(tmp_path, 12)
    started = time.monotonic()
    # 5 s: far beyond a normal page (milliseconds), so a loaded machine cannot fail one, far below the hang.
    found = records(inputs, tmp_path / "out", jobs=jobs, timeout=5)
    assert time.monotonic() - started < 40  # not the 60 s of the hang
    failed = [r for r in found if r["status"] == "failed"]
    assert [Path(r["source"]).name for r in failed] == ["page005.txt"]
    assert failed[0]["error"] == "timed out after 5 s"
    assert len(found) == 12 and sum(r["status"] == "cleaned" for r in found) == 11
    assert not (tmp_path / "out" / "part2" / "page005.txt").exists()


def _die_on_page_007(task, rules, options, _real=batch.process):
    if task.source.name == "page007.txt":
        os._exit(13)  # what a segfault in an extractor looks like to the pool
    return _real(task, rules, options)


def test_a_worker_that_dies_fails_its_document_only(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "process", _die_on_page_007)
    inputs = make_inputs(tmp_path, 30)
    found = records(inputs, tmp_path / "out", jobs=2)
    assert len(found) == 30
    by_name = {Path(r["source"]).name: r for r in found}
    assert by_name["page007.txt"]["status"] == "failed"
    assert "worker process" in by_name["page007.txt"]["error"]
    assert all(r["status"] == "cleaned" for name, r in by_name.items() if name != "page007.txt")
    # Input order is kept even around the crash.
    assert [r["source"] for r in found] == [str(t.source) for t in plan([inputs], tmp_path / "x")]
    assert len(outputs(tmp_path / "out")) == 29


def test_tasks_are_pulled_lazily(tmp_path, monkeypatch):
    """The pool never holds more than a bounded number of tasks: memory does not grow with the input.
    (The first WARM_FROM are read ahead, to tell whether the batch is worth warming for.)"""
    monkeypatch.setattr(batch, "WARM_FROM", 10)
    inputs = make_inputs(tmp_path, 200)
    pulled = 0

    def counting():
        nonlocal pulled
        for task in plan([inputs], tmp_path / "out"):
            pulled += 1
            yield task

    stream = run(counting(), Options(), jobs=2)
    next(stream)
    bound = 2 * batch.IN_FLIGHT_PER_WORKER * batch.CHUNK + batch.CHUNK
    assert pulled <= bound < 200
    assert len(list(stream)) == 199

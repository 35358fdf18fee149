"""Walk the inputs, clean each file (in worker processes), write outputs atomically, yield report records.

One bad file never stops the batch: whatever goes wrong with it becomes a `failed` record. Inputs are
only ever read; outputs are written to a temporary file and renamed into place.
"""
from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import re
import signal
import stat
import threading
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from dataclasses import dataclass
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePath

from .decode import DecodeError, decode_bytes, gunzip
from .engine import clean
from .examples import example_texts
from .errors import CleanerError
from .formats import input_format, is_gzipped, output_name
from .guardrail import Guardrail
from .html import clean_html, import_extractor
from .incremental import Incremental
from .matching import matcher_for
from .model import Result
from .report import ReportRecord
from .ruleset import RuleSet, load_rules

_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)


@dataclass(frozen=True)
class Task:
    source: Path
    output: Path
    site: str | None = None


@dataclass(frozen=True)
class Options:
    rule_paths: tuple[str, ...] = ()
    defaults: bool = True
    disabled: tuple[str, ...] = ()  # rule ids left out (--disable)
    dry_run: bool = False
    text_field: str = "text"
    id_field: str = "id"
    timeout: float = 30.0  # seconds per document; 0: no limit
    guardrail: Guardrail = Guardrail()

    def ruleset(self) -> RuleSet:
        """The rules these options name (load_rules builds them once per process)."""
        return load_rules(self.rule_paths, defaults=self.defaults, disable=self.disabled)


def site_from_path(relative: Path) -> str | None:
    """A folder named like a host (example.com/...) tells which site a file came from."""
    for part in relative.parts[:-1]:
        if _HOST.match(part):
            return part.lower()
    return None


def plan(inputs: Iterable[Path], out_dir: Path) -> Iterator[Task | dict]:
    """Tasks for every input file, in a stable order; a record for each file that cannot be a task.

    Two inputs never write the same output: the second (a.html beside a.txt, or the same REL under two
    input folders) is skipped, naming the first. Across several inputs the claimed outputs are kept in
    memory; a single folder needs only each directory's names.
    """
    inputs = list(inputs)
    out_resolved = out_dir.resolve()
    claimed: dict[Path, Path] | None = {} if len(inputs) > 1 else None
    for root in inputs:
        if root.is_dir():
            tasks = _walk(root, out_dir, out_resolved)
        elif input_format(root) is None:
            yield _record(root, None, "skipped", error="not a supported input type (text, Markdown, HTML, JSONL, .gz)")
            continue
        else:
            tasks = iter([Task(root, out_dir / output_name(root))])
        for task in tasks:
            if isinstance(task, Task) and claimed is not None:
                first = claimed.setdefault(task.output, task.source)
                if first != task.source:
                    task = _collision(task, first)
            yield task


def _collision(task: Task, first: Path) -> dict:
    return _record(task.source, task.output, "skipped", error=f"same output as {first}: rename one of them")


def _walk(root: Path, out_dir: Path, out_resolved: Path) -> Iterator[Task | dict]:
    # followlinks=False: a symlink loop cannot trap the walk.
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and (here / d).resolve() != out_resolved
        )
        names = sorted(filenames)
        # Output name -> the input of this folder that writes it, kept only for inputs whose output
        # is named otherwise (a.html, a.txt.gz -> a.txt): an input that keeps its name can only clash
        # with one of those. A dict of every file (Paths) grew the parent by 6.5 MB over a folder of
        # 20,000 files, and each worker forked from it later carried that too.
        renamed: dict[str, str] = {}
        for name in names:
            path = here / name
            if name.startswith(".") or input_format(path) is None:
                continue
            relative = path.relative_to(root)
            output = output_name(path)
            task = Task(path, out_dir / relative.parent / output, site_from_path(relative))
            first = renamed.get(output)
            if first is None and output != name:
                if output < name and _keeps_name(output, names):  # an input that came first
                    first = output
                else:
                    renamed[output] = name
            yield task if first is None else _collision(task, here / first)


def _keeps_name(name: str, names: list[str]) -> bool:
    """Whether `name` is among the sorted `names` as an input whose output has its own name."""
    at = bisect_left(names, name)
    if at == len(names) or names[at] != name or name.startswith("."):
        return False
    return input_format(PurePath(name)) is not None and output_name(PurePath(name)) == name


# Worker side: rules are loaded once per process, not per document.
_worker_rules: RuleSet | None = None
_worker_options: Options | None = None


def init_worker(options: Options) -> None:
    global _worker_rules, _worker_options
    _worker_options = options
    _worker_rules = options.ruleset()
    # Compile the one-pass matcher now (most of a second for the full pack), not inside the first
    # document's time limit, where it made that document time out.
    matcher_for(_worker_rules.for_site(None))
    # The rules live as long as the process: keep the garbage collector from rescanning them.
    gc.freeze()


def work(task: Task) -> list[dict]:
    assert _worker_rules is not None and _worker_options is not None, "init_worker() first"
    return process_with_limit(task, _worker_rules, _worker_options)


def work_chunk(tasks: list[Task]) -> list[list[ReportRecord]]:
    """Runs in a pool worker: the records of each task, which pickle as their report lines and summary
    digests (ReportRecord), so their encoding and counting is done here, not in the parent."""
    return [[ReportRecord(record) for record in work(task)] for task in tasks]


class DocumentTimeout(BaseException):
    """Raised by the alarm in the middle of a document; a BaseException so that no `except Exception`
    in the cleaning code can swallow it."""


def _alarm(signum, frame):
    raise DocumentTimeout


def process_with_limit(task: Task, rules: RuleSet, options: Options) -> list[dict]:
    """process() under the per-document time limit (SIGALRM, so only in a process's main thread:
    elsewhere, as in a threaded Dask worker, the document runs without a limit)."""
    limit = options.timeout
    if input_format(task.source) == "html":
        import_extractor()
    if not limit or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return process(task, rules, options)
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            return process(task, rules, options)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except DocumentTimeout:
        return [_record(task.source, task.output, "failed", error=f"timed out after {limit:g} s")]
    finally:
        signal.signal(signal.SIGALRM, previous)


class SchedulerError(CleanerError):
    """The Dask scheduler cannot be used (not installed, not reachable)."""


def run(
    tasks: Iterable[Task | dict],
    options: Options,
    jobs: int = 1,
    previous: Path | None = None,
    scheduler: str | None = None,
) -> Iterator[dict]:
    """Report records for every task, in input order, cleaning in `jobs` worker processes (or on the
    Dask cluster at `scheduler`). See run_reported()."""
    for reported in run_reported(tasks, options, jobs, previous, scheduler):
        yield reported.record


def run_reported(
    tasks: Iterable[Task | dict],
    options: Options,
    jobs: int = 1,
    previous: Path | None = None,
    scheduler: str | None = None,
) -> Iterator[ReportRecord]:
    """Report records for every task, in input order, cleaning in `jobs` worker processes (or on the
    Dask cluster at `scheduler`); from worker processes they come already encoded and digested.

    Tasks are pulled from `tasks` only as workers free up, so memory stays flat whatever the number
    of files. With `previous` (the last run's report), an input whose output is newer than it and
    was made with the same rules is not cleaned again: its records are copied from that report.
    """
    current = Incremental(previous, options.ruleset().hash) if previous else None
    tasks = _skip_current(tasks, current) if current else tasks
    try:
        if scheduler:
            from .dask_runner import run_dask  # the [dask] extra is optional

            yield from map(_reported, run_dask(tasks, options, scheduler))
        elif jobs <= 1:
            init_worker(options)
            for task in tasks:
                yield from map(ReportRecord, [task] if isinstance(task, dict) else work(task))
        else:
            yield from _run_pool(tasks, options, jobs)
    finally:
        if current is not None:
            current.close()


def _reported(record: dict | ReportRecord) -> ReportRecord:
    return record if isinstance(record, ReportRecord) else ReportRecord(record)


def _skip_current(tasks, current: "Incremental"):
    """Tasks as they come, with an up-to-date one replaced by its previous records."""
    for task in tasks:
        if isinstance(task, Task) and (records := current.records_for(task)) is not None:
            yield from records
        else:
            yield task


# How many tasks go to a worker at once, and how many such chunks may be in flight per worker: enough
# to keep every worker busy, few enough that memory does not grow with the number of files.
CHUNK = 8
IN_FLIGHT_PER_WORKER = 3
# A worker's RE2 automata grow with the variety of text it reads: DFA states are built lazily and
# kept, up to each regex's memory budget. A process's RSS grew by 15 MB from its 1,000th to its 4,000th
# page of 1 KB. So a pool's workers are replaced after this many documents each: forked from the
# parent, which holds the compiled rules, a fresh one starts in milliseconds, and a batch of millions
# of files runs in the memory of a few hundred. Not under spawn, where it would compile the rules again.
# With 1 KB pages and --jobs 2, a cold worker's peak RSS was 106 MB after its 500th page and up to
# 124 MB after its 1,000th; warmed, 141 and 146-152 MB. A fresh worker starts from the automaton states
# the parent built when it warmed (_warm_matcher), so renewing often costs little: 4,000 pages of 1 KB
# took the same worker CPU time renewing after 500 as after 1,000 documents (three runs each).
RENEW_AFTER = 500


def _pool_context():
    # fork starts a worker in milliseconds and with the parent's compiled rules; spawn where there is none.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# A batch warms the parent's matcher (_warm_matcher) only from this many documents on: warming costs
# half a second once, about what cold workers lose over their first few hundred documents, so a
# handful of files would only wait for it (5 files: 2.0 s without, 2.4 s with).
WARM_FROM = 500


def _new_pool(options: Options, jobs: int, warm: bool = False) -> ProcessPoolExecutor:
    context = _pool_context()
    if context.get_start_method() == "fork":
        # Load and compile the rules here, once: every worker forked from this process inherits them
        # (a second or more of regex compilation per worker otherwise), and so does one that replaces
        # a worker that died.
        init_worker(options)
        if warm:
            _warm_matcher()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=init_worker, initargs=(options,))


_warmed = False


def _warm_matcher() -> None:
    """Build the line matcher's common automaton states once in this process, before workers are
    forked from it, by scanning the rules' own examples (see LineMatcher.warm). A cold worker built
    them over its first few hundred documents (0.5-0.8 s of CPU), and a renewed worker paid it again.
    Warmed here (0.5-0.6 s, once per run, in batches of WARM_FROM documents or more), every worker
    inherits them."""
    global _warmed
    if _warmed or _worker_rules is None:
        return
    _warmed = True
    texts = []
    for rule in _worker_rules:
        for example in (*rule.meta.examples_remove, *rule.meta.examples_keep):
            texts.extend(part for part in example_texts(example) if part)
    matcher_for(_worker_rules.for_site(None)).warm(texts)


def _chunks(tasks: Iterable[Task | dict]) -> Iterator[list[Task | dict]]:
    chunk: list[Task | dict] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_pool(tasks: Iterable[Task | dict], options: Options, jobs: int) -> Iterator[ReportRecord]:
    """Chunks of tasks to a process pool, a bounded number in flight, records yielded in input order.

    A worker that dies (a segfault in an extractor, os._exit, the OOM killer) breaks the whole pool and
    every chunk in flight with it. Those chunks' tasks are then run again one at a time in a fresh pool:
    the one that kills its worker again becomes a failed record, the others come out as usual.
    """
    tasks = iter(tasks)
    first = list(islice(tasks, WARM_FROM))  # a few hundred paths: enough to tell a batch from a handful
    warm = len(first) >= WARM_FROM
    tasks = chain(first, tasks)
    pool = _new_pool(options, jobs, warm)
    renew_after = jobs * RENEW_AFTER if _pool_context().get_start_method() == "fork" else None
    handed = 0  # documents given to `pool`
    retired: deque = deque(maxlen=2)  # pools replaced while chunks of theirs may still be in flight
    pending: deque = deque()  # (chunk, future or None for a chunk of records only)
    chunks = _chunks(tasks)
    try:
        while True:
            while len(pending) < jobs * IN_FLIGHT_PER_WORKER:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                work_items = [task for task in chunk if isinstance(task, Task)]
                if work_items and renew_after is not None and handed >= renew_after:
                    pool.shutdown(wait=False)  # its workers exit once their chunks in flight are done
                    retired.append(pool)
                    pool, handed = _new_pool(options, jobs, warm), 0
                pending.append((chunk, pool.submit(work_chunk, work_items) if work_items else None))
                handed += len(work_items)
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                yield from _in_order(chunk, future)
            except (BrokenProcessPool, CancelledError):
                for broken in (*retired, pool):
                    broken.shutdown(wait=True)  # every future is settled now: done, or broken with the pool
                retired.clear()
                pending.appendleft((chunk, future))
                isolation = _new_pool(options, 1)
                while pending:
                    chunk, future = pending.popleft()
                    try:
                        yield from _in_order(chunk, future)  # it finished before the pool broke
                    except (BrokenProcessPool, CancelledError):
                        for task in chunk:
                            records, isolation = _isolated(task, isolation, options)
                            yield from records
                isolation.shutdown(wait=True)
                pool, handed = _new_pool(options, jobs, warm), 0
    finally:
        for finished in (*retired, pool):
            finished.shutdown(wait=True, cancel_futures=True)


def _in_order(chunk: list[Task | dict], future) -> Iterator[ReportRecord]:
    results = iter(future.result() if future is not None else ())
    for task in chunk:
        yield from ([ReportRecord(task)] if isinstance(task, dict) else next(results))


def _isolated(task: Task | dict, pool: ProcessPoolExecutor, options: Options):
    """One task alone in `pool`: its records, and the pool to go on with (a new one if it broke)."""
    if isinstance(task, dict):
        return [ReportRecord(task)], pool
    try:
        return pool.submit(work_chunk, [task]).result()[0], pool
    except BrokenProcessPool:
        pool.shutdown(wait=True)
        error = "the worker process cleaning it died (a crash in native code, or killed)"
        return [ReportRecord(_record(task.source, task.output, "failed", error=error))], _new_pool(options, 1)


def process(task: Task, rules: RuleSet, options: Options) -> list[dict]:
    """Clean one file and write its output; every failure becomes a `failed` record."""
    try:
        # stat() follows symlinks, so a dangling or looping one fails here with its reason (before
        # resolve(), which raises a bare RuntimeError on a loop); reading a FIFO or a device would
        # block or never end, so only regular files are read.
        source_stat = task.source.stat()
        if not stat.S_ISREG(source_stat.st_mode):
            return [_record(task.source, task.output, "skipped", error="not a regular file (a FIFO, socket or device)")]
        if _same_file(task.output, source_stat):
            raise OSError("the output would overwrite the input")
        data = task.source.read_bytes()
        if is_gzipped(task.source):
            data = gunzip(data)
        fmt = input_format(task.source)
        if fmt == "jsonl":
            body, records = _clean_jsonl(task, data, rules, options)
        else:
            if fmt == "html":
                result = clean_html(data, rules=rules, site=task.site, guardrail=options.guardrail)
            else:
                result = clean(decode_bytes(data), rules=rules, site=task.site, guardrail=options.guardrail)
            body, records = result.text, [_record(task.source, task.output, result.status, result, rules)]
        if not options.dry_run:
            write_atomic(task.output, body)
        return records
    except (OSError, DecodeError, ValueError) as exc:
        return [_record(task.source, task.output, "failed", error=_describe(exc))]
    except Exception as exc:  # noqa: BLE001 - the batch goes on, and the record says what broke
        return [_record(task.source, task.output, "failed", error=f"internal error: {type(exc).__name__}: {exc}")]


def _clean_jsonl(task: Task, data: bytes, rules: RuleSet, options: Options) -> tuple[str, list[dict]]:
    """Same records, same order, every other field kept; the text field cleaned. A line that is not
    a JSON object is written through unchanged and reported as failed."""
    lines_out, records = [], []
    text = decode_bytes(data)
    # Split on \n only: a JSON string may hold U+2028 and other breaks that str.splitlines() splits on.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            value = obj.get(options.text_field)
            if not isinstance(value, str):
                raise ValueError(f"no string field {options.text_field!r}")
        except ValueError as exc:
            lines_out.append(line)
            record = _record(task.source, task.output, "failed", error=f"line {number}: {_describe(exc)}")
            record["id"] = number
            records.append(record)
            continue
        record_id = obj.get(options.id_field, number)
        site = _site_of_url(obj.get("url")) or task.site
        result = clean(value, rules=rules, site=site, guardrail=options.guardrail)
        obj[options.text_field] = result.text
        lines_out.append(json.dumps(obj, ensure_ascii=False))
        record = _record(task.source, task.output, result.status, result, rules)
        record["id"] = record_id
        records.append(record)
    return "".join(line + "\n" for line in lines_out), records


def _site_of_url(url) -> str | None:
    if not isinstance(url, str):
        return None
    match = re.match(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", url.strip(), re.IGNORECASE)
    return match.group(1).lower().removeprefix("www.") if match else None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def _record(source, output, status, result: Result | None = None, rules: RuleSet | None = None, error=None) -> dict:
    record = {"source": str(source), "output": str(output) if output else None, "status": status}
    if error:
        record["error"] = error
    if result is not None and result.guard:
        record["guard"] = result.guard
    record["chars_in"] = result.chars_in if result else 0
    record["chars_out"] = result.chars_out if result else 0
    record["rules_hash"] = rules.hash if rules else None
    record["removals"] = [r.to_dict() for r in result.removals] if result else []
    return record


def _same_file(output: Path, source_stat: os.stat_result) -> bool:
    """Whether `output` is the input file itself (the same path, or through a link). One stat: it
    replaced two resolve() calls, which cost a system call per path component of every file."""
    try:
        other = output.stat()
    except OSError:  # no output yet, or an unusable path: writing it will say why
        return False
    return (other.st_dev, other.st_ino) == (source_stat.st_dev, source_stat.st_ino)


# The output folder this process made last: inputs come folder by folder, so a batch writes runs of files
# into the same folder, and a mkdir per file (a failing system call and a Python exception each time) was
# 4% of a run on 1 KB files. One folder, not a set of them: a crawl may have millions.
_last_folder: Path | None = None


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees a partial file."""
    global _last_folder
    data = text.encode("utf-8")  # before any file exists: text that cannot be written leaves nothing
    folder = path.parent
    if folder != _last_folder:
        folder.mkdir(parents=True, exist_ok=True)
        _last_folder = folder
    # Plain strings and os-level calls: a Path and a buffered file object per output were a fifth of
    # what writing a 1 KB output cost in Python.
    temporary = os.path.join(folder, f".{path.name}.{os.getpid()}.tmp")
    try:
        try:
            handle = os.open(temporary, _CREATE, 0o666)
        except FileNotFoundError:  # the folder went away since it was made: make it again
            folder.mkdir(parents=True, exist_ok=True)
            handle = os.open(temporary, _CREATE, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)

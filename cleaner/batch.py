"""Walk the inputs, clean each file (in worker processes), write outputs atomically, yield report records.

One bad file never stops the batch: whatever goes wrong with it becomes a `failed` record. Inputs are
only ever read; outputs are written to a temporary file and renamed into place.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import shutil
import signal
import stat
import tempfile
import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from .decode import decode_bytes
from .engine import clean
from .examples import example_texts
from .errors import CleanerError
from .guardrail import Guardrail
from .html import clean_html_with_text, import_extractor
from .incremental import Incremental, ReusedRecord
from .matching import matcher_for
from .io import DEFAULT_MAX_BYTES, SUPPORTED, Format, Item, ReadOptions, format_of, input_format, output_name, read_document
from .output import write_atomic
from .pool import Pool
from .report import TEXT_KEY, ReportRecord, record_for
from .ruleset import RuleSet, load_rules
from .sites import site_from_path, site_of_url
from .spool import RecordSpool, SpooledRecords
from .textsafe import json_safe, path_text

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
    max_bytes: int = DEFAULT_MAX_BYTES  # per document, unpacked; 0: no cap
    temp_dir: Path | None = None  # where outputs are written before the rename (outdir.OutputFolder)
    keep_text: bool = False  # records carry the text their offsets refer to (for --audit)

    def read_options(self) -> ReadOptions:
        return ReadOptions(self.text_field, self.id_field, self.max_bytes)

    def ruleset(self) -> RuleSet:
        """The rules these options name (load_rules builds them once per process)."""
        return load_rules(self.rule_paths, defaults=self.defaults, disable=self.disabled)


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
            yield record_for(root, None, "skipped", error=f"not a supported input type ({SUPPORTED})")
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
    return record_for(task.source, task.output, "skipped", error=f"same output as {first}: rename one of them")


def _walk(root: Path, out_dir: Path, out_resolved: Path) -> Iterator[Task | dict]:
    # followlinks=False: a symlink loop cannot trap the walk. A folder it cannot list is reported as
    # skipped, not passed over in silence.
    unreadable: list[OSError] = []
    for folder, dirnames, filenames in os.walk(root, onerror=unreadable.append, followlinks=False):
        yield from _unreadable_folders(unreadable)
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
    yield from _unreadable_folders(unreadable)


def _unreadable_folders(errors: list[OSError]) -> Iterator[dict]:
    while errors:
        error = errors.pop(0)
        yield record_for(Path(error.filename or "?"), None, "skipped",
                      error=f"cannot read this folder ({error.strerror or error}): its files were not cleaned")


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
    return process_task(task, _worker_rules, _worker_options)


def reported(records: list) -> list:
    """Records as ReportRecords; a SpooledRecords (a large JSONL file's) passes as it is: see expand()."""
    return [ReportRecord(record, text=record.pop(TEXT_KEY, None)) if isinstance(record, dict) else record
            for record in records]


def expand(records: list) -> Iterator[ReportRecord]:
    """Every ReportRecord of a task's answer, the spooled ones read back from their file."""
    for record in records:
        if isinstance(record, SpooledRecords):
            yield from record.records()
        else:
            yield record


# Called after each JSONL record, so that the pool's parent knows the worker is not stuck on the file.
_tick = None


def _handle(task: Task, tick) -> list[ReportRecord]:
    """A pool worker's job for one task."""
    global _tick
    _tick = tick
    try:
        return reported(work(task))
    finally:
        _tick = None


def _lost(task: Task, why: str) -> list[ReportRecord]:
    return [ReportRecord(record_for(task.source, task.output, "failed", error=why))]


class DocumentTimeout(BaseException):
    """Raised by the alarm in the middle of a document; a BaseException so that no `except Exception`
    in the cleaning code can swallow it."""


def _alarm(signum, frame):
    raise DocumentTimeout


@contextlib.contextmanager
def time_limit(seconds: float):
    """DocumentTimeout after `seconds` (SIGALRM, so only in a process's main thread: elsewhere, as in a
    threaded Dask worker, the document runs without this limit). The pool's parent also kills a worker
    whose document runs past the limit (pool.py): this one ends a document stuck in Python code without
    losing the worker; that one ends it wherever it is stuck."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def process_task(task: Task, rules: RuleSet, options: Options) -> list[dict]:
    """process(), with trafilatura imported first for HTML, outside any document's time limit."""
    fmt = format_of(task.source)
    if fmt is not None and fmt.html:
        import_extractor()
    return process(task, rules, options)


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
    journals: Iterable[Path] = (),
) -> Iterator[ReportRecord]:
    """Report records for every task, in input order, cleaning in `jobs` worker processes (or on the
    Dask cluster at `scheduler`); from worker processes they come already encoded and digested.

    Tasks are pulled from `tasks` only as workers free up, so memory stays flat whatever the number
    of files. With `previous` (the last run's report) and `journals` (what killed runs recorded), an
    input whose output is still the one a record describes, made with the same rules from an input no
    newer than it, is not cleaned again: its records are copied.

    Documents are cleaned in worker processes, even with jobs=1, whenever there is a time limit: a
    document past it is ended by killing its worker, which the batch survives.
    """
    current = Incremental(previous, options.ruleset().hash, journals) if previous else None
    tasks = _skip_current(tasks, current) if current else tasks
    try:
        if scheduler:
            from .dask_runner import run_dask  # the [dask] extra is optional

            yield from expand(map(_reported, run_dask(tasks, options, scheduler)))
        elif jobs <= 1 and not options.timeout:
            init_worker(options)
            for task in tasks:
                yield from [_reported(task)] if isinstance(task, dict) else expand(reported(work(task)))
        else:
            yield from _run_pool(tasks, options, jobs)
    finally:
        if current is not None:
            current.close()


def _reported(record):
    return ReportRecord(record, reused=isinstance(record, ReusedRecord)) if isinstance(record, dict) else record


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
# kept, up to each regex's memory budget. So a worker is replaced after this many documents: forked
# from the parent, which holds the compiled rules (and the states it built when it warmed,
# _warm_matcher), a fresh one starts in milliseconds, and a batch of millions of files runs in the
# memory of a few hundred. Not under spawn, where it would compile the rules again.
RENEW_AFTER = 500


def _pool_context():
    # fork starts a worker in milliseconds and with the parent's compiled rules; spawn where there is none.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# A batch warms the parent's matcher (_warm_matcher) only from this many documents on: warming costs
# half a second once, about what cold workers lose over their first few hundred documents, so a
# handful of files would only wait for it.
WARM_FROM = 500

_warmed = False


def _warm_matcher() -> None:
    """Build the line matcher's common automaton states once in this process, before workers are
    forked from it, by scanning the rules' own examples (see LineMatcher.warm), so that every worker
    inherits them instead of building them over its first few hundred documents."""
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
    """Tasks in lists of CHUNK (the Dask runner's unit of work)."""
    chunk: list[Task | dict] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_pool(tasks: Iterable[Task | dict], options: Options, jobs: int) -> Iterator[ReportRecord]:
    """Every task's records in input order from a pool of `jobs` workers (pool.py), a bounded number of
    tasks in flight. A worker that dies or is killed at the time limit fails its document only."""
    tasks = iter(tasks)
    first = list(islice(tasks, WARM_FROM))  # a few hundred paths: enough to tell a batch from a handful
    context = _pool_context()
    forked = context.get_start_method() == "fork"
    if forked:
        # Load and compile the rules here, once: every worker forked from this process inherits them
        # (a second or more of regex compilation per worker otherwise), and so does a replacement.
        init_worker(options)
        if len(first) >= WARM_FROM:
            _warm_matcher()
    pool = Pool(
        context, jobs, init_worker, (options,), _handle, _lost,
        limit=options.timeout, chunk=CHUNK, in_flight=jobs * IN_FLIGHT_PER_WORKER * CHUNK,
        renew_after=RENEW_AFTER if forked else None,
    )
    items = ((isinstance(task, Task), task) for task in chain(first, tasks))
    for answer in pool.results(items):
        yield from [_reported(answer)] if isinstance(answer, dict) else expand(answer)


def process(task: Task, rules: RuleSet, options: Options) -> list[dict]:
    """Clean one file and write its output; every failure becomes a `failed` record."""
    try:
        # stat() follows symlinks, so a dangling or looping one fails here with its reason (before
        # resolve(), which raises a bare RuntimeError on a loop); reading a FIFO or a device would
        # block or never end, so only regular files are read.
        source_stat = task.source.stat()
        if not stat.S_ISREG(source_stat.st_mode):
            return [record_for(task.source, task.output, "skipped", error="not a regular file (a FIFO, socket or device)")]
        if _same_file(task.output, source_stat):
            raise OSError("the output would overwrite the input")
        fmt = format_of(task.source)
        if fmt.records is not None:
            return _clean_records(task, fmt, rules, options)
        data = read_document(task.source, options.max_bytes)
        try:
            with time_limit(options.timeout):
                if fmt.html:
                    result, text = clean_html_with_text(data, rules=rules, site=task.site, guardrail=options.guardrail)
                else:
                    text = decode_bytes(data)
                    result = clean(text, rules=rules, site=task.site, guardrail=options.guardrail)
        except DocumentTimeout:
            return [record_for(task.source, task.output, "failed", error=f"timed out after {options.timeout:g} s")]
        del data
        record = record_for(task.source, task.output, result.status, result, rules)
        if not options.dry_run:
            record["output_digest"] = write_atomic(task.output, result.text, options.temp_dir)
        if options.keep_text:
            record[TEXT_KEY] = text
        return [record]
    except (OSError, CleanerError, ValueError) as exc:
        return [record_for(task.source, task.output, "failed", error=_describe(exc))]
    except Exception as exc:  # noqa: BLE001 - the batch goes on, and the record says what broke
        return [record_for(task.source, task.output, "failed", error=f"internal error: {type(exc).__name__}: {exc}")]


def _clean_records(task: Task, fmt: Format, rules: RuleSet, options: Options) -> list[dict]:
    """A file of many records (JSONL, WET, WARC, Parquet), read and written a record at a time, each
    record a document of its own (size cap, time limit); the output keeps the records' order and, where
    the format has them, their other fields. A record that cannot be cleaned is reported as failed (and
    written through where the format keeps every record); the others are cleaned."""
    records = RecordSpool(options.temp_dir)
    read_options = options.read_options()
    sink = None if options.dry_run else fmt.sink(task.source, task.output, options.temp_dir, read_options)
    finished = False
    try:
        for item in fmt.records(task.source, read_options):
            if item.error is None:
                try:
                    with time_limit(options.timeout):
                        result, text = _clean_item(item, task.site, rules, options)
                except DocumentTimeout:
                    item.error = f"{item.place}: timed out after {options.timeout:g} s"
            if item.error is not None:
                if sink is not None:
                    sink.write_through(item)
                records.append(_item_record(task, item, "failed", error=item.error))
            else:
                if sink is not None:
                    sink.write(item, result.text)
                record = _item_record(task, item, result.status, result, rules)
                if options.keep_text:
                    record[TEXT_KEY] = text
                records.append(record)
            if _tick is not None:
                _tick()
        answer = records.finish({"output_digest": sink.commit()} if sink is not None else {})
        finished = True
        return answer
    finally:
        if sink is not None:
            sink.close()
        if not finished:
            records.discard()


def clean_record_stream(head: bytes, stream, out, suffix: str, rules: RuleSet, options: Options) -> Iterator[ReportRecord]:
    """A file of many records read from `stream` (stdin, `head` already read from it) and its output
    written to `out` (stdout), as the batch cleans such a file: spooled to a temporary file first, so
    that every record is read, cleaned, written through or reported failed exactly as from a file. Its
    records name the source "-"."""
    with tempfile.TemporaryDirectory(prefix="cleaner-stdin-") as folder:
        source, output = Path(folder) / f"stdin{suffix}", Path(folder) / f"stdout{suffix}"
        with open(source, "wb") as spool:
            spool.write(head)
            shutil.copyfileobj(stream, spool, 1 << 20)
        answer = process_task(Task(source, output), rules, replace(options, temp_dir=Path(folder)))
        if output.exists():
            with open(output, "rb") as cleaned:
                shutil.copyfileobj(cleaned, out, 1 << 20)
        for each in expand(reported(answer)):
            record = each.record
            record["source"], record["output"] = "-", "-"
            record.pop("output_digest", None)
            if record.get("error"):
                record["error"] = record["error"].replace(str(source), "stdin")
            yield ReportRecord(record, text=each.text)


def _clean_item(item: Item, site: str | None, rules: RuleSet, options: Options):
    """One record's Result, and the text its removals' offsets refer to."""
    site = site_of_url(item.url) or site
    if item.html:
        return clean_html_with_text(item.text, rules=rules, site=site, guardrail=options.guardrail)
    return clean(item.text, rules=rules, site=site, guardrail=options.guardrail), item.text


def _item_record(task: Task, item: Item, status: str, result=None, rules=None, error: str | None = None) -> dict:
    record = record_for(task.source, task.output, status, result, rules, error=error)
    record["id"] = item.id
    return record


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {path_text(exc.filename)}" if exc.filename else exc.strerror
    return json_safe(str(exc)) or type(exc).__name__




def _same_file(output: Path, source_stat: os.stat_result) -> bool:
    """Whether `output` is the input file itself (the same path, or through a link). One stat: it
    replaced two resolve() calls, which cost a system call per path component of every file."""
    try:
        other = output.stat()
    except OSError:  # no output yet, or an unusable path: writing it will say why
        return False
    return (other.st_dev, other.st_ino) == (source_stat.st_dev, source_stat.st_ino)

"""Walk the inputs, clean each file (in worker processes), write outputs atomically, yield report records.

One bad file never stops the batch: whatever goes wrong with it becomes a `failed` record. Inputs are
only ever read; outputs are written to a temporary file and renamed into place.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from .decode import DecodeError, decode_bytes, gunzip
from .engine import clean
from .formats import input_format, is_gzipped, output_name
from .html import extract_text
from .model import Result
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
    dry_run: bool = False
    text_field: str = "text"
    id_field: str = "id"


def site_from_path(relative: Path) -> str | None:
    """A folder named like a host (example.com/...) tells which site a file came from."""
    for part in relative.parts[:-1]:
        if _HOST.match(part):
            return part.lower()
    return None


def plan(inputs: Iterable[Path], out_dir: Path) -> Iterator[Task | dict]:
    """Tasks for every input file, in a stable order; a record for each file that cannot be a task."""
    out_resolved = out_dir.resolve()
    for root in inputs:
        if root.is_dir():
            yield from _walk(root, out_dir, out_resolved)
        elif input_format(root) is None:
            yield _record(root, None, "skipped", error="not a supported input type (text, Markdown, HTML, JSONL, .gz)")
        else:
            yield Task(root, out_dir / output_name(root))


def _walk(root: Path, out_dir: Path, out_resolved: Path) -> Iterator[Task]:
    # followlinks=False: a symlink loop cannot trap the walk.
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and (here / d).resolve() != out_resolved
        )
        for name in sorted(filenames):
            path = here / name
            if name.startswith(".") or input_format(path) is None:
                continue
            relative = path.relative_to(root)
            yield Task(path, out_dir / relative.parent / output_name(path), site_from_path(relative))


# Worker side: rules are loaded once per process, not per document.
_worker_rules: RuleSet | None = None
_worker_options: Options | None = None


def init_worker(options: Options) -> None:
    global _worker_rules, _worker_options
    _worker_options = options
    _worker_rules = load_rules(options.rule_paths, defaults=options.defaults)


def work(task: Task) -> list[dict]:
    assert _worker_rules is not None and _worker_options is not None, "init_worker() first"
    return process(task, _worker_rules, _worker_options)


def run(tasks: Iterable[Task | dict], options: Options, jobs: int = 1) -> Iterator[dict]:
    """Report records for every task, in input order, cleaning in `jobs` processes."""
    if jobs <= 1:
        init_worker(options)
        for task in tasks:
            yield from ([task] if isinstance(task, dict) else work(task))
        return
    with get_context("spawn").Pool(jobs, initializer=init_worker, initargs=(options,)) as pool:
        for records in pool.imap(_work_or_pass, tasks, chunksize=4):
            yield from records


def _work_or_pass(task: Task | dict) -> list[dict]:
    return [task] if isinstance(task, dict) else work(task)


def process(task: Task, rules: RuleSet, options: Options) -> list[dict]:
    """Clean one file and write its output; every failure becomes a `failed` record."""
    try:
        if task.output.resolve() == task.source.resolve():
            raise OSError("the output would overwrite the input")
        data = task.source.read_bytes()
        if is_gzipped(task.source):
            data = gunzip(data)
        fmt = input_format(task.source)
        if fmt == "jsonl":
            body, records = _clean_jsonl(task, data, rules, options)
        else:
            text = decode_bytes(data, is_html=fmt == "html")
            if fmt == "html":
                text = extract_text(text)
            result = clean(text, rules=rules, site=task.site)
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
    for number, line in enumerate(text.splitlines(), start=1):
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
        result = clean(value, rules=rules, site=site)
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
    record["chars_in"] = result.chars_in if result else 0
    record["chars_out"] = result.chars_out if result else 0
    record["rules_hash"] = rules.hash if rules else None
    record["removals"] = [r.to_dict() for r in result.removals] if result else []
    return record


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise

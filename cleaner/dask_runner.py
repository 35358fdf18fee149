"""Run a batch on an existing Dask distributed cluster (`--scheduler ADDRESS`, extra `cleaner[dask]`).

The client walks the inputs and writes the report; each Dask task cleans a chunk of files with the same
process() a local run uses, so outputs are identical byte for byte. Workers read the inputs and write
the outputs themselves: the input and output folders must be at the same paths on every worker (a
shared or network file system), as in any Dask file pipeline. Rules are loaded once per worker process.
A bounded number of chunks is in flight, so the client's memory does not grow with the number of files.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .batch import CHUNK, Options, SchedulerError, Task, _chunks, process_task, reported
from .report import record_for
from .report import ReportRecord
from .ruleset import RuleSet, load_rules

IN_FLIGHT_PER_THREAD = 2


@lru_cache(maxsize=4)
def _rules(rule_paths: tuple[str, ...], defaults: bool, disabled: tuple[str, ...] = ()) -> RuleSet:
    """Compiled once per worker process (and per rule set), not per task."""
    return load_rules(rule_paths, defaults=defaults, disable=disabled)


def clean_chunk(tasks: list[Task], options: Options) -> list[list[ReportRecord]]:
    """Runs on a Dask worker: the records of each task, outputs written as in a local run; they travel
    as report lines and summary digests (ReportRecord), as from a local pool's workers."""
    rules = _rules(options.rule_paths, options.defaults, options.disabled)
    return [reported(process_task(task, rules, options)) for task in tasks]


def run_dask(tasks: Iterable[Task | dict], options: Options, address: str) -> Iterator[dict | ReportRecord]:
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask: pip install 'cleaner[dask]'") from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"--scheduler {address}: cannot connect: {exc}") from None
    try:
        threads = max(sum(client.nthreads().values()), 1)
        pending: deque = deque()
        chunks = _chunks(tasks)
        while True:
            while len(pending) < threads * IN_FLIGHT_PER_THREAD:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                work = [task for task in chunk if isinstance(task, Task)]
                # pure=False: a rerun must clean again, not reuse a cached result.
                future = client.submit(clean_chunk, work, options, pure=False) if work else None
                pending.append((chunk, future))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results = iter(future.result() if future is not None else ())
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the chunk's workers kept dying
                error = f"the Dask task failed: {type(exc).__name__}: {exc}"
                results = iter([[record_for(task.source, task.output, "failed", error=error)] for task in chunk
                                if isinstance(task, Task)])
            for task in chunk:
                yield from ([task] if isinstance(task, dict) else next(results))
    finally:
        client.close()


__all__ = ["run_dask", "clean_chunk", "CHUNK"]

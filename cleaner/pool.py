"""Worker processes with a hard time limit per document.

Each worker is a process of its own, given chunks of tasks over a pipe and answering each task's records
as it finishes it (and a tick after each JSONL record). The parent knows what every worker is doing and
since when, so a document over its time is ended whatever it is doing: its worker is killed (a hang in
native code cannot be interrupted from inside) and replaced, the document reported `failed`, and the rest
of its chunk given to another worker. A worker that dies fails only the document it was on. Workers die
with their parent (a parent-death signal, and the pipe closing), so a killed run leaves no process behind.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import wait

# Seconds past the time limit before a worker is killed: the worker's own alarm ends a document that
# is in Python code at the limit, with a record of its own, and keeps the worker (and its warm matcher).
KILL_GRACE = 1.0


class Worker:
    """One worker process and what it holds: chunks sent, the time its current document started."""

    def __init__(self, context, target: Callable, args: tuple):
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=target, args=(child, os.getpid(), *args), daemon=True)
        self.process.start()
        child.close()
        self.chunks: deque = deque()  # [sequence numbers, tasks, index of the current task]
        self.started = time.monotonic()
        self.documents = 0

    def kill(self) -> None:
        if self.process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)
        self.process.join()
        self.conn.close()

    def retire(self) -> None:
        """Ask it to exit once its chunks are done (it answers them first)."""
        with contextlib.suppress(OSError):
            self.conn.send(None)


def worker_main(conn, parent: int, initializer: Callable, init_args: tuple, handle: Callable) -> None:
    """A worker's life: die with the parent, then clean chunk after chunk until told to stop."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    initializer(*init_args)

    def tick() -> None:
        conn.send(("tick",))

    while True:
        try:
            tasks = conn.recv()
        except (EOFError, OSError):
            return
        if tasks is None:
            return
        for task in tasks:
            conn.send(("done", handle(task, tick)))


def _die_with_parent(parent: int) -> None:
    if hasattr(os, "getppid") and os.getppid() != parent:
        os._exit(1)  # the parent died before this line
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the pipe closing ends the worker when it next waits for work
    if os.getppid() != parent:
        os._exit(1)


class Pool:
    """Runs `handle(task, tick)` in `jobs` workers; `results()` yields each task's answer in input order.

    `failed(task, why)` makes the answer for a task whose worker was killed or died. At most
    `in_flight` items are pulled from the input ahead of the one yielded next, so memory stays flat.
    """

    def __init__(self, context, jobs: int, initializer: Callable, init_args: tuple, handle: Callable,
                 failed: Callable, limit: float, chunk: int, in_flight: int, renew_after: int | None):
        self.context, self.jobs = context, jobs
        self.spec = (initializer, init_args, handle)
        self.failed, self.limit, self.chunk, self.in_flight = failed, limit, chunk, in_flight
        self.renew_after = renew_after
        self.workers: list[Worker] = []
        self.retired: list[Worker] = []
        self.answers: dict[int, object] = {}
        self.requeued: deque = deque()  # (sequence number, task) taken back from a lost worker, in order
        self.pulled = self.yielded = 0
        self.exhausted = False

    def results(self, items: Iterable[tuple[bool, object]]) -> Iterator[object]:
        """`items`: (True, task) for work, (False, answer) for an answer known already."""
        items = iter(items)
        finished = False
        try:
            for _ in range(self.jobs):
                self._start()
            while True:
                for worker in list(self.workers):
                    if self.renew_after and worker.documents >= self.renew_after:
                        continue  # it is retired once its chunks are done
                    while len(worker.chunks) < 2 and (batch := self._next_batch(items)):
                        if not self._send(worker, batch):
                            break
                while self.yielded in self.answers:
                    yield self.answers.pop(self.yielded)
                    self.yielded += 1
                if self.exhausted and self.yielded == self.pulled and not self.requeued:
                    finished = True
                    return
                if any(worker.chunks for worker in self.workers):
                    self._wait()
                # else the window held only answers known already (an up-to-date rerun): pull more
        finally:
            self.close(kill=not finished)

    def _next_batch(self, items: Iterator) -> list[tuple[int, object]]:
        batch: list[tuple[int, object]] = []
        while self.requeued and len(batch) < self.chunk:
            batch.append(self.requeued.popleft())
        while len(batch) < self.chunk and not self.exhausted and self.pulled - self.yielded < self.in_flight:
            item = next(items, None)
            if item is None:
                self.exhausted = True
                break
            is_task, value = item
            if is_task:
                batch.append((self.pulled, value))
            else:
                self.answers[self.pulled] = value
            self.pulled += 1
        return batch

    def _start(self) -> Worker:
        for worker in [w for w in self.retired if w.process.exitcode is not None]:
            worker.process.join()
            worker.conn.close()
            self.retired.remove(worker)
        worker = Worker(self.context, worker_main, self.spec)
        self.workers.append(worker)
        return worker

    def _send(self, worker: Worker, batch: list[tuple[int, object]]) -> bool:
        """Whether the worker took the batch (else it was found dead and replaced)."""
        worker.chunks.append([[number for number, _ in batch], [task for _, task in batch], 0])
        if len(worker.chunks) == 1:
            worker.started = time.monotonic()
        try:
            worker.conn.send([task for _, task in batch])
        except OSError:  # it died while idle: nothing of this batch was started
            worker.chunks.pop()
            self.requeued.extendleft(reversed(batch))
            # Idle, nothing is lost; else the task it was on killed it.
            self._lose(worker, self._died(worker) if worker.chunks else None)
            return False
        return True

    def _wait(self) -> None:
        busy = [w for w in self.workers if w.chunks]
        timeout = 1.0
        if self.limit and busy:
            timeout = max(0.0, min(w.started for w in busy) + self.limit + KILL_GRACE - time.monotonic())
        ready = wait([w.conn for w in self.workers], timeout)
        for worker in list(self.workers):
            if worker.conn in ready:
                self._receive(worker)
        if self.limit:
            now = time.monotonic()
            for worker in list(self.workers):
                if worker.chunks and now - worker.started > self.limit + KILL_GRACE:
                    self._lose(worker, f"timed out after {self.limit:g} s")

    def _receive(self, worker: Worker) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            self._lose(worker, self._died(worker))
            return
        worker.started = time.monotonic()
        if message[0] == "tick":
            return
        numbers, tasks, index = worker.chunks[0]
        self.answers[numbers[index]] = message[1]
        worker.documents += 1
        if index + 1 == len(tasks):
            worker.chunks.popleft()
        else:
            worker.chunks[0][2] = index + 1
        if self.renew_after and worker.documents >= self.renew_after and not worker.chunks:
            # A fresh worker bounds what a long batch's worker holds; this one exits when it reads this.
            worker.retire()
            self.workers.remove(worker)
            self.retired.append(worker)
            self._start()

    @staticmethod
    def _died(worker: Worker) -> str:
        worker.process.join(1)
        code = worker.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return f"the worker process cleaning it died ({how}: a crash in native code, or killed)"

    def _lose(self, worker: Worker, why: str | None) -> None:
        """The worker is killed (or found dead): the task it was on fails with `why`, the rest of its
        chunks go to other workers, and a new worker takes its place."""
        worker.kill()
        self.workers.remove(worker)
        taken_back = []
        for numbers, tasks, index in worker.chunks:
            taken_back += zip(numbers[index:], tasks[index:])
        if taken_back and why is not None:
            number, task = taken_back.pop(0)
            self.answers[number] = self.failed(task, why)
        self.requeued = deque(sorted((*self.requeued, *taken_back), key=lambda item: item[0]))
        self._start()

    def close(self, kill: bool = False) -> None:
        """Idle workers are told to exit and waited for; after an error or an interrupt, killed."""
        for worker in self.workers:
            if kill:
                worker.kill()
            else:
                worker.retire()
        for worker in (*self.workers, *self.retired):
            worker.process.join(timeout=None if not kill else 5)
            if worker.process.is_alive():
                worker.kill()
            worker.conn.close()
        self.workers.clear()
        self.retired.clear()

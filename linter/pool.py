"""Per-file work across processes, in input order, when the input is large enough to pay for it.

The per-file stage (read, parse, build one file's model parts) depends on
nothing outside its file, so it can run in worker processes. Results come
back in input order whatever the number of workers, so output never
depends on ``--jobs``. A pool costs tens of milliseconds to start (more
with the spawn start method), which a pre-commit run over a few small
files would feel, so small inputs stay in this process.
"""

from __future__ import annotations

import gc
import os
from typing import Callable, Sequence, TypeVar

from linter.discover import FileInput

# Below this much input a pool's start-up and the pickling of results cost
# more than a second core saves.
LARGE_INPUT_BYTES = 1024 * 1024
LARGE_INPUT_FILES = 4

Result = TypeVar("Result")


def cpu_count() -> int:
    """CPUs this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def input_size(items: Sequence[FileInput]) -> int:
    """Total bytes of the files among ``items`` (standard input and unreadable files count 0)."""
    total = 0
    for item in items:
        if item.path is None:
            continue
        try:
            total += item.path.stat().st_size
        except OSError:
            continue
    return total


def is_large(items: Sequence[FileInput]) -> bool:
    files = [item for item in items if item.path is not None]
    return len(files) >= LARGE_INPUT_FILES and input_size(files) >= LARGE_INPUT_BYTES


def workers_for(items: Sequence[FileInput], jobs: int) -> int:
    """How many processes to use: ``jobs`` (0: one per CPU), but 1 for small inputs."""
    wanted = jobs if jobs > 0 else cpu_count()
    if wanted <= 1 or not is_large(items):
        return 1
    return min(wanted, sum(1 for item in items if item.path is not None))


def map_in_order(work: Callable[[FileInput], Result], items: Sequence[FileInput], workers: int) -> list[Result]:
    """``[work(item) for item in items]``, computed by ``workers`` processes when more than one.

    ``work`` must be picklable (a module-level function or a partial of one).
    Standard input is read here, since only this process has it. Files go
    to the pool largest first, so one big file does not finish last alone.
    If a worker dies (killed, out of memory), the files it had not finished
    are done here, as ``--jobs 1`` would do them, so no file is lost.
    """
    if workers <= 1:
        return [work(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from linter.engine import gc_paused

    results: list[Result | None] = [None] * len(items)
    done = [False] * len(items)
    queued: list[tuple[int, FileInput]] = []
    for index, item in enumerate(items):
        if item.path is None:
            results[index], done[index] = work(item), True
        else:
            queued.append((index, item))
    sizes = {index: input_size([item]) for index, item in queued}
    queued.sort(key=lambda pair: -sizes[pair[0]])
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with the linter already imported.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Workers start with the collector on, whatever this process's state when it forks.
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=gc.enable) as pool:
        futures = {pool.submit(work, item): index for index, item in queued}
        # Unpickled results all stay alive: the collector's passes over them would find nothing to free.
        with gc_paused():
            try:
                for future in as_completed(futures):
                    index = futures[future]
                    results[index], done[index] = future.result(), True
            except BrokenProcessPool:
                pass
    for index, item in queued:
        if not done[index]:
            results[index] = work(item)
    return results  # type: ignore[return-value]

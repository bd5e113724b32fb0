"""How a process that extracts uses glibc's allocator: freed memory kept for the next batch, in few heaps.

`share_heaps` is cheap (no import) and runs first thing in the `wirehouse` process, before any thread starts;
`keep_freed_memory` runs where the model loads (transforms.nlp.inference), in every process that extracts. Other
C libraries keep their own policy.
May import numpy only (inside keep_freed_memory).
"""

import ctypes

# glibc's mallopt parameters (malloc.h).
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8
# Heaps (glibc arenas) the threads of a process share; glibc's default is 8 per core.
SHARED_HEAPS = 2


def _mallopt(*settings: tuple[int, int]) -> None:
    try:
        libc = ctypes.CDLL(None)
        for parameter, value in settings:
            libc.mallopt(parameter, value)
    except (OSError, AttributeError):  # not glibc: its allocator keeps its own policy
        pass


def share_heaps() -> None:
    """Let threads share SHARED_HEAPS heaps. Each heap keeps its own peak (keep_freed_memory never trims), and a
    run's chunks start new extraction threads while DuckDB runs its own: with glibc's 16 heaps on 2 cores their
    peaks added up chunk after chunk. Over 6,000 Reuters stories in chunks of 500 the run's process tree peaked
    at 1,522 MB with 16 heaps and 1,292 MB with them limited from the process start (1,452 MB when limited only
    once the model loads, after the first threads had theirs); extraction as fast. Only heaps made afterwards
    count, hence first thing."""
    _mallopt((M_ARENA_MAX, SHARED_HEAPS))


def keep_freed_memory() -> None:
    """Let the process reuse the memory spaCy frees instead of faulting fresh pages in for every batch.

    Each batch allocates and frees tens of MB of activations. By default glibc maps blocks over 128 KiB afresh
    and unmaps them on free, and numpy asks for transparent huge pages; faulting those pages in again each batch
    cost ~8 % of extraction's CPU as system time. Blocks up to 1 GiB now come from the heap, which is not trimmed,
    so the process holds on to its peak (a few % more resident memory), in heaps its threads share."""
    import numpy  # here: the CLI shares heaps before it imports anything heavy

    numpy._core.multiarray._set_madvise_hugepage(False)
    _mallopt((M_MMAP_THRESHOLD, 2**30), (M_TRIM_THRESHOLD, 2**31 - 1))
    share_heaps()  # for a worker process, whose program did not

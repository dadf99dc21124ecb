#!/usr/bin/env python3
"""Reopening a stored study (issue 20, item 2), for BENCHMARKS.md: the
browser with `--offline` on stores written by `examples/fill_store.rs`,
from start to the first rows in tmux, the stores opened alternately.

    scripts/reopen.py HOME_A HOME_B [RUNS]

Each HOME holds `.local/share/uj/` with a store of the synthetic study."""

import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
import bench_e2e as b  # noqa: E402


def once(home):
    t0, _ = b.start_uj(None, f"--offline --study {b.SYN}", home=home)
    t1, _ = b.wait_for(b.first_rows)
    b.tmux("kill-server")
    return (t1 - t0) * 1000


def main():
    homes = sys.argv[1:3]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    times = {h: [] for h in homes}
    for h in homes:
        once(h)  # warm the page cache
    for _ in range(runs):
        for h in homes:
            times[h].append(once(h))
    for h in homes:
        xs = times[h]
        print(f"{h}: median {b.med(xs):.1f} ms ({min(xs):.1f}–{max(xs):.1f})")
    a, c = (b.med(times[h]) for h in homes)
    print(f"ratio {c / a:.2f}")


if __name__ == "__main__":
    main()

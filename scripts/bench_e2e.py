#!/usr/bin/env python3
"""End-to-end figures for BENCHMARKS.md: the real `uj` binary in tmux against
the stand-in server (examples/standin.rs) on loopback. Run through
scripts/bench-e2e.sh, which builds both in release mode first.

Every figure is printed beside its baseline from the same run; timings are
medians of several runs, with their spread (min–max)."""

import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UJ = os.path.join(ROOT, "target/release/uj")
STANDIN = os.path.join(ROOT, "target/release/examples/standin")
FILL = os.path.join(ROOT, "target/release/examples/fill_store")
KEY = "uj_live_standin"
SYN = "0b5e55ed-0000-4000-8000-000000000000"
MAIN = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70"
SOCK = f"ujbench-{os.getpid()}-0"
SOCKETS = [0]
RUNS = int(os.environ.get("RUNS", "7"))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def fresh_tmux():
    """A new tmux server per program: reusing one right after kill-server races."""
    global SOCK
    tmux("kill-server")
    SOCKETS[0] += 1
    SOCK = f"ujbench-{os.getpid()}-{SOCKETS[0]}"


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCK, *args], capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "0")


def wait_for(pred, timeout=30.0, poll=0.002):
    start = time.monotonic()
    while True:
        s = screen()
        if pred(s):
            return time.monotonic(), s
        if time.monotonic() - start > timeout:
            raise SystemExit(f"timed out; screen:\n{s}")
        time.sleep(poll)


class Server:
    def __init__(self, latency_ms, synthetic=None, long=None, short=None, settled=False):
        self.requests = tempfile.NamedTemporaryFile(delete=False).name
        args = [STANDIN, "--port", "0", "--latency-ms", str(latency_ms), "--requests", self.requests]
        if synthetic:
            args += ["--synthetic", str(synthetic)]
        if long:
            args += ["--long", str(long)]
        if short:
            args += ["--short", str(short)]
        if settled:
            args += ["--settled"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()

    def all_requests(self):
        time.sleep(0.1)  # the server appends its log every 50 ms
        with open(self.requests) as f:
            return [l.strip() for l in f]

    def list_requests(self):
        return [r for r in self.all_requests() if r.startswith("/interviews?")]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def start_uj(server, args, width=160, height=45, env_extra="", home=None):
    pidfile = tempfile.NamedTemporaryFile(delete=False).name
    home = home or tempfile.mkdtemp()
    url = server.url if server else "http://127.0.0.1:9/api/v1"
    cmd = (
        f"echo $$ > {pidfile}; exec env -i PATH=/usr/bin:/bin HOME={home} TERM=xterm-256color TZ=UTC "
        f"USERJOURNEYS_API_KEY={KEY} USERJOURNEYS_BASE_URL={url} {env_extra} {UJ} {args}"
    )
    fresh_tmux()
    t0 = time.monotonic()
    tmux("new-session", "-d", "-x", str(width), "-y", str(height), "sh", "-c", cmd)
    return t0, pidfile


def pid_of(pidfile):
    for _ in range(500):
        with open(pidfile) as f:
            text = f.read().strip()
        if text:
            return int(text)
        time.sleep(0.01)
    raise SystemExit("no pid")



def keys(*k):
    tmux("send-keys", "-t", "0", *k)


def first_rows(s):
    return "›" in s


def med(xs):
    return statistics.median(xs)


def spread(xs):
    return f"{min(xs):.1f}–{max(xs):.1f}"


def report(name, value, unit, baseline_name, baseline, budget):
    print(f"| {name} | {value} {unit} | {baseline_name}: {baseline} | {budget} |")
    sys.stdout.flush()


def harness_overhead():
    """The time tmux takes to show a trivial program's output."""
    xs = []
    for _ in range(RUNS):
        fresh_tmux()
        t0 = time.monotonic()
        tmux("new-session", "-d", "-x", "160", "-y", "45", "sh", "-c", "echo ready; sleep 5")
        t1, _ = wait_for(lambda s: "ready" in s)
        xs.append((t1 - t0) * 1000)
    return xs


def bench_first_rows(harness):
    server = Server(200, synthetic=237)
    curl = []
    for _ in range(RUNS):
        t0 = time.monotonic()
        subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-H", f"Authorization: Bearer {KEY}",
             f"{server.url}/interviews?study_id={SYN}&limit=50"],
            check=True,
        )
        curl.append((time.monotonic() - t0) * 1000)
    uj = []
    for _ in range(RUNS):
        t0, _ = start_uj(server, f"--study {SYN}")
        t1, _ = wait_for(first_rows)
        uj.append((t1 - t0) * 1000)
    server.stop()
    h = med(harness)
    ratio = (med(uj) - h) / med(curl)
    report("start to first rows, 200 ms latency", f"{med(uj):.0f} ({spread(uj)}); minus tmux {med(uj) - h:.0f}", "ms",
           "curl, same page", f"{med(curl):.0f} ms ({spread(curl)}); ratio {ratio:.2f}", "≤ 1.3 × curl")


def bench_scroll():
    server = Server(300, synthetic=237)
    start_uj(server, f"--study {SYN}")
    wait_for(lambda s: "of 237" in s or "237 interviews" in s)
    loading_seen = 0
    period = 1 / 25
    next_at = time.monotonic()
    for _ in range(230):
        keys("j")
        if "loading more" in screen():
            loading_seen += 1
        next_at += period
        time.sleep(max(0, next_at - time.monotonic()))
    _, s = wait_for(lambda s: "237 interviews" in s, timeout=10)
    reqs = server.list_requests()
    cursors = [re.search(r"starting_after=([^&]*)", r) for r in reqs]
    cursors = [c.group(1) if c else "" for c in cursors]
    repeated = len(cursors) - len(set(cursors))
    server.stop()
    report("scrolling 230 rows at 25 rows/s, 300 ms latency", f"'loading more…' seen in {loading_seen} of 230 screens", "",
           "rows reached", "237 (end of list)", "never shown")
    report("list requests to scroll through 237 interviews", f"{len(reqs)} ({repeated} repeated)", "",
           "pages of 100 (the sync's) needed", "3", "≤ 5, none repeated")


def transcript_keys(row_keys, label, expect_last):
    """Opens an interview and times G and one-line scrolls until shown."""
    g, k = [], []
    position = re.compile(r"(\d+)–(\d+) of (\d+)")
    for _ in range(RUNS):
        keys("g")
        for key in row_keys:
            keys(key)
        keys("Enter")
        wait_for(lambda s: position.search(s))
        keys("g")
        wait_for(lambda s: position.search(s) and position.search(s).group(1) == "1")
        before = screen()
        t0 = time.monotonic()
        keys("G")
        t1, after = wait_for(lambda s: expect_last in s and s != before)
        g.append((t1 - t0) * 1000)
        shown = position.search(after).group(0)
        t0 = time.monotonic()
        keys("k")
        t1, _ = wait_for(lambda s: position.search(s) and position.search(s).group(0) != shown)
        k.append((t1 - t0) * 1000)
        keys("Tab", "Tab")  # back to the list
    return g, k


def bench_transcript_keys(harness_key):
    server = Server(0, synthetic=237, long=5000, short=50)
    start_uj(server, f"--study {SYN}", width=200, height=50)
    wait_for(lambda s: "237 interviews" in s)
    g_long, k_long = transcript_keys([], "5,000 messages", "Message 4999")
    g_short, k_short = transcript_keys(["j"], "50 messages", "Message 49:")
    server.stop()
    report("a key in a 5,000-message transcript (G) until shown", f"{med(g_long):.1f} ({spread(g_long)})", "ms",
           "same in a 50-message transcript", f"{med(g_short):.1f} ms ({spread(g_short)}); tmux send+capture alone {med(harness_key):.1f} ms", "≤ 50 ms")
    report("one-line scroll (k) in a 5,000-message transcript until shown", f"{med(k_long):.1f} ({spread(k_long)})", "ms",
           "same in a 50-message transcript", f"{med(k_short):.1f} ms ({spread(k_short)})", "≤ 50 ms")


def harness_key_roundtrip():
    """send-keys + capture until a shell echoes: what the harness itself costs."""
    fresh_tmux()
    tmux("new-session", "-d", "-x", "100", "-y", "20", "cat")
    xs = []
    for i in range(RUNS):
        mark = f"x{i}"
        t0 = time.monotonic()
        tmux("send-keys", "-t", "0", "-l", mark)
        t1, _ = wait_for(lambda s: mark in s)
        xs.append((t1 - t0) * 1000)
    return xs


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_idle_and_memory():
    server = Server(0, synthetic=10000)
    _, pidfile = start_uj(server, f"--study {SYN}")
    pid = pid_of(pidfile)
    wait_for(lambda s: "of 10000" in s or "10000 interviews" in s)
    time.sleep(1)
    rss_first = rss_mb(pid)
    keys("G")
    # The background sync ends (every transcript stored) before idling.
    wait_for(lambda s: "10000 interviews" in s and "syncing" not in s, timeout=300)
    keys("Enter")
    time.sleep(1.5)
    rss_all = rss_mb(pid)
    c0 = cpu_seconds(pid)
    time.sleep(10)
    idle = cpu_seconds(pid) - c0
    server.stop()
    report("CPU over 10 s of idling, everything loaded", f"{idle:.2f}", "s", "clock tick", f"{1 / CLK_TCK:.2f} s", "≤ 0.05 s")
    report("resident memory with 10,000 interviews listed", f"{rss_all:.1f}", "MB", "with the first 50", f"{rss_first:.1f} MB", "≤ 40 MB")


def bench_demo_start(harness):
    xs = []
    for _ in range(RUNS):
        t0, _ = start_uj(None, f"--demo --study {MAIN}")
        t1, _ = wait_for(first_rows)
        xs.append((t1 - t0) * 1000)
    report("`uj --demo` start to first rows", f"{med(xs):.0f} ({spread(xs)})", "ms",
           "tmux showing `echo ready`", f"{med(harness):.0f} ms ({spread(harness)})", "≤ 100 ms")


def home_with_store(n):
    """A home whose store holds a synthetic study of n interviews (written
    directly, as a finished `uj sync` leaves it), for the URL of no server."""
    home = tempfile.mkdtemp()
    data = os.path.join(home, ".local", "share", "uj")
    subprocess.run([FILL, data, "http://127.0.0.1:9/api/v1", str(n)], check=True, capture_output=True)
    return home


def timed_sync(server, home, concurrency=4):
    t0 = time.monotonic()
    subprocess.run(
        [UJ, "sync", "--study", SYN, "--concurrency", str(concurrency)],
        check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "HOME": home, "USERJOURNEYS_API_KEY": KEY, "USERJOURNEYS_BASE_URL": server.url},
    )
    return time.monotonic() - t0


def bench_sync():
    """`uj sync` against 100 ms of latency, against its ideal time."""
    n, rtt, conc = 400, 0.1, 4
    xs = []
    for _ in range(max(1, RUNS // 3)):
        server = Server(100, synthetic=n, settled=True)
        xs.append(timed_sync(server, tempfile.mkdtemp(), conc))
        server.stop()
    pages = -(-n // 100)
    ideal = pages * rtt + n / conc * rtt
    report(f"`uj sync` of {n} interviews, 100 ms latency, concurrency {conc}", f"{med(xs):.2f} ({spread(xs)})", "s",
           "ideal pages × RTT + details / concurrency × RTT", f"{ideal:.2f} s; ratio {med(xs) / ideal:.2f}", "≤ 1.3 × ideal")


def bench_resync():
    """A second sync of an unchanged 10,000-interview study asks only lists."""
    server = Server(0, synthetic=10000, settled=True)
    home = tempfile.mkdtemp()
    first = timed_sync(server, home)
    before = len(server.all_requests())
    second = timed_sync(server, home)
    after = server.all_requests()[before:]
    details = [r for r in after if r.startswith("/interviews/")]
    lists = [r for r in after if r.startswith("/interviews?")]
    server.stop()
    report("re-sync of an unchanged 10,000-interview study", f"{len(details)} detail requests, {len(lists)} list requests, {second:.1f}", "s",
           "the first sync", f"{first:.1f} s", "list requests only")


def bench_reopen(harness):
    """A stored 10,000-interview study opens from disk, before any request."""
    home = home_with_store(10000)
    xs = []
    for _ in range(RUNS):
        t0, _ = start_uj(None, f"--offline --study {SYN}", home=home)
        t1, _ = wait_for(first_rows)
        xs.append((t1 - t0) * 1000)
    demo = []
    for _ in range(RUNS):
        t0, _ = start_uj(None, f"--demo --study {MAIN}")
        t1, _ = wait_for(first_rows)
        demo.append((t1 - t0) * 1000)
    h = med(harness)
    ratio = (med(xs) - h) / (med(demo) - h)
    report("reopening a stored 10,000-interview study to first rows", f"{med(xs):.0f} ({spread(xs)})", "ms",
           "`uj --demo` start", f"{med(demo):.0f} ms ({spread(demo)}); ratio minus tmux {ratio:.2f}", "≤ 1.5 × demo")


def browse_rss(args, home, total_text, end_text):
    _, pidfile = start_uj(None, args, home=home)
    pid = pid_of(pidfile)
    wait_for(lambda s: total_text in s and "syncing" not in s, timeout=60)
    g = []
    for _ in range(RUNS):
        keys("g")
        wait_for(lambda s: end_text not in s)
        t0 = time.monotonic()
        keys("G")
        t1, _ = wait_for(lambda s: end_text in s)
        g.append((t1 - t0) * 1000)
    keys("Enter")
    time.sleep(1)
    for _ in range(20):
        keys("PageUp")
    time.sleep(1)
    return rss_mb(pid), g


def bench_big_study(harness_key):
    """Browsing a stored 100,000-interview study, G included, in about the
    memory of the demo."""
    home = home_with_store(100000)
    big_rss, big_g = browse_rss(f"--offline --study {SYN}", home, "100000 interviews", "end of list · 100000")
    demo_rss, demo_g = browse_rss(f"--demo --study {MAIN}", None, "263 interviews", "end of list · 263")
    report("resident memory browsing a stored 100,000-interview study (G, open, 20 × PgUp)", f"{big_rss:.1f}", "MB",
           "the same in the 263-interview demo", f"{demo_rss:.1f} MB; ratio {big_rss / demo_rss:.2f}", "≤ 1.5 × demo")
    report("`G` in a stored 100,000-interview study until shown", f"{med(big_g):.1f} ({spread(big_g)})", "ms",
           "`G` in the demo", f"{med(demo_g):.1f} ms; tmux send+capture alone {med(harness_key):.1f} ms", "≤ 50 ms")


def main():
    for path in (UJ, STANDIN, FILL):
        if not os.path.exists(path):
            raise SystemExit(f"{path} is missing: run scripts/bench-e2e.sh")
    print(f"machine: {os.cpu_count()} cores; runs per timing: {RUNS}")
    print("| what | measured | baseline (same run) | budget |")
    print("|---|---|---|---|")
    harness = harness_overhead()
    harness_key = harness_key_roundtrip()
    try:
        bench_first_rows(harness)
        bench_scroll()
        bench_transcript_keys(harness_key)
        bench_idle_and_memory()
        bench_demo_start(harness)
        bench_sync()
        bench_resync()
        bench_reopen(harness)
        bench_big_study(harness_key)
    finally:
        tmux("kill-server")


if __name__ == "__main__":
    main()

"""Measuring processes on a small, noisy machine.

Every command is a fresh process started the same way, by a small launcher
(``SPAWNER`` below: fork, exec, ``os.wait4``), so fork/exec costs are shared
by all.  For each process we keep its wall time (perf_counter from fork to
reaped, measured in the launcher), its user+sys CPU and its peak resident set
size (``ru_maxrss`` from ``wait4``).  Linux reports ru_maxrss as at least the
high-water RSS of the launcher at fork time (~8 MB for ``python -S -I``), so
figures below ~8 MB (rg) read as ~8 MB.  With a timeout (long builds) the
launcher also samples the summed resident memory of the process and all its
descendants (a build's worker processes) every quarter second: ``tree_kb``.

Comparisons run *alternating*: round r runs every command once, in an order
rotated each round, so slow phases of the machine hit every command alike.
Figures are medians with the interquartile range; a ratio of A to B is the
median of the per-round ratios A_r / B_r (paired, same round), with the IQR of
those ratios as its spread.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import random
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
VENV_BIN = Path(sys.executable).parent
PY = sys.executable


@dataclass
class Cmd:
    """One command to time: argv, environment additions, stdin, terminal."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    stdin: bytes | None = None
    pty: bool = False
    cwd: Path = REPO
    ok_codes: tuple[int, ...] = (0,)
    stderr_path: Path | None = None  # with pty: stderr to this file instead of the terminal


@dataclass
class Run:
    wall: float
    cpu: float  # user + sys of the process and the children it waited for
    maxrss_kb: int  # peak of the largest single process (the process or a child it waited for)
    rc: int
    out: bytes = b""
    err: bytes = b""
    timed_out: bool = False
    tree_kb: int = 0  # peak of the summed resident memory of the process and its descendants (with a timeout only)


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    # as installed for a user: Python caches compiled modules (a session that
    # sets PYTHONDONTWRITEBYTECODE would have cz compile its sources at every start)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("LC_ALL", "C.UTF-8")
    env.update(extra)
    return env


# A small launcher: the measured process is forked from it, not from this
# (large) harness.  Linux carries the high-water RSS of the address space an
# exec replaces into ru_maxrss, so a process forked from the harness would
# report at least the harness's own peak.  The launcher (python -S -I, ~8 MB)
# forks, execs, reaps with os.wait4 and writes "wall maxrss_kb cpu rc
# timed_out peak_hwm_kb" to a report file.  With a timeout it polls, reads the
# child's VmHWM as it goes, and kills the child (by its pid) when time is up.
SPAWNER = r"""
import os, sys, time
rep, timeout, argv = sys.argv[1], float(sys.argv[2]), sys.argv[3:]

def tree_rss(root):
    # resident memory of the process and all its descendants (kB)
    kids, rss = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read().rsplit(")", 1)[1].split()
            kids.setdefault(int(st[1]), []).append(int(d))
            rss[int(d)] = int(st[21]) * 4
        except (OSError, IndexError, ValueError):
            pass
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(kids.get(p, []))
    return total

t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
hwm = tree = 0
killed = 0
if timeout <= 0:
    _, st, ru = os.wait4(pid, 0)
else:
    last = 0.0
    n = 0
    while True:
        got, st, ru = os.wait4(pid, os.WNOHANG)
        if got == pid:
            break
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        hwm = max(hwm, int(line.split()[1]))
        except OSError:
            pass
        if n % 5 == 0:
            tree = max(tree, tree_rss(pid))
        n += 1
        now = time.perf_counter() - t0
        if now - last >= 30:
            last = now
            with open(rep + ".progress", "w") as f:
                f.write("%.0f %d\n" % (now, hwm))
        if now > timeout:
            os.kill(pid, 9)
            killed = 1
            _, st, ru = os.wait4(pid, 0)
            break
        time.sleep(0.05)
wall = time.perf_counter() - t0
with open(rep, "w") as f:
    f.write("%r %d %r %d %d %d %d\n" % (wall, ru.ru_maxrss, ru.ru_utime + ru.ru_stime,
                                      os.waitstatus_to_exitcode(st), killed, hwm, tree))
"""


def _launch(cmd: Cmd, timeout: float | None) -> tuple[str, list[str]]:
    rep = tempfile.NamedTemporaryFile(dir=OUT, prefix="rep-", delete=False)
    rep.close()
    return rep.name, [PY, "-S", "-I", "-c", SPAWNER, rep.name, str(timeout or 0), *cmd.argv]


def _report(rep: str, fallback_wall: float) -> tuple[float, int, float, int, bool, int]:
    try:
        text = Path(rep).read_text().split()
        wall, rss, cpu, rc, killed = float(text[0]), int(text[1]), float(text[2]), int(text[3]), bool(int(text[4]))
        rss = max(rss, int(text[5]))
        tree = int(text[6])
    except (OSError, IndexError, ValueError):
        wall, rss, cpu, rc, killed, tree = fallback_wall, 0, 0.0, -1, False, 0
    for f in (rep, rep + ".progress"):
        with contextlib.suppress(OSError):
            os.unlink(f)
    return wall, rss, cpu, rc, killed, tree


def _watch(rep: str, p: subprocess.Popen, label: str) -> None:
    """Wait for the launcher, echoing its progress file (long builds)."""
    said = ""
    while p.poll() is None:
        try:
            t, hwm = Path(rep + ".progress").read_text().split()
            line = f"    {label}: {t} s, peak RSS {int(hwm) / 1024:.0f} MB"
            if line != said:
                print("\r" + line, end="", file=sys.stderr, flush=True)
                said = line
        except (OSError, ValueError):
            pass
        time.sleep(1)


def run_once(cmd: Cmd, *, keep_output: bool = False, timeout: float | None = None, label: str = "") -> Run:
    env = _env(cmd.env)
    if cmd.pty:
        return _run_pty(cmd, env, keep_output, timeout)
    rep, argv = _launch(cmd, timeout)
    with tempfile.TemporaryFile(dir=OUT) as fo, tempfile.TemporaryFile(dir=OUT) as fe, \
            tempfile.TemporaryFile(dir=OUT) as fi:
        if cmd.stdin is not None:
            fi.write(cmd.stdin)
            fi.flush()
            fi.seek(0)
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=fi if cmd.stdin is not None else subprocess.DEVNULL,
                             stdout=fo, stderr=fe, env=env, cwd=cmd.cwd)
        if timeout:
            _watch(rep, p, label or "running")
        p.wait()
        wall, rss, cpu, rc, killed, tree = _report(rep, time.perf_counter() - t0)
        out = err = b""
        if keep_output or rc not in cmd.ok_codes:
            fo.seek(0)
            fe.seek(0)
            out, err = fo.read(), fe.read()
    return Run(wall, cpu, rss, rc, out, err, killed, tree)


def _run_pty(cmd: Cmd, env: dict, keep_output: bool, timeout: float | None) -> Run:
    """Run with stdout/stderr on a pseudo-terminal (120×40), draining it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(env)
    env.setdefault("TERM", "xterm-256color")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    chunks: list[bytes] = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    rep, argv = _launch(cmd, timeout)
    err = open(cmd.stderr_path, "wb") if cmd.stderr_path else None
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=err or slave, env=env, cwd=cmd.cwd,
                         start_new_session=True)
    os.close(slave)
    if err:
        err.close()
    p.wait()
    wall, rss, cpu, rc, killed, tree = _report(rep, time.perf_counter() - t0)
    reader.join(5)
    os.close(master)
    out = b"".join(chunks)
    return Run(wall, cpu, rss, rc, out if keep_output else b"", b"", killed, tree)


def import_profile(stderr: str) -> dict[str, float]:
    """``-X importtime`` output -> top-level package -> sum of its modules'
    self import times (ms), wherever in the tree they were imported."""
    import re

    got: dict[str, float] = {}
    for m in re.finditer(r"import time:\s+(\d+)\s+\|\s+\d+\s+\|\s+(\S+)", stderr):
        top = m.group(2).split(".")[0]
        got[top] = got.get(top, 0.0) + int(m.group(1)) / 1000
    return got


# --------------------------------------------------------------------------- statistics

def quartiles(xs: list[float]) -> tuple[float, float, float]:
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], statistics.median(xs), q[2]


def summary(xs: list[float]) -> dict:
    q1, med, q3 = quartiles(xs)
    return {"median": med, "q1": q1, "q3": q3, "iqr": q3 - q1, "min": min(xs), "max": max(xs), "n": len(xs)}


def alternate(cmds: dict[str, Cmd], reps: int, *, warmup: int = 1, progress: str = "") -> dict[str, dict]:
    """Run every command ``reps`` times, round-robin with a rotating start.

    Returns name -> {"wall": [...], "cpu": [...], "rss_kb": [...], "rc": [...]}.
    """
    names = list(cmds)
    res = {n: {"wall": [], "cpu": [], "rss_kb": [], "rc": []} for n in names}
    for _ in range(warmup):
        for n in names:
            run_once(cmds[n])
    for r in range(reps):
        order = names[r % len(names):] + names[:r % len(names)]
        for n in order:
            run = run_once(cmds[n])
            if run.rc not in cmds[n].ok_codes:
                raise RuntimeError(f"{n}: exit {run.rc}: {run.err.decode('utf-8', 'replace')[-500:]}")
            res[n]["wall"].append(run.wall)
            res[n]["cpu"].append(run.cpu)
            res[n]["rss_kb"].append(run.maxrss_kb)
            res[n]["rc"].append(run.rc)
        if progress:
            print(f"\r  {progress}: round {r + 1}/{reps}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return res


def paired_ratio(a: list[float], b: list[float]) -> dict:
    """Median and IQR of the per-round ratios a_r / b_r."""
    rs = [x / y for x, y in zip(a, b) if y > 0]
    s = summary(rs)
    return {"ratio": s["median"], "q1": s["q1"], "q3": s["q3"], "n": s["n"]}


# --------------------------------------------------------------------------- tables

def table(headers: list[str], rows: list[list], title: str = "") -> str:
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(_w(h), *(_w(r[i]) for r in cells)) if cells else _w(h) for i, h in enumerate(headers)]
    line = "  ".join(_pad(h, w) for h, w in zip(headers, widths))
    out = [title] if title else []
    out += [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(_pad(c, w) for c, w in zip(r, widths)) for r in cells]
    return "\n".join(out)


def _w(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _w(s))


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def fmt_med(s: dict, unit: str = "s") -> str:
    if unit == "s":
        return f"{ms(s['median'])} (IQR {s['iqr'] * 1000:.0f} ms)"
    if unit == "MB":
        return f"{s['median'] / 1024:.1f} MB"
    return f"{s['median']:.3g}"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("MET" if ok else "MISSED")


def query_mix(db: Path, n: int = 2000, miss_share: float = 0.1, seed: int = 7) -> tuple[list[str], list[str]]:
    """Search words for throughput runs: real words of the corpus (its vocab
    table) that occur, and strings of corpus characters that occur nowhere."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    words = [w for (w,) in conn.execute("SELECT word FROM vocab WHERE length(word) BETWEEN 2 AND 8 ORDER BY word")]
    chars = sorted({c for w in words for c in w if "\u4e00" <= c <= "\u9fff"})

    def occurs(q: str) -> bool:
        return conn.execute("SELECT 1 FROM docs_fts WHERE docs_fts MATCH ? LIMIT 1",
                            ['"' + " ".join(q) + '"']).fetchone() is not None

    hits: list[str] = []
    while len(hits) < int(n * (1 - miss_share)):
        w = rng.choice(words)
        if occurs(w):
            hits.append(w)
    misses: list[str] = []
    while len(misses) < n - len(hits):
        q = "".join(rng.choice(chars) for _ in range(rng.choice((2, 3, 4))))
        if not occurs(q):
            misses.append(q)
    conn.close()
    return hits, misses

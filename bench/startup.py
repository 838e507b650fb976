"""Start-up and latency of one search on the real data, against baselines;
the modules the query path imports; `cz search --stdin` throughput."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

from lib import (OUT, PY, REPO, VENV_BIN, Cmd, alternate, fmt_med, import_profile, paired_ratio, query_mix, run_once,
                 summary, table, verdict)

QUERY = "老旧小区"

# the same query a stock client writes (docs/schema.md): one phrase of characters
FLOOR_SQL = ("SELECT d.kind, d.ref, d.plan_id, d.title, bm25(docs_fts) AS s FROM docs_fts "
             "JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH :q ORDER BY s")

FLOOR = r"""
import json, sqlite3, sys
conn = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
rows = conn.execute(sys.argv[3], {"q": '"' + " ".join(sys.argv[2]) + '"'}).fetchall()
sys.stdout.write(json.dumps([list(r) for r in rows], ensure_ascii=False) + "\n")
"""

FLOOR_STDIN = r"""
import json, sqlite3, sys
conn = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
sql = ("SELECT d.kind, d.ref, d.plan_id, d.title, bm25(docs_fts) AS s FROM docs_fts "
       "JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ? ORDER BY s")
out = sys.stdout
for line in sys.stdin:
    q = line.strip()
    if q:
        rows = conn.execute(sql, ['"' + " ".join(q) + '"']).fetchall()
        out.write(json.dumps({"query": q, "hits": [list(r) for r in rows]}, ensure_ascii=False) + "\n")
"""

HEAVY = ("jieba", "rjieba", "rapidfuzz", "sqlite_utils", "opencc", "yaml", "pypinyin", "pydantic", "filelock")
WATCH = HEAVY + ("rich", "typer", "click")


def commands(db: Path) -> dict[str, Cmd]:
    env = {"CZ_DB": str(db), "CZ_DATA": str(REPO / "data")}
    cz = str(VENV_BIN / "cz")
    cmds = {
        "floor (python -c sqlite3 FTS)": Cmd([PY, "-c", FLOOR, str(db), QUERY, FLOOR_SQL]),
        "hello-typer": Cmd([PY, str(REPO / "bench" / "hello_typer.py"), "search", QUERY, "--format", "json"]),
        "sqlite-utils query (the same SQL)": Cmd([str(VENV_BIN / "sqlite-utils"), "query", str(db), FLOOR_SQL,
                                                  "-p", "q", '"' + " ".join(QUERY) + '"']),
        "cz search --format json": Cmd([cz, "search", QUERY, "--format", "json"], env),
        "cz search (rich table, pty)": Cmd([cz, "search", QUERY], env, pty=True),
        "naive (jieba + LIKE)": Cmd([PY, str(REPO / "bench" / "naive_search.py"), str(db), QUERY]),
    }
    if shutil.which("rg"):
        cmds["rg data/sources/"] = Cmd([shutil.which("rg"), QUERY, "data/sources/"])
    return cmds


def _hits(name: str, out: bytes) -> str:
    text = out.decode("utf-8", "replace")
    try:
        if name.startswith("floor"):
            return f"{len(json.loads(text))} rows (docs_fts)"
        if name.startswith("sqlite-utils"):
            return f"{len(json.loads(text))} rows (docs_fts)"
        if name == "cz search --format json":
            d = json.loads(text)
            return f"{d['total']} hits (mode {d['mode']})"
        if name.startswith("naive"):
            d = json.loads(text)
            return f"{d['total']} measures (terms {'+'.join(d['terms'])})"
        if name.startswith("rg"):
            return f"{len(text.splitlines())} lines"
        if "pty" in name:
            box = "┃" in text or "│" in text or "━" in text or "─" in text
            return f"{len(text.splitlines())} terminal lines, box drawing {'yes' if box else 'NO'}"
        if name.startswith("hello"):
            return "echo"
    except Exception as exc:  # noqa: BLE001
        return f"unparsed ({type(exc).__name__})"
    return ""


def latency(db: Path, reps: int) -> dict:
    cmds = commands(db)
    checks = {}
    for name, cmd in cmds.items():
        run = run_once(cmd, keep_output=True)
        if run.rc not in cmd.ok_codes:
            raise RuntimeError(f"{name}: exit {run.rc}: {run.err.decode('utf-8', 'replace')[-400:]}")
        checks[name] = _hits(name, run.out)
    res = alternate(cmds, reps, progress="start-up")
    out = {"reps": reps, "commands": {}}
    for name, r in res.items():
        out["commands"][name] = {
            "argv": " ".join(cmds[name].argv) if not name.startswith("floor") else "python -c <floor> DB 老旧小区 SQL",
            "pty": cmds[name].pty, "check": checks[name],
            "wall": summary(r["wall"]), "cpu": summary(r["cpu"]), "rss_kb": summary(r["rss_kb"]),
            "_wall": r["wall"], "_rss": r["rss_kb"],
        }
    c = out["commands"]

    def ratio(a, b, key="_wall"):
        if a not in c or b not in c:
            return None
        return paired_ratio(c[a][key], c[b][key])

    J, T, H = "cz search --format json", "cz search (rich table, pty)", "hello-typer"
    out["ratios"] = [
        {"what": "cz json / hello-typer (wall)", "bound": 0.8, **ratio(J, H)},
        {"what": "cz json / sqlite-utils query (wall)", "bound": None, **ratio(J, "sqlite-utils query (the same SQL)")},
        {"what": "cz table (pty) / hello-typer (wall)", "bound": 1.5, **ratio(T, H)},
        {"what": "cz json peak RSS / hello-typer peak RSS", "bound": 1.5, **ratio(J, H, "_rss")},
        {"what": "cz table peak RSS / hello-typer peak RSS", "bound": None, **ratio(T, H, "_rss")},
        {"what": "cz json / floor (wall)", "bound": None, **ratio(J, "floor (python -c sqlite3 FTS)")},
        {"what": "cz json / naive jieba+LIKE (wall)", "bound": None, **ratio(J, "naive (jieba + LIKE)")},
    ]
    if "rg data/sources/" in c:
        out["ratios"].append({"what": "cz json / rg (wall)", "bound": None, **ratio(J, "rg data/sources/")})
    else:
        out["ratios"].append({"what": "cz json / rg (wall)", "bound": None, "skipped": "rg not installed"})
    for r in out["ratios"]:
        if r.get("bound") is not None:
            r["met"] = r["ratio"] <= r["bound"]
    return out


def latency_text(res: dict) -> str:
    rows = []
    for name, c in res["commands"].items():
        rows.append([name, fmt_med(c["wall"]), f"{c['cpu']['median'] * 1000:.0f} ms",
                     f"{c['rss_kb']['median'] / 1024:.1f} MB", c["check"]])
    t1 = table(["command", "wall median (IQR)", "cpu", "peak RSS", "output check"], rows,
               f"Start-up on the real data, {res['reps']} alternating rounds")
    rows = []
    for r in res["ratios"]:
        if "skipped" in r:
            rows.append([r["what"], "skipped", "", r["skipped"]])
            continue
        b = "" if r["bound"] is None else f"≤ {r['bound']}"
        rows.append([r["what"], f"{r['ratio']:.2f} [{r['q1']:.2f}–{r['q3']:.2f}]", b,
                     "" if r["bound"] is None else verdict(r["met"])])
    return t1 + "\n\n" + table(["ratio", "median [IQR]", "bound", "verdict"], rows, "Ratios (per-round paired)")


# --------------------------------------------------------------------------- imports

def _imports(stderr: str) -> dict[str, float]:
    """Top-level package -> cumulative import time (µs) from -X importtime, for
    the packages really imported.  A blocked import (cz hides rich while typer
    loads: sys.modules["rich"] = None) still prints a line of a few µs with no
    submodule; that is not an import."""
    cum: dict[str, float] = {}
    sub: set[str] = set()
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s*(\S+)", line)
        if not m:
            continue
        name = m.group(3)
        top = name.split(".")[0]
        if "." in name:
            sub.add(top)
        else:
            cum[top] = max(cum.get(top, 0.0), float(m.group(2)))
    return {k: v for k, v in cum.items() if k in sub or v >= 500} | {k: cum.get(k, 0.0) for k in sub}


def imports(db: Path) -> dict:
    env = {"CZ_DB": str(db), "CZ_DATA": str(REPO / "data")}
    out = {}
    errf = OUT / "importtime-table.raw"
    run_once(Cmd([str(VENV_BIN / "cz"), "search", QUERY, "--format", "json"], env))  # fresh database first
    for path, cmd in (
        ("json", Cmd([PY, "-X", "importtime", "-m", "chengzhen", "search", QUERY, "--format", "json"], env)),
        ("table (pty)", Cmd([PY, "-X", "importtime", "-m", "chengzhen", "search", QUERY], env, pty=True,
                            stderr_path=errf)),
    ):
        run = run_once(cmd, keep_output=True)
        err = errf.read_text(encoding="utf-8", errors="replace") if cmd.pty else run.err.decode("utf-8", "replace")
        (OUT / f"importtime-{path.split()[0]}.txt").write_text(err, encoding="utf-8")
        got = _imports(err)
        prof = import_profile(err)
        top = sorted(prof.items(), key=lambda kv: -kv[1])[:12]
        out[path] = {
            "imported": {k: (k in got) for k in WATCH},
            "heavy_imported": [k for k in HEAVY if k in got],
            "self_total_ms": round(sum(prof.values()), 1),
            "top_self_ms": [[k, round(v, 1)] for k, v in top],
        }
    out["ok"] = not out["json"]["heavy_imported"] and not out["table (pty)"]["heavy_imported"]
    return out


def imports_text(res: dict) -> str:
    rows = []
    for mod in WATCH:
        rows.append([mod, "yes" if res["json"]["imported"][mod] else "no",
                     "yes" if res["table (pty)"]["imported"][mod] else "no",
                     "must not" if mod in HEAVY else ("expected on the table path" if mod == "rich" else "")])
    t = table(["module", "json path", "table path", "rule"], rows,
              "Modules imported by `python -X importtime -m chengzhen search 老旧小区`")
    for path in ("json", "table (pty)"):
        tops = ", ".join(f"{k} {v:.0f}" for k, v in res[path]["top_self_ms"][:8])
        t += f"\n  {path}: all imports {res[path]['self_total_ms']:.0f} ms; by package (summed self times, ms): {tops}"
    t += f"\n  verdict: {verdict(res['ok'])} (no heavy module on the plain query path)"
    return t


# --------------------------------------------------------------------------- --stdin throughput

def throughput(db: Path, reps: int, n: int = 2000, miss_share: float = 0.1) -> dict:
    hits, misses = query_mix(db, n, miss_share)
    rng = random.Random(3)
    mix = hits + misses
    rng.shuffle(mix)
    env = {"CZ_DB": str(db), "CZ_DATA": str(REPO / "data")}
    cz = [str(VENV_BIN / "cz"), "search", "--stdin"]
    n_hits_only = n
    hits_only = (hits * (n_hits_only // max(1, len(hits)) + 1))[:n_hits_only]
    feeds = {
        "mix": "\n".join(mix) + "\n",
        "hits": "\n".join(hits_only) + "\n",
        "misses": "\n".join(misses) + "\n",
    }
    cmds = {
        "cz --stdin, empty input": Cmd(cz, env, stdin=b"", ok_codes=(0, 1)),
        f"cz --stdin, mix ({len(hits)} words + {len(misses)} misses)": Cmd(cz, env, stdin=feeds["mix"].encode()),
        f"cz --stdin, {n_hits_only} words (all hit)": Cmd(cz, env, stdin=feeds["hits"].encode()),
        f"cz --stdin, {len(misses)} misses": Cmd(cz, env, stdin=feeds["misses"].encode(), ok_codes=(0, 1)),
        "cz --stdin --exact, mix": Cmd(cz + ["--exact"], env, stdin=feeds["mix"].encode()),
        "floor (sqlite3 loop), mix": Cmd([PY, "-c", FLOOR_STDIN, str(db)], stdin=feeds["mix"].encode()),
    }
    counts = {
        "cz --stdin, empty input": 0,
        f"cz --stdin, mix ({len(hits)} words + {len(misses)} misses)": len(mix),
        f"cz --stdin, {n_hits_only} words (all hit)": n_hits_only,
        f"cz --stdin, {len(misses)} misses": len(misses),
        "cz --stdin --exact, mix": len(mix),
        "floor (sqlite3 loop), mix": len(mix),
    }
    check = run_once(cmds[f"cz --stdin, mix ({len(hits)} words + {len(misses)} misses)"], keep_output=True)
    modes: dict[str, int] = {}
    for line in check.out.decode("utf-8").splitlines():
        m = json.loads(line)["mode"]
        modes[m] = modes.get(m, 0) + 1
    res = alternate(cmds, reps, warmup=0, progress="--stdin")
    empty = summary(res["cz --stdin, empty input"]["wall"])["median"]
    rows = {}
    floor_mix = res["floor (sqlite3 loop), mix"]["wall"]
    for name, r in res.items():
        s = summary(r["wall"])
        k = counts[name]
        rows[name] = {
            "queries": k, "wall": s, "rss_kb": summary(r["rss_kb"]),
            "qps": (k / s["median"]) if k else None,
            "qps_after_startup": (k / (s["median"] - empty)) if k and s["median"] > empty else None,
        }
    mix_name = f"cz --stdin, mix ({len(hits)} words + {len(misses)} misses)"
    mix_qps = rows[mix_name]["qps"]
    return {
        "n": n, "miss_share": miss_share, "reps": reps, "modes_in_mix": modes, "rows": rows,
        "mix_qps": mix_qps, "bound_qps": 500, "met": mix_qps >= 500,
        "hits_qps": rows[f"cz --stdin, {n_hits_only} words (all hit)"]["qps"],
        "exact_mix_qps": rows["cz --stdin --exact, mix"]["qps"],
        "cz_mix_over_floor": paired_ratio(res[mix_name]["wall"], floor_mix),
        "cz_hits_over_floor_mix": paired_ratio(res[f"cz --stdin, {n_hits_only} words (all hit)"]["wall"], floor_mix),
        "sample_misses": misses[:8],
    }


def throughput_text(res: dict) -> str:
    rows = []
    for name, r in res["rows"].items():
        rows.append([name, r["queries"], fmt_med(r["wall"]),
                     "" if r["qps"] is None else f"{r['qps']:.0f}",
                     "" if r["qps_after_startup"] is None else f"{r['qps_after_startup']:.0f}",
                     f"{r['rss_kb']['median'] / 1024:.0f} MB"])
    t = table(["run", "queries", "wall median (IQR)", "q/s", "q/s after start-up", "peak RSS"], rows,
              f"`cz search --stdin` throughput, real data, {res['reps']} alternating rounds")
    r = res["cz_mix_over_floor"]
    t += (f"\n  modes in the mix: {res['modes_in_mix']}; sample misses: {' '.join(res['sample_misses'])}"
          f"\n  mix: {res['mix_qps']:.0f} q/s (bound ≥ {res['bound_qps']}: {verdict(res['met'])}); "
          f"words only: {res['hits_qps']:.0f} q/s; --exact mix: {res['exact_mix_qps']:.0f} q/s"
          f"\n  wall cz mix / floor mix: {r['ratio']:.2f} [{r['q1']:.2f}–{r['q3']:.2f}]")
    return t

"""Markdown tables from bench/out/results.json (for docs/performance.md).

    .venv/bin/python bench/report.py > bench/out/results.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def md(headers, rows) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def verdict(ok) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**MISSED**")


def iqr(s: dict) -> str:
    return f"{ms(s['median'])} ({s['iqr'] * 1000:.0f})"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT / "results.json"
    r = json.loads(path.read_text(encoding="utf-8"))
    m = r["machine"]
    parts = [f"Command: `.venv/bin/python {r['command'].strip()}` — started {r['started']}, "
             f"{r['seconds']:.0f} s in all; code at commit `{(m['code']['commit'] or '?')[:12]}` "
             f"(src hash `{m['code']['src_sha256']}`)."]
    parts.append(md(["machine", ""], [
        ["cores (nproc)", m["nproc"]], ["memory", m["memory"]], ["CPU", m["cpu"]], ["kernel", m["kernel"]],
        ["Python", m["python"]], ["SQLite", m["sqlite"]], ["typer", m["packages"]["typer"]],
        ["click / rich", f"{m['packages']['click']} / {m['packages']['rich']}"],
        ["sqlite-utils", m["packages"]["sqlite-utils"]], ["ripgrep", m["ripgrep"] or "not installed"],
        ["segmenter", f"rjieba {m['packages'].get('rjieba')} (jieba {m['packages'].get('jieba')} as the fallback)"],
    ]))
    if "startup" in r:
        s = r["startup"]
        rows = [[f"`{n}`", iqr(c["wall"]), ms(c["cpu"]["median"]), f"{c['rss_kb']['median'] / 1024:.1f} MB", c["check"]]
                for n, c in s["commands"].items()]
        parts.append(f"#### Start-up, real data ({s['reps']} alternating rounds)\n\n" +
                     md(["command", "wall median (IQR ms)", "CPU", "peak RSS", "output"], rows))
        rows = []
        for x in s["ratios"]:
            if "skipped" in x:
                rows.append([x["what"], "skipped: " + x["skipped"], "", ""])
            else:
                rows.append([x["what"], f"{x['ratio']:.2f} [{x['q1']:.2f}–{x['q3']:.2f}]",
                             "" if x["bound"] is None else f"≤ {x['bound']}",
                             "" if x["bound"] is None else verdict(x["met"])])
        parts.append(md(["ratio (per-round paired)", "median [IQR]", "bound", "verdict"], rows))
    if "imports" in r:
        i = r["imports"]
        rows = [[k, "yes" if i["json"]["imported"][k] else "no", "yes" if i["table (pty)"]["imported"][k] else "no"]
                for k in i["json"]["imported"]]
        parts.append("#### Modules imported on the query path (`python -X importtime -m chengzhen search 老旧小区`)\n\n" +
                     md(["module", "`--format json`", "table on a pty"], rows) +
                     (f"\n\nImport time by package (summed self times, one run), json path: all {i['json']['self_total_ms']:.0f} ms — " +
                      ", ".join(f"{k} {v:.0f}" for k, v in i["json"]["top_self_ms"][:8]) +
                      f"; table path: all {i['table (pty)']['self_total_ms']:.0f} ms — " +
                      ", ".join(f"{k} {v:.0f}" for k, v in i["table (pty)"]["top_self_ms"][:8])
                      if "top_self_ms" in i["json"] else ""))
    if "stdin" in r:
        t = r["stdin"]
        rows = [[n, x["queries"], iqr(x["wall"]), "" if x["qps"] is None else f"{x['qps']:.0f}",
                 "" if x["qps_after_startup"] is None else f"{x['qps_after_startup']:.0f}",
                 f"{x['rss_kb']['median'] / 1024:.0f} MB"] for n, x in t["rows"].items()]
        c = t["cz_mix_over_floor"]
        parts.append(f"#### `cz search --stdin` throughput ({t['reps']} alternating rounds)\n\n" +
                     md(["run", "queries", "wall median (IQR ms)", "q/s", "q/s after start-up", "peak RSS"], rows) +
                     f"\n\nModes in the mix: {t['modes_in_mix']}. Sample misses: {' '.join(t['sample_misses'])}. "
                     f"cz mix / floor mix (wall): {c['ratio']:.2f} [{c['q1']:.2f}–{c['q3']:.2f}].")
    if "typer" in r and "skipped" not in r["typer"]:
        t = r["typer"]
        rows = []
        for n, x in t["rows"].items():
            imp = t["imports"][n]
            rows.append([n, iqr(x["wall"]), f"{x['rss_kb']['median'] / 1024:.1f} MB",
                         f"{imp['pydantic_family_ms']:.0f} ms" if imp["pydantic_imported"] else "—",
                         f"{imp['rich_family_ms']:.0f} ms" if imp["rich_imported"] else "—",
                         f"{imp['total_import_ms']:.0f} ms"])
        parts.append(f"#### typer 0.16 vs 0.29 ({t['reps']} alternating rounds)\n\n" +
                     md(["hello-world app", "wall median (IQR ms)", "peak RSS", "pydantic imports",
                         "rich + markdown-it + pygments imports", "all imports"], rows) + "\n\n" +
                     "\n".join(f"- {label}: typer 0.29 / 0.16 = {t[k]['ratio']['ratio']:.2f} "
                               f"[{t[k]['ratio']['q1']:.2f}–{t[k]['ratio']['q3']:.2f}], {t[k]['extra_ms']:+.0f} ms "
                               f"per invocation, peak RSS × {t[k]['rss_ratio']['ratio']:.2f}"
                               for k, label in (("plain", "plain app"), ("rich_hidden", "rich hidden, as cz does")))
                     )
    if "scale" in r:
        sc = r["scale"]
        rb = sc.get("real_build")
        if rb:
            rows = [[n, iqr(x["wall"]), f"{x['rss_kb']['median'] / 1024:.0f} MB"] for n, x in rb["rows"].items()]
            parts.append(f"#### Real-corpus build ({rb['reps']} alternating rounds)\n\n" +
                         md(["command", "wall median (IQR ms)", "peak RSS"], rows) +
                         f"\n\nReal build / calibration loop: {rb['real_over_cal']['ratio']:.2f} "
                         f"[{rb['real_over_cal']['q1']:.2f}–{rb['real_over_cal']['q3']:.2f}]; synthetic ×1 / real: "
                         f"{rb['x1_over_real']['ratio']:.2f}. Database {rb['db_bytes'] / 2**20:.2f} MB for "
                         f"{rb['source_bytes'] / 2**20:.2f} MB of source text = {rb['db_over_text']:.1f}×.")
        rows = []
        for s, b in sorted(sc["build"].items(), key=lambda kv: int(kv[0])):
            g = sc["generate"][s]
            st = b.get("stats", {})
            rows.append([f"×{s}", g["plans"], st.get("measures", "—"), f"{g['seconds']:.1f} s",
                         f"{b['wall_s']:.1f} s" + ("" if b["rc"] == 0 else f" (rc {b['rc']}{', killed at timeout' if b['timed_out'] else ''})"),
                         f"{b['cpu_s']:.1f} s", f"{b['peak_rss_mb']:.0f} / {b.get('tree_rss_mb', 0):.0f} MB",
                         f"{b['source_bytes'] / 2**20:.1f} MB",
                         f"{b['yaml_bytes'] / 2**20:.1f} MB",
                         f"{b['db_bytes'] / 2**20:.1f} MB" if "db_bytes" in b else "—",
                         f"{b['db_over_text']:.2f}×" if "db_over_text" in b else "—"])
        parts.append("#### Full builds per scale (one build each)\n\n"
                     "CPU is the build's and its workers'; peak RSS is that of the largest process / of all the "
                     "build's processes together (sampled every 0.25 s).\n\n" +
                     md(["scale", "plans", "measures", "generate", "`cz build`", "CPU", "peak RSS", "source text",
                         "YAML", "DB", "DB / text"], rows))
        big = max(sc["build"], key=int)
        tm = sc["build"][big].get("tables_mb")
        if tm:
            parts.append(f"Largest tables and indexes at ×{big} (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in tm.items()))
        tg = sc.get("targets", [])
        if sc["latency"]:
            rows = []
            for q, per in sc["latency"].items():
                row = [q]
                for t in tg:
                    x = per.get(t)
                    if not x:
                        row.append("—")
                        continue
                    cell = ms(x["wall"]["median"])
                    if "over_x1" in x and t != "real":
                        o = x["over_x1"]
                        cell += f" ({o['ratio']:.2f}× [{o['q1']:.2f}–{o['q3']:.2f}])"
                    row.append(cell)
                rows.append(row)
            parts.append(f"#### Query latency per scale ({sc['reps']} rounds, round-robin over scales)\n\n"
                         "Median wall time; in brackets the ratio to ×1 (median of per-round ratios [IQR]).\n\n" +
                         md(["query", *tg], rows))
            rows = []
            for q, per in sc["latency"].items():
                row = [q]
                for t in tg:
                    c = (per.get(t) or {}).get("check", {})
                    row.append(", ".join(f"{k} {v}" for k, v in c.items() if k != "terms"))
                rows.append(row)
            parts.append("Result sizes (search: `total` matches; the output is limited to 20 hits):\n\n" +
                         md(["query", *tg], rows))
    for sc, e in sorted(r.get("edits", {}).items(), key=lambda kv: int(kv[0])):
        rows = [[n, f"{ms(x['after_s']['median'])} ({x['after_s']['iqr'] * 1000:.0f})",
                 ms(x["baseline_s"]["median"]),
                 f"{x['ratio_s']['median']:.2f} [{x['ratio_s']['q1']:.2f}–{x['ratio_s']['q3']:.2f}]",
                 f"{x['rss_mb']:.0f} MB",
                 "" if x["bound_s"] is None else f"≤ {x['bound_s']} s: {verdict(x['met'])}"] for n, x in e["edits"].items()]
        parts.append(f"#### One-plan edits at ×{sc} ({e['rounds']} rounds; each edit then its undo)\n\n"
                     f"`{e['command']}` after each edit (an update in place, checked), and the same search once "
                     "the database is up to date, in the same round.\n\n" +
                     md(["edit", "next search: median (IQR ms)", "up-to-date search", "ratio [IQR]", "peak RSS",
                         "bound"], rows))
    if "segmenters" in r:
        g = r["segmenters"]
        rows = [[x["corpus"], x["terms"], f"{x['measures_same']}/{x['measures']}",
                 f"{x['sentences_same']}/{x['sentences']}" if x["sentences"] else "—"] for x in g["same"]]
        first = g["same"][0]
        part = (f"#### rjieba vs jieba\n\nSame words ({first['rjieba']} vs {first['jieba']}, HMM off, the knowledge "
                "base's terms added):\n\n" + md(["corpus", "terms", "measures cut alike", "source sentences cut alike"], rows))
        rows = [[x["corpus"], x["sentences"], f"{x['mb']:.1f} MB", f"{x['jieba_s']:.2f} s", f"{x['rjieba_s']:.3f} s",
                 f"{x['speedup']:.1f}× [{x['speedup_q1']:.1f}–{x['speedup_q3']:.1f}]"] for x in g["speed"]]
        part += ("\n\nCutting every sentence, no cache (alternating rounds):\n\n" +
                 md(["corpus", "sentences", "text", "jieba", "rjieba", "speed-up [IQR]"], rows))
        st = g["startup"]
        rows = [[n, ms(x["wall"]["median"]), f"{st['extra_ms'][n]:+.0f} ms", f"{x['rss_kb']['median'] / 1024:.0f} MB"]
                for n, x in st["rows"].items()]
        part += (f"\n\nStart-up in a fresh process ({st['reps']} alternating rounds): jieba / rjieba = "
                 f"{st['jieba_over_rjieba']['ratio']:.1f}×\n\n" + md(["process", "wall", "over python", "peak RSS"], rows))
        b = g["build"]
        rows = [[n, f"{ms(x['wall']['median'])} ({x['wall']['iqr'] * 1000:.0f})", f"{x['rss_kb']['median'] / 1024:.0f} MB"]
                for n, x in b["rows"].items()]
        part += (f"\n\n`cz build --full` of the real data ({b['reps']} alternating rounds): jieba / rjieba = "
                 f"{b['jieba_over_rjieba']['ratio']:.2f}× [{b['jieba_over_rjieba']['q1']:.2f}–{b['jieba_over_rjieba']['q3']:.2f}]; "
                 f"the two databases' {b['tables']} tables are {'identical' if b['same_tables'] else 'DIFFERENT'}.\n\n"
                 + md(["command", "wall median (IQR ms)", "peak RSS"], rows))
        parts.append(part)
    rows = [[b["what"], b["value"], verdict(b["verdict"] == "MET") if b["verdict"] in ("MET", "MISSED") else b["verdict"]]
            for b in r.get("bounds", [])]
    if r.get("code_at_end"):
        parts.append(f"Note: src/ changed during this run (commit `{(m['code']['commit'] or '?')[:12]}` at the start, "
                     f"`{(r['code_at_end']['commit'] or '?')[:12]}` at the end).")
    parts.append("#### All bounds\n\n" + md(["bound", "value", "verdict"], rows))
    print("\n\n".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())

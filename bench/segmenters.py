"""rjieba against jieba, as cz uses them (text/segment.py): the same words? how fast?

    .venv/bin/python bench/segmenters.py               # the real corpus
    .venv/bin/python bench/segmenters.py --scale 100   # and the ×100 synthetic corpus

(Adapted from the measurement of /work/h-rjieba to this branch's layout: one
``Segmenter`` for build and query, HMM off, the knowledge base's terms added.)

1. **Same words.**  Every measure (its lead phrase and text, what the build
   cuts) with ``Segmenter(terms, "rjieba")`` and ``Segmenter(terms, "jieba")``:
   identical cuts (``measures.cuts``)?  And every sentence of the plans' whole
   source texts, token by token.  The first differences are listed.
2. **Speed.**  Every sentence of the corpus (repeats included, no cache) cut
   by both in one process, a few rounds, the order alternating; the median
   of the per-round ratios.
3. **Start-up.**  Fresh processes, round-robin: Python alone, and import →
   segmenter with the terms → first cut, for each implementation.
4. **cz build end to end.**  `cz build --full` of the real data in fresh
   processes, as installed (rjieba) and with rjieba made unavailable (the
   fallback, jieba), alternating; the two databases compared table by table
   (``meta`` aside: it names the segmenter).

Results also go to bench/out/segmenters.json.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lib import OUT, PY, REPO, VENV_BIN, Cmd, alternate, paired_ratio, summary, table, verdict  # noqa: E402

WORK = OUT / "segmenters"
SAMPLE = "推进以人为核心的新型城镇化，加快农业转移人口市民化，常住人口城镇化率提高到70%左右。"

STARTUP = r"""
import sys
impl = sys.argv[1]
if impl == "none":
    sys.exit(0)
from pathlib import Path
from chengzhen.kb.loader import load_vocabularies
from chengzhen.text.segment import Segmenter
seg = Segmenter(load_vocabularies(Path(sys.argv[2])).terms(), impl)
seg.cut(sys.argv[3])
"""

NO_RJIEBA = "import sys\nsys.modules['rjieba'] = None\n"


def _corpus(data: Path):
    from chengzhen.kb.loader import iter_bundles, load_kb
    from chengzhen.text.segment import SENTENCE, measure_text

    kb = load_kb(data)
    texts, sentences = [], []
    for b in iter_bundles(kb):
        texts += [measure_text(m.title, m.text) for m in b.body.measures]
        sentences += [s for line in b.lines for s in SENTENCE.findall(line)]
    return kb.vocab.terms(), texts, sentences


def _spans(a: list[str], b: list[str]) -> str:
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            out.append(f"{'|'.join(a[i1:i2]) or '∅'} → {'|'.join(b[j1:j2]) or '∅'}")
    return "; ".join(out)


def same_words(label: str, terms, texts: list[str], sentences: list[str], max_diffs: int = 10) -> dict:
    from chengzhen.text.segment import Segmenter

    fast, ref = Segmenter(terms, "rjieba"), Segmenter(terms, "jieba")
    diffs = []
    same_m = 0
    for t in texts:
        if fast.cuts(t) == ref.cuts(t):
            same_m += 1
        elif len(diffs) < max_diffs:
            diffs.append({"text": t[:60], "spans": _spans(ref.words(t), fast.words(t))})
    distinct = list(dict.fromkeys(sentences))
    same_s = 0
    for s in distinct:
        a, b = ref.cut(s), fast.cut(s)
        if a == b:
            same_s += 1
        elif len(diffs) < max_diffs:
            diffs.append({"text": s[:60], "spans": _spans(a, b)})
    return {"corpus": label, "terms": len(fast.terms), "measures": len(texts), "measures_same": same_m,
            "sentences": len(distinct), "sentences_same": same_s, "diffs": diffs,
            "rjieba": fast.backend, "jieba": ref.backend}


def speed(label: str, terms, texts: list[str], runs: int) -> dict:
    from chengzhen.text.segment import SENTENCE, Segmenter

    sents = [s for t in texts for s in SENTENCE.findall(t)]
    fast, ref = Segmenter(terms, "rjieba"), Segmenter(terms, "jieba")
    cf, cr = fast._cutter(), ref._cutter()  # the raw cut: no per-sentence cache

    def timed(cut):
        gc.collect()
        t0 = time.perf_counter()
        n = 0
        for s in sents:
            n += len(cut(s))
        return time.perf_counter() - t0, n

    tj, tr = [], []
    for r in range(runs):
        if r % 2:
            tr.append(timed(cf)[0])
            tj.append(timed(cr)[0])
        else:
            tj.append(timed(cr)[0])
            tr.append(timed(cf)[0])
    mb = sum(len(s.encode("utf-8")) for s in sents) / 1e6
    ratios = summary([a / b for a, b in zip(tj, tr)])
    return {"corpus": label, "sentences": len(sents), "mb": mb, "runs": runs,
            "jieba_s": summary(tj)["median"], "rjieba_s": summary(tr)["median"],
            "speedup": ratios["median"], "speedup_q1": ratios["q1"], "speedup_q3": ratios["q3"]}


def startup(reps: int) -> dict:
    cmds = {name: Cmd([PY, "-c", STARTUP, impl, str(REPO / "data"), SAMPLE])
            for name, impl in (("python, nothing", "none"), ("rjieba: import, terms, first cut", "rjieba"),
                               ("jieba: import, terms, first cut", "jieba"))}
    r = alternate(cmds, reps, progress="segmenter start-up")
    base = r["python, nothing"]["wall"]
    out = {"reps": reps, "rows": {}}
    for name, x in r.items():
        out["rows"][name] = {"wall": summary(x["wall"]), "rss_kb": summary(x["rss_kb"]),
                             "over_python": paired_ratio(x["wall"], base)}
    out["jieba_over_rjieba"] = paired_ratio(r["jieba: import, terms, first cut"]["wall"],
                                            r["rjieba: import, terms, first cut"]["wall"])
    out["extra_ms"] = {name: (summary(x["wall"])["median"] - summary(base)["median"]) * 1000 for name, x in r.items()}
    return out


def _tables(db: Path) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta' "
                                        "AND name NOT LIKE 'docs_fts%' AND name NOT LIKE 'sqlite_%'")]
    got = {n: sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    conn.close()
    return got


def build_e2e(reps: int) -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    site = WORK / "no-rjieba"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(NO_RJIEBA, encoding="utf-8")
    dbs = {"rjieba": WORK / "real-rjieba.db", "jieba": WORK / "real-jieba.db"}
    env = {"CZ_DATA": str(REPO / "data")}
    cmds = {
        "cz build --full (rjieba)": Cmd([str(VENV_BIN / "cz"), "build", "--full", "-q"], {**env, "CZ_DB": str(dbs["rjieba"])}),
        "cz build --full (jieba: rjieba unavailable)": Cmd([str(VENV_BIN / "cz"), "build", "--full", "-q"],
                                                          {**env, "CZ_DB": str(dbs["jieba"]), "PYTHONPATH": str(site)}),
    }
    r = alternate(cmds, reps, warmup=1, progress="cz build, rjieba vs jieba")
    a, b = _tables(dbs["rjieba"]), _tables(dbs["jieba"])
    segs = {}
    for k, db in dbs.items():
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        segs[k] = dict(conn.execute("SELECT key, value FROM meta"))["segmenter"]
        conn.close()
    names = list(cmds)
    return {"reps": reps, "rows": {n: {"wall": summary(x["wall"]), "rss_kb": summary(x["rss_kb"])} for n, x in r.items()},
            "jieba_over_rjieba": paired_ratio(r[names[1]]["wall"], r[names[0]]["wall"]),
            "same_tables": a == b, "tables": len(a), "differing": [t for t in a if a[t] != b.get(t)], "segmenters": segs}


def run(scales: list[int] = (), runs: int = 5, startup_reps: int = 9, build_reps: int = 3) -> dict:
    import synth

    res: dict = {"same": [], "speed": []}
    corpora = [("real", REPO / "data")]
    for s in scales:
        d = OUT / "scale" / f"x{s}"
        if not (d / "plans").is_dir() or (d / "plans.yaml").exists():  # (a corpus of the old layout: anew)
            synth.generate(s, d)
        corpora.append((f"×{s}", d))
    for label, data in corpora:
        terms, texts, sentences = _corpus(data)
        print(f"  segmenters: {label}: {len(texts)} measures", file=sys.stderr)
        res["same"].append(same_words(label, terms, texts, sentences if label == "real" else []))
        res["speed"].append(speed(label, terms, texts, runs))
    res["startup"] = startup(startup_reps)
    res["build"] = build_e2e(build_reps)
    return res


def text(res: dict) -> str:
    parts = []
    rows = [[r["corpus"], r["terms"], f"{r['measures_same']}/{r['measures']}",
             f"{r['sentences_same']}/{r['sentences']}" if r["sentences"] else "—"] for r in res["same"]]
    first = res["same"][0]
    t = table(["corpus", "terms added", "measures cut alike", "source sentences cut alike"], rows,
              f"Same words: {first['rjieba']} vs {first['jieba']} (HMM off, the knowledge base's terms)")
    diffs = [d for r in res["same"] for d in r["diffs"]]
    t += "\n  " + ("differences: " + " / ".join(f"{d['text']}: {d['spans']}" for d in diffs) if diffs
                   else "no differences")
    parts.append(t)
    rows = [[r["corpus"], r["sentences"], f"{r['mb']:.1f} MB", f"{r['jieba_s']:.2f} s", f"{r['rjieba_s']:.3f} s",
             f"{r['speedup']:.1f}× [{r['speedup_q1']:.1f}–{r['speedup_q3']:.1f}]"] for r in res["speed"]]
    parts.append(table(["corpus", "sentences", "text", "jieba", "rjieba", "rjieba's speed-up"], rows,
                       f"Cutting every sentence (no cache), medians of {res['speed'][0]['runs']} alternating rounds"))
    st = res["startup"]
    rows = [[n, f"{x['wall']['median'] * 1000:.0f} ms", f"{st['extra_ms'][n]:+.0f} ms", f"{x['rss_kb']['median'] / 1024:.0f} MB"]
            for n, x in st["rows"].items()]
    t = table(["fresh process", "wall", "over python", "peak RSS"], rows,
              f"Start-up: import, {first['terms']} terms, first cut ({st['reps']} alternating rounds)")
    r = st["jieba_over_rjieba"]
    t += f"\n  jieba / rjieba: {r['ratio']:.1f}× [{r['q1']:.1f}–{r['q3']:.1f}]"
    parts.append(t)
    b = res["build"]
    rows = [[n, f"{x['wall']['median'] * 1000:.0f} ms (IQR {x['wall']['iqr'] * 1000:.0f})", f"{x['rss_kb']['median'] / 1024:.0f} MB"]
            for n, x in b["rows"].items()]
    t = table(["real data", "wall", "peak RSS"], rows, f"cz build --full end to end ({b['reps']} alternating rounds)")
    r = b["jieba_over_rjieba"]
    t += (f"\n  jieba / rjieba: {r['ratio']:.2f}× [{r['q1']:.2f}–{r['q3']:.2f}]; the two databases' {b['tables']} tables "
          f"{'identical' if b['same_tables'] else 'DIFFER: ' + ', '.join(b['differing'])} (meta names "
          f"{b['segmenters']['rjieba']} / {b['segmenters']['jieba']})")
    parts.append(t)
    return "\n\n".join(parts)


def bounds(res: dict) -> list[dict]:
    same = all(r["measures_same"] == r["measures"] and r["sentences_same"] == r["sentences"] for r in res["same"])
    return [
        {"what": "rjieba cuts every measure and source sentence as jieba does", "value":
         ", ".join(f"{r['corpus']} {r['measures_same']}/{r['measures']}" for r in res["same"]), "met": same},
        {"what": "a build with the jieba fallback gives the same tables", "value":
         "identical" if res["build"]["same_tables"] else "differ", "met": res["build"]["same_tables"]},
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, action="append", default=[], help="also the ×N synthetic corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--startup-reps", type=int, default=9)
    ap.add_argument("--build-reps", type=int, default=3)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    res = run(args.scale, args.runs, args.startup_reps, args.build_reps)
    (OUT / "segmenters.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    print(text(res))
    print()
    print(table(["bound", "value", "verdict"], [[b["what"], b["value"], verdict(b["met"])] for b in bounds(res)]))


if __name__ == "__main__":
    main()

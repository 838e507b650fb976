"""Why typer 0.16: the hello-world app on typer 0.16.x (the project's venv)
against typer 0.29.x in a throwaway venv under bench/out/, in one
alternating run.  The throwaway venv gets the same click, rich and pydantic
versions as the project's venv, so only typer differs."""

from __future__ import annotations

import statistics
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from lib import OUT, PY, REPO, Cmd, alternate, fmt_med, import_profile, paired_ratio, run_once, summary, table

NEW_TYPER = "0.29.2"
VENV = OUT / "venv-typer029"
HELLO = str(REPO / "bench" / "hello_typer.py")
PYDANTIC_FAMILY = ("pydantic", "pydantic_core", "annotated_types", "typing_inspection")


def _pins() -> list[str]:
    pins = [f"typer=={NEW_TYPER}"]
    for dist in ("click", "rich", "pydantic"):
        try:
            pins.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    return pins


def ensure_venv() -> tuple[Path | None, str]:
    py = VENV / "bin" / "python"
    if py.exists():
        got = subprocess.run([str(py), "-c", "import typer; print(typer.__version__)"], capture_output=True, text=True)
        if got.returncode == 0 and got.stdout.strip() == NEW_TYPER:
            return py, "reused"
    try:
        subprocess.run([PY, "-m", "venv", "--clear", str(VENV)], check=True, capture_output=True)
        r = subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *_pins()],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            return None, "pip install failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    except (subprocess.SubprocessError, OSError) as exc:
        return None, f"could not create the venv: {exc}"
    return py, "created"


def _import_profile(py: Path, env: dict, n: int = 5) -> dict:
    """-X importtime, n runs: median of the summed self import time per package."""
    per: dict[str, list[float]] = {}
    totals = []
    for _ in range(n):
        run = run_once(Cmd([str(py), "-X", "importtime", HELLO, "search", "老旧小区", "--format", "json"], env),
                       keep_output=True)
        prof = import_profile(run.err.decode("utf-8", "replace"))
        totals.append(sum(prof.values()))
        for k, v in prof.items():
            per.setdefault(k, []).append(v)
    med = {k: statistics.median(v + [0.0] * (n - len(v))) for k, v in per.items()}
    pyd = sum(med.get(k, 0.0) for k in PYDANTIC_FAMILY)
    return {"pydantic_imported": "pydantic" in med, "pydantic_family_ms": round(pyd, 1),
            "rich_imported": "rich" in med, "rich_family_ms": round(med.get("rich", 0.0) + med.get("markdown_it", 0.0)
                                                                    + med.get("pygments", 0.0), 1),
            "total_import_ms": round(statistics.median(totals), 1), "runs": n,
            "top_ms": sorted(((k, round(v, 1)) for k, v in med.items()), key=lambda kv: -kv[1])[:8]}


def run(reps: int) -> dict:
    py, how = ensure_venv()
    if py is None:
        return {"skipped": how}
    old_v = metadata.version("typer")
    hide = {"HELLO_HIDE_RICH": "1"}
    variants = {
        f"typer {old_v}": (PY, {}),
        f"typer {NEW_TYPER}": (str(py), {}),
        f"typer {old_v}, rich hidden (as cz)": (PY, hide),
        f"typer {NEW_TYPER}, rich hidden (as cz)": (str(py), hide),
    }
    cmds = {n: Cmd([p, HELLO, "search", "老旧小区", "--format", "json"], e) for n, (p, e) in variants.items()}
    res = alternate(cmds, reps, progress="typer versions")
    names = list(cmds)

    def pr(a, b, key="wall"):
        return paired_ratio(res[a][key], res[b][key])

    def extra(a, b):
        return (summary(res[a]["wall"])["median"] - summary(res[b]["wall"])["median"]) * 1000

    return {
        "venv": str(VENV), "venv_status": how, "pins": _pins(), "reps": reps,
        "rows": {n: {"wall": summary(r["wall"]), "rss_kb": summary(r["rss_kb"]), "_wall": r["wall"]}
                 for n, r in res.items()},
        "plain": {"ratio": pr(names[1], names[0]), "rss_ratio": pr(names[1], names[0], "rss_kb"),
                  "extra_ms": extra(names[1], names[0])},
        "rich_hidden": {"ratio": pr(names[3], names[2]), "rss_ratio": pr(names[3], names[2], "rss_kb"),
                        "extra_ms": extra(names[3], names[2])},
        "imports": {n: _import_profile(Path(p), e) for n, (p, e) in variants.items()},
    }


def text(res: dict) -> str:
    if "skipped" in res:
        return f"typer 0.16 vs {NEW_TYPER}: skipped ({res['skipped']})"
    rows = []
    for n, r in res["rows"].items():
        imp = res["imports"][n]
        rows.append([n, fmt_med(r["wall"]), f"{r['rss_kb']['median'] / 1024:.1f} MB",
                     f"{imp['pydantic_family_ms']:.0f} ms" if imp["pydantic_imported"] else "not imported",
                     f"{imp['rich_family_ms']:.0f} ms" if imp["rich_imported"] else "not imported",
                     f"{imp['total_import_ms']:.0f} ms"])
    t = table(["hello-world app", "wall median (IQR)", "peak RSS", "pydantic imports", "rich+markdown_it+pygments",
               "all imports"], rows,
              f"Hello-world Typer app, typer 0.16 vs {NEW_TYPER}, {res['reps']} alternating rounds "
              "(import columns: summed self times, median of 5 -X importtime runs)")
    for key, label in (("plain", "plain app"), ("rich_hidden", "rich hidden as in cz")):
        x = res[key]
        r, m = x["ratio"], x["rss_ratio"]
        t += (f"\n  {label}: typer {NEW_TYPER} / 0.16 wall {r['ratio']:.2f} [{r['q1']:.2f}–{r['q3']:.2f}], "
              f"{x['extra_ms']:+.0f} ms per invocation; peak RSS ratio {m['ratio']:.2f}")
    return t


if __name__ == "__main__":
    print(text(run(int(sys.argv[1]) if len(sys.argv) > 1 else 15)))

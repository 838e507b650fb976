"""Why typer 0.16: the hello-world app on typer 0.16.x (the project's venv)
against typer 0.29.x in a throwaway venv under bench/out/, in one
alternating run.  The throwaway venv gets the same click, rich and pydantic
versions as the project's venv, so only typer differs."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from lib import OUT, PY, REPO, Cmd, alternate, fmt_med, paired_ratio, run_once, summary, table

NEW_TYPER = "0.29.2"
VENV = OUT / "venv-typer029"
HELLO = str(REPO / "bench" / "hello_typer.py")


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


def _import_profile(py: Path, n: int = 5) -> dict:
    """-X importtime, n runs: medians of the cumulative import of typer and pydantic."""
    typer_ms, pyd_ms, seen = [], [], False
    for _ in range(n):
        run = run_once(Cmd([str(py), "-X", "importtime", HELLO, "search", "老旧小区", "--format", "json"]),
                       keep_output=True)
        err = run.err.decode("utf-8", "replace")
        cum: dict[str, float] = {}
        for m in re.finditer(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|\s(\s*)(\S+)", err):
            name = m.group(3)
            if "." not in name:
                cum[name] = max(cum.get(name, 0.0), float(m.group(1)) / 1000)
        seen = seen or "pydantic" in cum
        typer_ms.append(cum.get("typer", 0.0))
        pyd_ms.append(cum.get("pydantic", 0.0))
    return {"pydantic_imported": seen, "pydantic_ms": round(statistics.median(pyd_ms), 1),
            "typer_ms": round(statistics.median(typer_ms), 1), "runs": n}


def run(reps: int) -> dict:
    py, how = ensure_venv()
    if py is None:
        return {"skipped": how}
    old_v = metadata.version("typer")
    cmds = {
        f"hello-typer, typer {old_v}": Cmd([PY, HELLO, "search", "老旧小区", "--format", "json"]),
        f"hello-typer, typer {NEW_TYPER}": Cmd([str(py), HELLO, "search", "老旧小区", "--format", "json"]),
    }
    res = alternate(cmds, reps, progress="typer versions")
    names = list(cmds)
    old, new = res[names[0]], res[names[1]]
    return {
        "venv": str(VENV), "venv_status": how, "pins": _pins(), "reps": reps,
        "rows": {n: {"wall": summary(r["wall"]), "rss_kb": summary(r["rss_kb"])} for n, r in res.items()},
        "ratio_new_over_old": paired_ratio(new["wall"], old["wall"]),
        "rss_ratio_new_over_old": paired_ratio(new["rss_kb"], old["rss_kb"]),
        "extra_ms": (summary(new["wall"])["median"] - summary(old["wall"])["median"]) * 1000,
        "imports": {names[0]: _import_profile(Path(PY)), names[1]: _import_profile(py)},
    }


def text(res: dict) -> str:
    if "skipped" in res:
        return f"typer 0.16 vs {NEW_TYPER}: skipped ({res['skipped']})"
    rows = []
    for n, r in res["rows"].items():
        imp = res["imports"][n]
        rows.append([n, fmt_med(r["wall"]), f"{r['rss_kb']['median'] / 1024:.1f} MB",
                     f"{'yes' if imp['pydantic_imported'] else 'no'} ({imp['pydantic_ms']:.0f} ms)", f"{imp['typer_ms']:.0f} ms"])
    t = table(["command", "wall median (IQR)", "peak RSS", "pydantic imported (cum.)", "import typer (cum.)"], rows,
              f"Hello-world Typer app, {res['reps']} alternating rounds")
    r = res["ratio_new_over_old"]
    m = res["rss_ratio_new_over_old"]
    t += (f"\n  typer {NEW_TYPER} / 0.16 wall: {r['ratio']:.2f} [{r['q1']:.2f}–{r['q3']:.2f}], "
          f"+{res['extra_ms']:.0f} ms per invocation; peak RSS ratio {m['ratio']:.2f}")
    return t


if __name__ == "__main__":
    print(text(run(int(sys.argv[1]) if len(sys.argv) > 1 else 15)))

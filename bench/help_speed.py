"""`--help` in either language against the help before i18n (issue 22,
Speed: "`--help` in either language no slower than today's help").

The baseline is the commit docs/performance.md ("Reports and help in two
languages") timed the help against: main at 9ad0976, before the message
catalogue existed (no chengzhen/i18n.py).  Its src/ is unpacked with `git
archive` into a throwaway tree under bench/out/help-base/ and run with this
venv's packages (the same click and Typer), each side from its own
compiled sources; optionally a second reference (``--also REV``: e.g. main,
the help before this change).  Every command is a fresh process, the sides
alternate round by round (bench/lib.py), and the ratio is the median of the
per-round ratios (CPU: user+sys, the steadier figure on a shared machine;
wall beside it).

With ``--instructions`` (valgrind installed) it also counts each help's
instructions once under callgrind: a figure the machine's load does not
move (the same command counts the same within ~0.1 %), as a second
reading beside the timed one on a busy shared machine.

    .venv/bin/python bench/help_speed.py [--base 9ad0976] [--also main] [--rounds 31] [--instructions]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib import OUT, PY, REPO, Cmd, alternate, fmt_med, paired_ratio, summary, table  # noqa: E402

HELPS = {"cz --help": ["--help"], "cz search --help": ["search", "--help"],
         "cz targets --help": ["targets", "--help"]}
CODE = "from chengzhen.cli.main import main; main()"


def unpack(rev: str) -> Path:
    """``rev``'s src/ under bench/out/help-base/<sha>/ (made once, compiled)."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev], capture_output=True, text=True,
                         check=True).stdout.strip()
    where = OUT / "help-base" / sha
    if not (where / "src" / "chengzhen").is_dir():
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir(parents=True)
        subprocess.run(f"git -C {REPO} archive {sha} src | tar -x -C {where}", shell=True, check=True)
    subprocess.run([PY, "-m", "compileall", "-q", str(where / "src")], check=True)
    return where


def instructions(cmd: Cmd) -> int:
    """The instructions a command executes (callgrind's ``Collected``)."""
    import os
    import re

    got = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd.argv],
                         env={**os.environ, **cmd.env}, capture_output=True, text=True, cwd=cmd.cwd)
    m = re.search(r"Collected : (\d+)", got.stderr)
    if not m:
        raise RuntimeError(f"callgrind: {got.stderr[-300:]}")
    return int(m.group(1))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="9ad0976", help="the help before i18n (docs/performance.md)")
    ap.add_argument("--also", default=None, help="a second reference, e.g. main")
    ap.add_argument("--rounds", type=int, default=31)
    ap.add_argument("--instructions", action="store_true", help="also count instructions (valgrind callgrind)")
    a = ap.parse_args(argv[1:])
    OUT.mkdir(exist_ok=True)
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "src")], check=True)
    db = OUT / "help-base" / "none.db"  # help opens no database
    sides = {"new": REPO}
    sides[f"base {a.base}"] = unpack(a.base)
    if a.also:
        sides[f"also {a.also}"] = unpack(a.also)
    cmds: dict[str, Cmd] = {}
    for label, args in HELPS.items():
        for side, root in sides.items():
            for lang in ("en", "zh") if side == "new" or side.startswith("also") else ("en",):
                env = {"PYTHONPATH": str(root / "src"), "CZ_DB": str(db), "CZ_LANG": lang, "COLUMNS": "100"}
                cmds[f"{label} [{side} {lang}]"] = Cmd([PY, "-c", CODE, *args], env=env)
    base = f"base {a.base}"
    if a.instructions:
        counts = {name: instructions(cmd) for name, cmd in cmds.items()}
        print(f"\ninstructions (callgrind), each / [{base} en]:")
        for label in HELPS:
            ref = counts[f"{label} [{base} en]"]
            for name in [n for n in counts if n.startswith(label + " [") and base not in n]:
                print(f"  {name}: {counts[name] / 1e6:.1f} M, {counts[name] / ref:.3f} (base {ref / 1e6:.1f} M)")
    res = alternate(cmds, a.rounds, progress="help")
    rows = [[name, fmt_med(summary(r["wall"])), fmt_med(summary(r["cpu"]))] for name, r in res.items()]
    print(table(["command", "wall", "cpu"], rows, title=f"\nhelp, {a.rounds} alternating rounds"))
    print()
    for label in HELPS:
        for side in [s for s in sides if s != base]:
            for lang in ("en", "zh"):
                mine, ref = res[f"{label} [{side} {lang}]"], res[f"{label} [{base} en]"]
                c, w = paired_ratio(mine["cpu"], ref["cpu"]), paired_ratio(mine["wall"], ref["wall"])
                print(f"{label} [{side} {lang}] / [{base}]: cpu {c['ratio']:.3f} [{c['q1']:.3f}–{c['q3']:.3f}], "
                      f"wall {w['ratio']:.3f} [{w['q1']:.3f}–{w['q3']:.3f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

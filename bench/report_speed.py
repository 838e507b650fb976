"""`cz report` and `cz --help` timed, each against a baseline in the same
run (alternating rounds, paired ratios: bench/lib.py).

1. `cz report compare --task 4.1 guizhou qinghai hunan hebei -o X.docx
   --force` (bound: ≤ 1.5 s), and the same as Markdown, against `cz compare`
   of the same question as JSON (the answer alone);
2. `cz --help` and `cz search --help`, in English and in Chinese
   (`CZ_LANG=zh`), against the same help of another commit (default: main —
   the help before the catalogue), its src/ unpacked with git archive; and
   an ordinary `cz search 老旧小区`, which must not pay for the language.

    .venv/bin/python bench/report_speed.py [COMMIT] [ROUNDS]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib import OUT, PY, REPO, Cmd, alternate, fmt_med, paired_ratio, summary, table  # noqa: E402

COMPARE = ["--task", "4.1", "guizhou", "qinghai", "hunan", "hebei"]
BOUND = 1.5  # seconds, issue 22


def main(argv: list[str]) -> int:
    commit = argv[1] if len(argv) > 1 else "main"
    rounds = int(argv[2]) if len(argv) > 2 else 15
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cz-report-speed-"))
    old = work / "old"
    old.mkdir()
    subprocess.run(f"git -C {REPO} archive {commit} src data | tar -x -C {old}", shell=True, check=True)
    subprocess.run([PY, "-m", "compileall", "-q", str(old / "src"), str(REPO / "src")], check=True)
    code = "from chengzhen.cli.main import main; main()"
    # each side its own data and database (another commit may build another schema)
    new_env = {"PYTHONPATH": str(REPO / "src"), "CZ_DATA": str(REPO / "data"), "CZ_DB": str(work / "new.db")}
    old_env = {"PYTHONPATH": str(old / "src"), "CZ_DATA": str(old / "data"), "CZ_DB": str(work / "old.db")}
    for env in (new_env, old_env):  # the databases built first
        subprocess.run([PY, "-c", code, "build", "-q"], check=True, env={**__import__("os").environ, **env})

    # 1. the report against the answer alone
    cmds = {
        "cz report compare (docx)": Cmd([PY, "-c", code, "report", "compare", *COMPARE, "-o", str(work / "r.docx"),
                                         "--force"], env=new_env),
        "cz report compare (md)": Cmd([PY, "-c", code, "report", "compare", *COMPARE, "-o", str(work / "r.md"),
                                       "--force"], env=new_env),
        "cz compare -f json": Cmd([PY, "-c", code, "compare", *COMPARE, "-f", "json"], env=new_env),
    }
    res = alternate(cmds, rounds, progress="report")
    rows = [[name, fmt_med(summary(r["wall"])), fmt_med(summary(r["cpu"]))] for name, r in res.items()]
    print(table(["command", "wall", "cpu"], rows, title=f"\n`cz report` ({rounds} rounds)"))
    docx_wall = summary(res["cz report compare (docx)"]["wall"])["median"]
    for name in ("cz report compare (docx)", "cz report compare (md)"):
        r = paired_ratio(res[name]["wall"], res["cz compare -f json"]["wall"])
        print(f"{name} / cz compare -f json: {r['ratio']:.2f} [{r['q1']:.2f}–{r['q3']:.2f}]")
    print(f"bound: report compare ≤ {BOUND} s: {'met' if docx_wall <= BOUND else 'NOT met'} ({docx_wall:.2f} s)")

    # 2. help, against the other commit's
    helps = {}
    for label, args in (("cz --help", ["--help"]), ("cz search --help", ["search", "--help"]),
                        ("cz report compare --help", ["report", "compare", "--help"]),
                        ("cz search 老旧小区", ["search", "老旧小区"])):
        for lang in ("en", "zh"):
            helps[f"{label} [{lang}]"] = Cmd([PY, "-c", code, *args], env={**new_env, "CZ_LANG": lang})
        if args[0] != "report":  # not in the old commit
            helps[f"{label} [{commit}]"] = Cmd([PY, "-c", code, *args], env=old_env)
    res = alternate(helps, rounds, progress="help")
    rows = [[name, fmt_med(summary(r["wall"])), fmt_med(summary(r["cpu"]))] for name, r in res.items()]
    print(table(["command", "wall", "cpu"], rows, title=f"\nhelp ({rounds} rounds)"))
    for label in ("cz --help", "cz search --help", "cz search 老旧小区"):
        for lang in ("en", "zh"):
            w = paired_ratio(res[f"{label} [{lang}]"]["wall"], res[f"{label} [{commit}]"]["wall"])
            c = paired_ratio(res[f"{label} [{lang}]"]["cpu"], res[f"{label} [{commit}]"]["cpu"])
            print(f"{label} [{lang}] / [{commit}]: wall {w['ratio']:.2f} [{w['q1']:.2f}–{w['q3']:.2f}], "
                  f"cpu {c['ratio']:.2f} [{c['q1']:.2f}–{c['q3']:.2f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

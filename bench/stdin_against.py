"""`cz search --stdin` of this checkout against another commit's, paired:
the same 2 000 queries (bench/search_speed.py's mix) through both, in
alternating rounds, on the same database; prints each side's median and
the median of the paired ratios new / old, and checks that both answer
with the same hits.  The other commit's src/ is unpacked with git archive.

    .venv/bin/python bench/stdin_against.py c4295b8 9
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import json
import resource

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import search_speed  # noqa: E402
from lib import PY, REPO  # noqa: E402

commit = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
old_root = pathlib.Path(tempfile.mkdtemp(prefix="cz-old-"))
subprocess.run(f"git -C {REPO} archive {commit} src | tar -x -C {old_root}", shell=True, check=True)
subprocess.run([PY, "-m", "compileall", "-q", str(old_root / "src"), str(REPO / "src")], check=True)
db = search_speed.prepare_real()
mix = search_speed.queries(db)
feed = ("\n".join(mix) + "\n").encode()
code = "from chengzhen.cli.main import main; main()"
env0 = dict(os.environ, CZ_DB=str(db), CZ_DATA=str(REPO / "data"))
srcs = {f"old ({commit})": str(old_root / "src"), "new": str(REPO / "src")}
times = {k: [] for k in srcs}
cpu = {k: [] for k in srcs}  # user + system seconds of the child: far less sensitive to a busy machine than wall
outs = {}
for r in range(rounds):
    for k, src in srcs.items():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run([PY, "-c", code, "search", "--stdin"], input=feed, env=dict(env0, PYTHONPATH=src),
                           capture_output=True)
        times[k].append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[k].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        outs[k] = p.stdout
old_key = f"old ({commit})"
med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
ratios = sorted(n / o for n, o in zip(times["new"], times[old_key]))
for k, v in med.items():
    print(f"{k}: {v * 1000:.0f} ms for {len(mix)} queries = {len(mix) / v:.0f} q/s")
print(f"new / old, paired median of {rounds}: {ratios[len(ratios) // 2]:.2f} "
      f"[{ratios[len(ratios) // 4]:.2f}–{ratios[(3 * len(ratios)) // 4]:.2f}]")
cmed = {k: sorted(v)[len(v) // 2] for k, v in cpu.items()}
cratios = sorted(n / o for n, o in zip(cpu["new"], cpu[old_key]))
for k, v in cmed.items():
    print(f"{k}: {v * 1000:.0f} ms CPU = {len(mix) / v:.0f} q/s of CPU")
print(f"new / old CPU time, paired median: {cratios[len(cratios) // 2]:.2f} "
      f"[{cratios[len(cratios) // 4]:.2f}–{cratios[(3 * len(cratios)) // 4]:.2f}]")
a = [json.loads(line) for line in outs[old_key].decode().splitlines()]
b = [json.loads(line) for line in outs["new"].decode().splitlines()]
same = len(a) == len(b) and all([r["id"] for r in x["records"]] == [r["id"] for r in y["records"]] for x, y in zip(a, b))
print("the same hits for every query:", same)

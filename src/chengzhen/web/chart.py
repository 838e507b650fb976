"""Bar charts of targets as geometry for an SVG drawn on the server (the
template ``cz_macros.html:chart`` turns it into SVG, escaping every label):
no JavaScript, no library, nothing fetched.

One chart per unit and basis (a level, a yearly growth, an increase), all
bars on one shared scale from zero: the target (its upper bound for a
range) as a bar, a level target's baseline as a thin bar beneath it.
"""

from __future__ import annotations

from chengzhen.answers.present import baseline_label, committed_value, year_label

WIDTH = 900
LABEL_W = 210
VALUE_W = 250
ROW_H = 30
TOP = 34
BOTTOM = 26
BASIS_LABELS = {"level": "", "annual_growth": "年均增长", "increase": "增加", "decrease": "减少"}


def _nice(top: float) -> float:
    """A round number at or above ``top`` for the scale's end."""
    if top <= 0:
        return 1.0
    import math

    mag = 10 ** math.floor(math.log10(top))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * mag >= top:
            return step * mag
    return 10 * mag


def _fmt(x: float) -> str:
    return f"{x:g}"


def _short(text: str, n: int = 16) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def charts(rows: list[dict], *, by_indicator: bool, limit: int | None = None) -> list[dict]:
    """Charts for the targets with a number (commitments have none),
    grouped by unit and basis (and by indicator when several indicators
    are listed)."""
    groups: dict[tuple, list[dict]] = {}
    for t in rows:
        if t.get("value") is None:
            continue
        key = ((t["indicator"],) if by_indicator else ()) + (t.get("unit") or "", t.get("basis") or "level")
        groups.setdefault(key, []).append(t)
    ordered = sorted(groups.items(), key=lambda kv: (-len({t["plan"] for t in kv[1]}), -len(kv[1]), kv[0]))
    if limit is not None:
        ordered = ordered[:limit]
    return [_chart(ts, by_indicator) for _key, ts in ordered]


def _chart(ts: list[dict], by_indicator: bool) -> dict:
    basis = ts[0].get("basis") or "level"
    unit = ts[0].get("unit") or ""
    with_base = basis == "level"
    top = max(max(t["value_max"] if t.get("value_max") is not None else t["value"],
                  (t.get("baseline") or 0) if with_base else 0) for t in ts)
    end = _nice(top)
    x0, x1 = LABEL_W, WIDTH - VALUE_W
    span = x1 - x0
    single = len({t["indicator"] for t in ts}) == 1
    out_rows = []
    y = TOP
    for t in ts:
        v = t["value_max"] if t.get("value_max") is not None else t["value"]
        who = t.get("scope") or ("" if by_indicator or single else t["indicator"])
        label = f"{t.get('plan_name') or t['plan']} {who}".strip()
        row = {"y": y, "label": _short(label, 15), "full_label": label,
               "bar_w": max(1.0, round(span * v / end, 1)) if v > 0 else 0.0,
               "value": f"{committed_value(t)}({year_label(t)})", "measure_id": t["measure_id"],
               "target_id": t.get("id"), "base_w": None, "base": None}
        if with_base and t.get("baseline") is not None:
            row["base_w"] = max(1.0, round(span * t["baseline"] / end, 1)) if t["baseline"] > 0 else 0.0
            row["base"] = "基期 " + baseline_label(t)
        out_rows.append(row)
        y += ROW_H + (12 if row["base"] else 0)
    ticks = [{"x": round(x0 + span * f, 1), "label": _fmt(end * f)} for f in (0, 0.25, 0.5, 0.75, 1)]
    names = sorted({t["indicator"] for t in ts})
    title = ("、".join(names) if len(names) <= 3 else f"{names[0]} 等{len(names)}项指标")
    title += (" " + BASIS_LABELS.get(basis, basis)).rstrip() + f"(单位：{unit or '—'}；同一刻度 0—{_fmt(end)})"
    return {"title": title, "width": WIDTH, "height": y + BOTTOM, "x0": x0, "x1": x1, "axis_y": y + 4,
            "rows": out_rows, "ticks": ticks, "implied": any(t.get("year_implied") for t in ts),
            "narrow": _narrow(out_rows, end)}


NARROW_W = 340   # a phone's width: drawn at its size, so no text is scaled below its font size
NARROW_ROW = 58


def _narrow(rows: list[dict], end: float) -> dict:
    """The same bars for a phone: each row's label and value on lines of
    their own above its bar (a full-width scale), text at ≥ 12 px."""
    out = []
    y = 26
    for r in rows:
        scale = NARROW_W / (WIDTH - LABEL_W - VALUE_W)
        out.append({**r, "y": y, "bar_w": round(r["bar_w"] * scale, 1),
                    "base_w": round(r["base_w"] * scale, 1) if r["base_w"] is not None else None,
                    "label": _short(r["full_label"], 24)})
        y += NARROW_ROW + (8 if r["base"] else 0)
    ticks = [{"x": round(NARROW_W * f, 1), "label": _fmt(end * f), "anchor": a}
             for f, a in ((0, "start"), (0.5, "middle"), (1, "end"))]
    return {"width": NARROW_W, "height": y + 6, "rows": out, "ticks": ticks, "axis_y": y}

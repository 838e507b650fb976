"""`cz targets` and the targets page: every quantitative target as
committed, by year or range, plan, indicator, topic and scope; for an
indicator, the plans that set none (``silent``) and those that set one the
filters left out (``elsewhere``)."""

from __future__ import annotations

from chengzhen.answers.answer import Answer

from chengzhen.query.catalog import TARGET_COLUMNS as COLUMNS  # the records' keys, declared with them


class TargetsAsk:
    __slots__ = ("year", "plans", "indicator", "topics", "scope", "within", "commitments", "progress", "as_of")

    def __init__(self, *, year: str | None = None, plans=None, indicator: str | None = None, topics=None,
                 scope: str | None = None, within: bool = False, commitments=None, progress: bool = False,
                 as_of: str | int | None = None):
        self.year, self.plans, self.indicator = year, list(plans or []), indicator
        self.topics, self.scope, self.within, self.commitments = list(topics or []), scope, within, commitments
        self.progress, self.as_of = progress, as_of  # each target against the statistics (answers/progress.py)


def answer(conn, ask: TargetsAsk) -> Answer:
    from chengzhen.answers import args
    from chengzhen.query import catalog
    from chengzhen.query import places as P
    from chengzhen.query.resolve import resolve_indicators, resolve_plans, resolve_topics

    commitments = args.commitments(ask.commitments)
    years = args.years(ask.year)
    plans = resolve_plans(conn, ask.plans, within=ask.within)
    inds = resolve_indicators(conn, ask.indicator) if ask.indicator is not None else None
    topics = resolve_topics(conn, ask.topics)
    where = P.resolve_scope(conn, ask.scope) if ask.scope is not None else None
    rows = catalog.list_targets(conn, plans=plans, years=years, indicators=inds, topics=topics, scope=where,
                                within=ask.within, commitments=commitments)
    query = {"year": list(years) if years else None, "plans": plans, "indicators": inds, "topics": topics,
             "scope": ask.scope, "place": where, "within": ask.within, "widened": P.widens(conn, where, ask.within),
             "commitments": args.commitments_shown(commitments, years)}
    notes = []
    if where is not None and not ask.within:
        inner = len(catalog.list_targets(conn, plans=plans, years=years, indicators=inds, topics=topics,
                                         scope=where, within=True, commitments=commitments)) - len(rows)
        if inner > 0:
            notes.append(f"另有 {inner} 项目标设于{where['name']}之内的地方(如市级方案、方案所指的区域), 未列出")
    if P.within_note(conn, where, ask.within):
        notes.append(P.within_note(conn, where, ask.within))
    blocks = {}
    if inds is not None:
        silence = catalog.silence(conn, rows, plans, inds)
        blocks = {"indicators": inds, "silent": silence["silent"], "elsewhere": silence["elsewhere"]}
    columns = COLUMNS
    if ask.progress:
        from chengzhen.answers import progress as AP

        rows, blocks["sources"] = AP.with_progress(conn, rows, ask.as_of)
        columns = COLUMNS + AP.TARGETS_PROGRESS_COLUMNS
        query["progress"], query["as_of"] = True, AP.as_of(ask.as_of)
        notes.append(AP.RULE)
    return Answer("targets", rows, columns, query=query, blocks=blocks, notes=notes, id_key="id")


def dated(ans: Answer) -> list[dict]:
    return [t for t in ans.records if t.get("kind") != "commitment"]


def promised(ans: Answer) -> list[dict]:
    return [t for t in ans.records if t.get("kind") == "commitment"]

"""`cz build` on stderr: a progress bar on a terminal, then a summary."""

from __future__ import annotations

import contextlib

from chengzhen.cli import render as R
from chengzhen.i18n import _


@contextlib.contextmanager
def progress(env, quiet: bool):
    if quiet or not env.stderr_is_tty:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                  console=R.console(env, stderr=True), transient=True) as prog:
        tasks: dict[str, int] = {}

        def update(kind: str, done: int, total: int) -> None:
            if kind not in tasks:
                tasks[kind] = prog.add_task("方案" if kind == "plans" else "条目", total=total, rate="")
            task = prog.tasks[tasks[kind]]
            rate = f"{done / task.elapsed:,.0f}/s" if task.elapsed else ""
            prog.update(tasks[kind], completed=done, rate=rate)

        yield update


def summary(env, stats: dict, path) -> None:
    if stats.get("mode") == "incremental":
        words = {"changed": _("changed"), "added": _("added"), "deleted": _("deleted"),
                 "statistics": _("statistics files replaced")}
        what = _("; ").join(f"{words[k]} {', '.join(stats[k])}" for k in ("changed", "added", "deleted", "statistics")
                            if stats.get(k))
        env.stderr.write(_("cz: updated {path}: {what} ({plans} plans, {measures} measures) in {seconds} s").format(
            path=path, what=what or _("no plan changed"), plans=stats["plans"], measures=stats["measures"],
            seconds=f"{stats['seconds']:.2f}") + "\n")
        return
    env.stderr.write(_("cz: built {path}: {plans} plans, {sections} sections, {measures} measures, {targets} "
                       "targets in {seconds} s").format(
        path=path, plans=stats["plans"], sections=stats["sections"], measures=stats["measures"],
        targets=stats["targets"], seconds=f"{stats['seconds']:.2f}") + "\n")

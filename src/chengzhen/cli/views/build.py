"""`cz build` on stderr: a progress bar on a terminal, then a summary."""

from __future__ import annotations

import contextlib

from chengzhen.cli import render as R


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
        what = "; ".join(f"{k} {', '.join(stats[k])}" for k in ("changed", "added", "deleted") if stats.get(k))
        env.stderr.write(f"cz: updated {path}: {what or 'no plan changed'} "
                         f"({stats['plans']} plans, {stats['measures']} measures) in {stats['seconds']:.2f} s\n")
        return
    env.stderr.write(
        f"cz: built {path}: {stats['plans']} plans, {stats['sections']} sections, {stats['measures']} measures, "
        f"{stats['targets']} targets in {stats['seconds']:.2f} s\n"
    )

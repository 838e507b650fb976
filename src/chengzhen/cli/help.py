"""Help in the reader's language, with examples that run.

The commands (cli/app.py) declare their help in English, marked ``N_()``
for the catalogue (chengzhen/i18n.py); :func:`localize` translates the
click command tree just before it runs — so the help is chosen per run,
not when app.py was imported — and gives each command its examples as the
help's epilog.  Every example is a real command line: tests/test_i18n.py
runs each one shown in help against the real data and checks its exit code
against :data:`EXAMPLES`.
"""

from __future__ import annotations

from chengzhen.i18n import N_, _

# command path (after "cz") -> [(command line, what it shows, its exit code — or the codes it may give, as
# the help says: coverage's depends on what the plans hold)]
EXAMPLES: dict[str, list[tuple[str, str, int | tuple[int, ...]]]] = {
    "": [
        ("cz search 老旧小区", N_("every measure, heading, target and annex row that holds 老旧小区"), 0),
        ("cz compare --task 4.1 guizhou qinghai", N_("two plans side by side on national task 4.1"), 0),
        ("cz targets --indicator 城镇化率 --headers zh -f csv", N_("one indicator's targets as CSV with Chinese headers"), 0),
    ],
    "search": [
        ("cz search 老旧小区 --plan 青海", N_("the hits of one plan"), 0),
        ("cz search --topic 住房保障 -f csv --headers zh", N_("a topic's measures as CSV with Chinese headers"), 0),
        ("cz search 城中材", N_("no hit: a suggestion (城中村), exit code 1"), 1),
    ],
    "coverage": [
        ("cz coverage 城中村 老旧小区", N_("which plans mention each term (exit 0: all do; 1: some plan does not)"),
         (0, 1)),
        ("cz coverage 城市群 地下管网 --headers zh -f csv", N_("the same as CSV with Chinese headers"), (0, 1)),
    ],
    "show": [
        ("cz show qinghai/6.28", N_("one measure in full"), 0),
        ("cz show qinghai/6.28 --cite", N_("its citation, GB/T 7714 style"), 0),
        ("cz show hunan", N_("a plan's outline"), 0),
    ],
    "plans": [
        ("cz plans", N_("the catalogue"), 0),
        ("cz plans -f json", N_("the same as JSON"), 0),
    ],
    "stats": [
        ("cz stats", N_("every plan's counts"), 0),
        ("cz stats --plan 贵州 -f csv --headers zh", N_("one plan, CSV with Chinese headers"), 0),
    ],
    "topics": [
        ("cz topics", N_("the topics and their synonyms"), 0),
        ("cz topics -f md", N_("as a Markdown table"), 0),
    ],
    "targets": [
        ("cz targets --year 2028", N_("every target for 2028"), 0),
        ("cz targets --indicator 城镇化率", N_("one indicator across plans, with a bar chart"), 0),
        ("cz targets --year 2099", N_("nothing set for 2099: exit code 1"), 1),
    ],
    "progress": [
        ("cz progress --indicator 城镇化率", N_("each plan's urbanization target against the statistics, charted"), 0),
        ("cz progress --indicator 城镇化率 --as-of 2023", N_("as it would have been answered in 2023"), 0),
        ("cz progress --scope 贵州 --within -f csv --headers zh", N_("targets set in Guizhou or inside it, CSV with Chinese "
                                                         "headers"), 0),
    ],
    "depts": [
        ("cz depts", N_("every department with its measures per plan"), 0),
        ("cz depts 住房城乡建设厅", N_("one department's measures across plans"), 0),
    ],
    "compare": [
        ("cz compare guizhou qinghai", N_("two plans, task by task"), 0),
        ("cz compare --task 4.1 guizhou qinghai hunan hebei", N_("four plans on one national task"), 0),
        ("cz compare --topic 住房保障 贵州 青海 -f md", N_("one topic, as a Markdown report"), 0),
    ],
    "similar": [
        ("cz similar qinghai/6.28", N_("the measures of other plans most like it"), 0),
        ("cz similar qinghai/6.28 -n 1", N_("the best one per plan"), 0),
    ],
    "matrix": [
        ("cz matrix", N_("plans × topics"), 0),
        ("cz matrix --by task --level top", N_("plans × the national plan's actions"), 0),
    ],
    "tasks": [
        ("cz tasks", N_("the national tasks and who carries each"), 0),
        ("cz tasks 随迁子女", N_("one task, each plan's measures side by side"), 0),
    ],
    "sql": [
        ("cz sql \"SELECT plan_id, count(*) FROM targets GROUP BY plan_id\"", N_("targets per plan"), 0),
        ("cz sql \"SELECT id FROM plans\" -f json", N_("the plan ids as JSON"), 0),
    ],
    "serve": [
        ("cz serve", N_("the web pages on http://127.0.0.1:8001/"), 0),
        ("cz serve --port 8080 --host 0.0.0.0", N_("on port 8080, for other machines too"), 0),
    ],
    "build": [
        ("cz build", N_("bring the database up to date"), 0),
        ("cz build --quiet", N_("the same, silently"), 0),
    ],
    "validate": [
        ("cz validate --plan hunan", N_("check one plan against its source"), 0),
        ("cz validate -f json", N_("every problem as JSON"), 0),
    ],
    "ingest": [
        ("cz ingest data/sources/hunan.txt --id hunan_copy --dry-run", N_("draft a plan from its text, write nothing"), 0),
        ("cz ingest data/sources/hunan.txt --id hunan_copy --dry-run -f json", N_("the draft's review list as JSON"), 0),
    ],
    "review": [
        ("cz review hunan", N_("a plan's checklist: numbers not taken as targets, skips, fields"), 0),
        ("cz review qinghai --all-numbers -f csv", N_("every number of the source, as CSV"), 0),
    ],
    "report": [
        ("cz report compare --task 4.1 guizhou qinghai hunan hebei -o 老旧小区改造对比.docx",
         N_("a Word briefing: four plans on one national task"), 0),
        ("cz report targets --indicator 城镇化率 -o 城镇化率目标.docx", N_("one indicator's targets, with a chart"), 0),
        ("cz report plan hunan -f md -o 湖南.md", N_("one plan's outline and targets, as Markdown"), 0),
    ],
    "report compare": [
        ("cz report compare --task 4.1 guizhou qinghai hunan hebei -o 老旧小区改造对比.docx",
         N_("four plans on one national task"), 0),
        ("cz report compare --topic 住房保障 贵州 青海 -f md -o 住房保障.md", N_("one topic, as Markdown"), 0),
    ],
    "report targets": [
        ("cz report targets --indicator 城镇化率 -o 城镇化率目标.docx", N_("one indicator across plans, with a chart"), 0),
        ("cz report targets --year 2028 -f md -o 2028年目标.md", N_("every target for 2028, as Markdown"), 0),
    ],
    "report plan": [
        ("cz report plan hunan -o 湖南.docx", N_("one plan: its outline and targets"), 0),
        ("cz report plan 青海 -f md -o 青海.md", N_("as Markdown"), 0),
    ],
    "report progress": [
        ("cz report progress --indicator 城镇化率 -o 城镇化率进展.docx",
         N_("every plan's urbanization-rate targets against the statistics"), 0),
        ("cz report progress --plan 贵州 --as-of 2023 -f md -o 贵州进展.md",
         N_("as it would have been answered in 2023, as Markdown"), 0),
    ],
}

# click's names of value types, shown after an option (--plan TEXT), and its usage line's words
METAVARS = {"TEXT": N_("TEXT"), "INTEGER": N_("INTEGER")}
USAGE_WORDS = {"options": N_("[OPTIONS]"), "command": N_("COMMAND [ARGS]...")}


def epilog(path: str) -> str | None:
    """The examples of a command, as its help's last paragraph (``\\b``: click
    keeps the lines as they are)."""
    items = EXAMPLES.get(path)
    if not items:
        return None
    lines = ["\b", _("Examples:")]
    for line, what, _code in items:
        lines.append(f"  {line}")
        lines.append(f"      {_(what)}")
    return "\n".join(lines)


def localize(cmd, path: str = "", *, listing: bool = False) -> None:
    """Translate a click command tree in place and add its examples.  The
    tree is Typer's, made afresh for each run (typer.main.get_command).
    ``listing``: the tree only lists its commands (`cz --help`): their
    descriptions are translated, not their options and examples (never shown)."""
    cmd.context_class = _context_class()
    if getattr(cmd, "options_metavar", None) == "[OPTIONS]":
        cmd.options_metavar = _(USAGE_WORDS["options"])
    if getattr(cmd, "subcommand_metavar", None) == "COMMAND [ARGS]...":
        cmd.subcommand_metavar = _(USAGE_WORDS["command"])
    if cmd.help:
        cmd.help = _(cmd.help)
    if cmd.short_help:
        cmd.short_help = _(cmd.short_help)
    if listing and path:
        return
    cmd.epilog = epilog(path)
    for p in cmd.params:
        if getattr(p, "help", None):
            p.help = _(p.help)
        if getattr(p, "metavar", None) is None and not getattr(p, "is_flag", False) \
                and getattr(p, "param_type_name", "") == "option":
            name = getattr(p.type, "name", "").upper()
            if name in METAVARS:
                p.metavar = _(METAVARS[name])
    for name, sub in (getattr(cmd, "commands", None) or {}).items():
        localize(sub, f"{path} {name}".strip(), listing=listing)


# --------------------------------------------------------------------------- wrapping Chinese

CLOSING = set("，。；：、）」』》〉】！？,.;:)]!?%")  # never at the start of a line
OPENING = set("（「『《〈【“‘")  # never at the end of one


def _wide(ch: str) -> bool:
    if ch <= "\u10ff":  # (an English help never loads unicodedata)
        return False
    import unicodedata

    return unicodedata.east_asian_width(ch) in "WF"


def width_of(text: str) -> int:
    """Terminal columns: an East-Asian wide or full-width character takes 2."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if _wide(ch))


def _tokens(text: str) -> list[tuple[str, int]]:
    """Where a line may break, with each piece's width: between wide
    characters, and at spaces between other words (a Latin word or an id
    stays whole).  ``text`` has single spaces (:func:`wrap`)."""
    out: list[tuple[str, int]] = []
    for k, word in enumerate(text.split(" ")):
        if k:
            out.append((" ", 1))
        if word.isascii():  # (an English help: no character looked at one by one)
            if word:
                out.append((word, len(word)))
            continue
        run = ""  # narrow characters run together into one piece
        for ch in word:
            if _wide(ch):
                if run:
                    out.append((run, len(run)))
                    run = ""
                out.append((ch, 2))
            else:
                run += ch
        if run:
            out.append((run, len(run)))
    return out


def wrap(text: str, width: int) -> list[str]:
    """One paragraph wrapped to ``width`` columns, Chinese counted double;
    a closing mark never starts a line, an opening one never ends one."""
    lines: list[str] = []
    line: list[tuple[str, int]] = []
    used = 0
    for tok, w in _tokens(" ".join(text.split())):
        if tok == " " and not line:
            continue
        if line and used + w > width and tok != " ":
            if tok[0] not in CLOSING:
                carried = []
                while line and line[-1][0] in OPENING:  # an opening bracket goes with what it opens
                    carried.insert(0, line.pop())
                lines.append("".join(t for t, _w in line).rstrip())
                line, used = carried + [(tok, w)], sum(x for _t, x in carried) + w
                continue
            if line[-1][1] == 2 and len(line) > 1:  # the character before a closing mark goes along
                last = line.pop()
                lines.append("".join(t for t, _w in line).rstrip())
                line, used = [last], last[1]
        line.append((tok, w))
        used += w
    text_ = "".join(t for t, _w in line).rstrip()
    if text_:
        lines.append(text_)
    return lines


def wrap_text(text: str, width: int, indent: str = "") -> str:
    """Paragraphs (separated by a blank line) wrapped; one that starts with
    ``\\b`` kept line by line, as click does."""
    out = []
    for para in text.split("\n\n"):
        if para.startswith("\b"):
            out.append("\n".join(indent + line for line in para.splitlines()[1:]))
        else:
            out.append("\n".join(indent + line for line in wrap(para, max(width - len(indent), 10))))
    return "\n\n".join(out)


_CLASSES: dict = {}


def _context_class():
    """click's Context with a help formatter that wraps and aligns by
    terminal columns (click counts characters: Chinese lines ran twice too
    wide and option columns slipped)."""
    if "context" in _CLASSES:
        return _CLASSES["context"]
    import click

    class Formatter(click.HelpFormatter):
        def write_text(self, text: str) -> None:
            self.write(wrap_text(text, self.width, " " * self.current_indent) + "\n")

        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
            rows = list(rows)
            first_col = min(max((width_of(r[0]) for r in rows), default=0), col_max) + col_spacing
            pad = " " * (first_col + self.current_indent)
            for first, second in rows:
                self.write(" " * self.current_indent + first)
                if not second:
                    self.write("\n")
                    continue
                if width_of(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - width_of(first)))
                else:
                    self.write("\n" + pad)
                lines = wrap(second, max(self.width - first_col - self.current_indent - 2, 10)) or [""]
                self.write(lines[0] + "\n")
                for line in lines[1:]:
                    self.write(pad + line + "\n")

    class Context(click.Context):
        formatter_class = Formatter

    _CLASSES["context"] = Context
    return Context

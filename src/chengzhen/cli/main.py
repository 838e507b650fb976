"""The process around a command: argv and stdio cleaned up, every error one
line on stderr with a documented exit code, a closed pipe quiet, Ctrl-C 130.

Exit codes: 0 found / done, 1 nothing matched (or validation found gaps),
2 error, 130 interrupted.  See docs/cli.md.
"""

from __future__ import annotations

import os
import sys

from chengzhen.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, BadValue, CzError, UnknownName
from chengzhen.i18n import N_, _, say, translate
from chengzhen.text.normalize import clean_input

# what to run to see the names of each kind (added to "unknown …" errors)
LISTS = {
    "plan": N_("`cz plans` lists them"),
    "topic": N_("`cz topics` lists them"),
    "department": N_("`cz depts` lists them"),
    "indicator": N_("`cz targets` lists the indicators in use"),
    "id": N_("`cz show PLAN` lists a plan's ids"),
    "measure id": N_("`cz search` or `cz show PLAN` lists ids"),
    "national task": N_("`cz tasks` lists them"),
    "scope": N_("`cz targets` shows the scopes in use"),
}
# the kinds of name an "unknown …" error is about (errors.UnknownName.kind), in words
KINDS = {"plan": N_("plan"), "topic": N_("topic"), "department": N_("department"), "indicator": N_("indicator"),
         "id": N_("id"), "measure id": N_("measure id"), "national task": N_("national task"), "scope": N_("scope")}
# the option each field of a question is given with (answers/args.py names the fields)
OPTIONS = {"year": "--year", "by": "--by", "level": "--level", "kind": "--kind", "group_by": "--group-by",
           "limit": "--limit", "number": "--number", "commitments": "--commitments"}


def _command_name(info) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def _app_for(args: list[str]):
    """The app, with only the command being run when that is clear: Typer
    inspects every command's signature to build the CLI, and one is all a run
    needs (a group — `cz report` — with its subcommands).  The list of
    commands (`cz --help`, `cz`) needs each group's name and description,
    not its subcommands.  Completion and anything unclear get the whole app."""
    import copy

    from chengzhen.cli.app import app, typer

    if any(k.startswith("_CZ_COMPLETE") for k in os.environ):
        return app
    if not args or args[0] in ("-h", "--help"):
        listing = _one(app, typer, app.registered_commands, [], completion=True)
        for g in app.registered_groups:  # a group as the list shows it: a name, a description
            info = copy.copy(g)
            group = g.typer_instance.info
            info.typer_instance = typer.Typer(name=group.name, help=group.help, short_help=group.short_help,
                                              rich_markup_mode=None)
            listing.registered_groups.append(info)
        return listing
    if args[0].startswith("-"):
        return app
    wanted = [c for c in app.registered_commands if _command_name(c) == args[0]]
    groups = [g for g in app.registered_groups if g.typer_instance.info.name == args[0]]
    if not wanted and not groups:
        return app
    return _one(app, typer, wanted, groups)


def _one(app, typer, commands: list, groups: list, *, completion: bool = False):
    one = typer.Typer(name=app.info.name, help=app.info.help, add_completion=completion,
                      no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                      context_settings={"help_option_names": ["-h", "--help"]})
    one.registered_callback = app.registered_callback
    one.registered_commands = list(commands)
    one.registered_groups = list(groups)
    return one


def err(message: str, *, said: bool = False) -> None:
    """One line on stderr, whatever the message holds, in the reader's
    language (chengzhen/i18n.py; ``said``: it is in that language already)."""
    line = " ".join((str(message) if said else translate(str(message))).splitlines()) or "error"
    try:
        sys.stderr.write(_("cz: error: {message}").format(message=line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def message_of(exc: CzError) -> str:
    """An error in the CLI's words: options and the command that lists names."""
    if isinstance(exc, UnknownName) and exc.kind in KINDS:
        text = _("unknown {kind} {word}").format(kind=_(KINDS[exc.kind]), word=repr(exc.word))
        if exc.suggestions:
            text += _("; did you mean {names}?").format(names=_(" or ").join(exc.suggestions))
        return text + (_("; ") + _(LISTS[exc.kind]) if exc.kind in LISTS else "")
    if isinstance(exc, BadValue) and exc.field in OPTIONS:
        return _("bad {option} {value}: {expected}").format(option=OPTIONS[exc.field], value=repr(exc.value),
                                                            expected=translate(exc.expected))
    if isinstance(getattr(exc, "reason", None), str) and hasattr(exc.reason, "template"):  # a data error (kb)
        from chengzhen.kb.problems import error_msg

        return say(error_msg(exc))
    if hasattr(exc.message, "template"):  # a kb message (a plan that does not load: cz review)
        return say(exc.message)
    return translate(exc.message)


def problem_lines(exc: CzError) -> list[str] | None:
    """A failed build's problems, one line each, grouped by file, in the
    reader's language (None for any other error)."""
    ordered = getattr(exc, "ordered", None)
    if not callable(ordered):
        return None
    return [say(p.line_msg()) for p in ordered()]


class PipeClosed(Exception):
    """stdout's reader went away.  Not an OSError, so click cannot turn it
    into an exit code of its own on the way out."""


class _Guarded:
    """stdout, reporting a closed pipe as :class:`PipeClosed`."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, data):
        try:
            return self._stream.write(data)
        except BrokenPipeError:
            raise PipeClosed() from None

    def flush(self):
        try:
            return self._stream.flush()
        except BrokenPipeError:
            raise PipeClosed() from None

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _console_streams() -> None:
    """stdout/stderr that cannot fail on a character: a legacy console
    (GBK on Windows) gets a replacement mark, not a crash."""
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass
    try:
        sys.stdin.reconfigure(newline="\n")  # a query line ends at \n only; a stray \r is text
    except (AttributeError, ValueError, OSError):
        pass


def _run(args: list[str]) -> int:
    """Run one command: ``cz search`` and ``cz progress`` straight from argv
    when it is an ordinary invocation (cli/fast.py, no Typer), anything else
    through Typer."""
    if not any(k.startswith("_CZ_COMPLETE") for k in os.environ):
        from chengzhen.cli.fast import parse

        fast = parse(args)
        if fast is not None:
            from chengzhen.cli.search_command import run

            return run(**fast)
        from chengzhen.cli.fast import parse_progress

        fast = parse_progress(args)
        if fast is not None:
            from chengzhen.cli.progress_command import run as run_progress

            return run_progress(**fast)
    from chengzhen.i18n import speak_to_click

    speak_to_click()
    from chengzhen.cli.app import typer
    from chengzhen.cli.help import localize

    command = typer.main.get_command(_app_for(args))
    # the list of commands (`cz`, `cz --help`) shows each command's description, never its options
    localize(command, listing=not args or args[0] in ("-h", "--help"))
    rv = command.main(args=args, prog_name="cz", standalone_mode=False)
    return rv if isinstance(rv, int) else EXIT_OK


def dash_hint(option: str, args: list[str]) -> str:
    """A word typed with a leading '-' (`cz search 老旧小区 -电梯`) that click
    took for options: the whole word (click names only its first letters,
    `-电`), and the command that searches for it."""
    import shlex

    def word_of(a: str) -> str:  # quoted only where a shell needs it (not for Chinese)
        return shlex.quote(a) if not a or any(c in a for c in " \t\n'\"\\$`!*?[](){}<>|&;#~") else a

    at = next((i for i, a in enumerate(args) if a.startswith(option)), None)
    if at is None:
        return _("no such option {option}; to search for text that starts with '-', put -- before it").format(
            option=repr(option))
    word = args[at]
    fixed = [*args[:at], "--", *args[at:]] if "--" not in args[:at] else args
    return _("no such option {option}; to search for text that starts with '-', put -- before it: "
             "{command}").format(option=repr(word), command="cz " + " ".join(word_of(a) for a in fixed))


def _interrupted(exc: BaseException) -> bool:
    """Did Ctrl-C cause ``exc``?  A library that catches ImportError around an
    import (opencc tries three ways to load its extension) turns a Ctrl-C
    during that import into an ImportError whose context is the
    KeyboardInterrupt."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _code_for(exc: BaseException, real_stdout, args: list[str] | None = None) -> int:
    """The exit code of a command that raised ``exc``, after its one line."""
    click = sys.modules.get("click")
    if click is not None:
        if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):  # click >= 8.2: `cz` alone
            sys.stdout.write(exc.ctx.get_help() + "\n")
            return EXIT_OK
        if isinstance(exc, click.exceptions.UsageError):
            hint = _(" (see `{command} --help`)").format(command=exc.ctx.command_path) if exc.ctx else ""
            if isinstance(exc, click.exceptions.NoSuchOption) and not exc.option_name.isascii():
                err(dash_hint(exc.option_name, args or []))
                return EXIT_ERROR
            err(exc.format_message() + hint)
            return EXIT_ERROR
        if isinstance(exc, click.exceptions.Exit):
            if exc.exit_code == EXIT_INTERRUPTED:
                err(_("interrupted"))
            return exc.exit_code
        if isinstance(exc, click.exceptions.Abort):
            err(_("interrupted"))
            return EXIT_INTERRUPTED
    if isinstance(exc, KeyboardInterrupt) or _interrupted(exc):
        err(_("interrupted"))
        return EXIT_INTERRUPTED
    if isinstance(exc, (BrokenPipeError, PipeClosed)):
        _quiet_pipe(real_stdout)
        return EXIT_OK
    if isinstance(exc, CzError):
        # broken data: every problem, one line each, grouped by file
        for line in problem_lines(exc) or [message_of(exc)]:
            err(line, said=True)
        return exc.exit_code
    if click is not None and isinstance(exc, click.ClickException):
        err(exc.format_message())
        return EXIT_ERROR
    if isinstance(exc, RecursionError):
        err(_("input too deeply nested"))
        return EXIT_ERROR
    if isinstance(exc, MemoryError):
        err(_("out of memory"))
        return EXIT_ERROR
    if isinstance(exc, OSError):
        from chengzhen.kb.messages import os_error  # the system's reason by errno, in the reader's language

        err(say(os_error(exc)) + (f": {exc.filename}" if getattr(exc, "filename", None) else ""), said=True)
        return EXIT_ERROR
    if isinstance(exc, SystemExit):
        raise exc
    # a bug: still one line, unless CZ_DEBUG asks for the traceback
    if os.environ.get("CZ_DEBUG"):
        raise exc
    err(_("internal error: {error} (set CZ_DEBUG=1 for a traceback)").format(error=f"{type(exc).__name__}: {exc}"))
    return EXIT_ERROR


def main(argv: list[str] | None = None) -> None:
    # a closed stdout or stderr (`cz … >&-`) is a sink, not a crash
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    args = [clean_input(a) for a in (sys.argv[1:] if argv is None else list(argv))]
    from chengzhen.cli.env import ARGS

    ARGS[:] = args  # a report states the question as asked
    _console_streams()
    from chengzhen.i18n import activate

    restore_language = activate()
    real_stdout = sys.stdout
    sys.stdout = _Guarded(real_stdout)
    code = EXIT_OK
    try:
        from chengzhen.cli.connection import prefetch

        # the data's up-to-date check starts beside the command (cli/connection.py); in a forked
        # child only for the `cz` process itself, never for a host that calls main(argv)
        prefetch(args, fork=argv is None)
        code = _run(args)
        sys.stdout.flush()
    except BaseException as exc:  # noqa: BLE001 - every way out gets one line and a documented code
        code = _code_for(exc, real_stdout, args)
    finally:
        sys.stdout = real_stdout
        try:
            from chengzhen.cli.connection import close_all

            close_all()
        except KeyboardInterrupt:  # Ctrl-C as the command ends: still one line, no traceback
            err(_("interrupted"))
            code = EXIT_INTERRUPTED
        restore_language()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_pipe(real_stdout)
    except (OSError, ValueError):
        pass
    sys.exit(code)


def _quiet_pipe(stream) -> None:
    """stdout was closed by its reader (`cz … | head -1`): stop quietly, and
    give the interpreter's last flush somewhere harmless to go."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass

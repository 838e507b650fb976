"""The language cz speaks to a person: Chinese or English, by gettext.

One catalogue, ``locale/zh/LC_MESSAGES/cz.po`` (compiled to ``cz.mo``
beside it, committed; ``tests/test_i18n.py`` checks the two agree), holds
every message in English (the msgid) and Chinese (the msgstr): cz's help,
option descriptions, examples, usage errors and messages, and click's and
Typer's own messages (``Usage:``, ``No such option`` …), which they mark
for gettext themselves.  ``tools/i18n.py`` extracts them (with Babel) and
compiles the catalogue; docs/cli.md, "Language", says how the language is
chosen:

1. ``CZ_LANG`` (``zh`` or ``en``) when set;
2. else the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``
   that is set, as gettext reads them: Chinese for ``zh`` / ``zh_*``;
3. else, on Windows, the user's UI language;
4. else English.

English is the msgids themselves (no catalogue).  Only the CLI speaks
through this module; answers and the query layer raise their errors in
English, and :func:`translate` turns a formatted English message into
Chinese by the catalogue's templates (msgids with ``{0}``, ``{1}`` …
where the message has values).  The data's problems (kb/messages.py) keep
their template and values: :func:`say` fills the template's translation.

Cheap to import (stdlib only); the catalogue is read on first use.
"""

from __future__ import annotations

import os
import sys

DOMAIN = "cz"
LOCALEDIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")  # (no pathlib: cheap to import)
LANGUAGES = ("zh", "en")
ENV_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order

_active: dict = {"lang": None, "t": None, "templates": None, "named_templates": None, "all_templates": None,
                 "click": None}


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it now (a help
    text, translated when it is shown)."""
    return message


def language_of_langid(langid: int) -> str:
    """A Windows language identifier (LANGID) as zh or en: Chinese is the
    primary language 0x04 (zh-CN 0x0804, zh-TW 0x0404, zh-HK 0x0C04 …)."""
    return "zh" if langid & 0x3FF == 0x04 else "en"


def _windows_ui_language() -> str | None:
    """The Windows user's UI language (zh or en), or None off Windows."""
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - no API, no answer
        return None
    return language_of_langid(int(langid))


def language(environ=None) -> str:
    """``zh`` or ``en`` (the rules in this module's docstring)."""
    env = os.environ if environ is None else environ
    asked = (env.get("CZ_LANG") or "").strip().lower()
    if asked:
        return "zh" if asked.startswith("zh") else "en"
    for var in ENV_VARS:
        value = env.get(var)
        if value:
            first = value.split(":")[0].strip().lower()
            return "zh" if first.startswith("zh") else "en"
    ui = _windows_ui_language()
    return "zh" if ui == "zh" else "en"


class English:
    """The messages as written (the msgids): no catalogue, no gettext import
    — the start of an ordinary `cz search` pays nothing for the language."""

    _catalog: dict = {}

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


def catalogue_path(lang: str = "zh") -> str:
    return os.path.join(LOCALEDIR, lang, "LC_MESSAGES", DOMAIN + ".mo")


_LAZY: dict = {}


def _lazy_class():
    """gettext's GNUTranslations, reading the catalogue lazily: a message is
    looked up in the .mo file's sorted table of msgids (a binary search over
    the bytes) instead of decoding all ~4 000 entries first (what a help
    asks for is a few dozen: this keeps `cz search --help` in Chinese as
    cheap as the English help).  The whole catalogue (``_catalog``) is
    decoded only when asked for (:func:`_templates`)."""
    if "class" in _LAZY:
        return _LAZY["class"]
    import gettext
    import struct

    class LazyTranslations(gettext.GNUTranslations):
        def _parse(self, fp) -> None:
            data = fp.read()
            magic, _rev, n, originals, translated = struct.unpack("<5I", data[:20])
            if magic != self.LE_MAGIC:
                raise OSError(0, "not a little-endian .mo file", getattr(fp, "name", ""))
            self._data, self._n = data, n
            self._orig = struct.unpack_from(f"<{2 * n}I", data, originals)
            self._trans = struct.unpack_from(f"<{2 * n}I", data, translated)
            self._full = None
            self.plural = lambda n: int(n != 1)
            self._charset = "utf-8"
            # the header (the first entry, msgid ""): the plural rule
            header = self._msgstr(0).decode("utf-8") if n and self._orig[0] == 0 else ""
            for line in header.split("\n"):
                key, _, value = line.partition(":")
                if key.strip().lower() == "plural-forms":
                    rule = value.split("plural=", 1)[-1].strip().rstrip(";").strip()
                    self.plural = (lambda n: 0) if rule == "0" else gettext.c2py(rule)

        def _msgid(self, k: int) -> bytes:
            length, at = self._orig[2 * k], self._orig[2 * k + 1]
            return self._data[at:at + length]

        def _msgstr(self, k: int) -> bytes:
            length, at = self._trans[2 * k], self._trans[2 * k + 1]
            return self._data[at:at + length]

        def _find(self, key: bytes) -> int | None:
            lo, hi, orig, data = 0, self._n, self._orig, self._data
            while lo < hi:  # the msgids are sorted (bytes of UTF-8: code point order)
                mid = (lo + hi) // 2
                at = orig[2 * mid + 1]
                if data[at:at + orig[2 * mid]] < key:
                    lo = mid + 1
                else:
                    hi = mid
            return lo if lo < self._n and self._msgid(lo) == key else None

        def gettext(self, message: str) -> str:
            k = self._find(message.encode("utf-8")) if message else None
            if k is None:
                return self._fallback.gettext(message) if self._fallback else message
            return self._msgstr(k).decode("utf-8")

        def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
            k = self._find(msgid1.encode("utf-8") + b"\0" + msgid2.encode("utf-8"))
            if k is None:
                if self._fallback:
                    return self._fallback.ngettext(msgid1, msgid2, n)
                return msgid1 if n == 1 else msgid2
            forms = self._msgstr(k).decode("utf-8").split("\0")
            return forms[min(self.plural(n), len(forms) - 1)]

        @property
        def _catalog(self) -> dict:  # every entry, decoded (as GNUTranslations keeps them)
            if self._full is None:
                full: dict = {}
                for k in range(self._n):
                    mid, mstr = self._msgid(k).decode("utf-8"), self._msgstr(k).decode("utf-8")
                    if "\0" in mid:
                        one = mid.split("\0")[0]
                        for i, form in enumerate(mstr.split("\0")):
                            full[(one, i)] = form
                    else:
                        full[mid] = mstr
                self._full = full
            return self._full

    _LAZY["class"] = LazyTranslations
    return LazyTranslations


def translations(lang: str):
    if lang == "zh":
        if "zh" not in _LAZY:
            try:
                with open(catalogue_path("zh"), "rb") as f:
                    _LAZY["zh"] = _lazy_class()(f)
            except OSError:  # no catalogue (a broken install): the messages as written
                _LAZY["zh"] = English()
        return _LAZY["zh"]
    return English()


def activate(lang: str | None = None):
    """Speak ``lang`` (default: :func:`language`): cz's messages (the
    catalogue is read when the first message is said) and, once
    :func:`speak_to_click` is called, click's and Typer's.  Returns a
    function that puts back what was there before (a host calling ``main``
    in-process)."""
    lang = lang or language()
    before = (_active["lang"], _active["t"], _active["templates"], _active.get("click"), _active["named_templates"],
              _active["all_templates"])
    _active.update(lang=lang, t=None, templates=None, named_templates=None, all_templates=None, click=None)

    def restore() -> None:
        told = _active.get("click")
        if told is not None:  # click was told: gettext's global domain and LANGUAGE back as they were
            import gettext

            domain, language_var = told
            gettext.textdomain(domain)
            if language_var is None:
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = language_var
        _active.update(lang=before[0], t=before[1], templates=before[2], click=before[3], named_templates=before[4],
                       all_templates=before[5])

    return restore


def speak_to_click() -> None:
    """click and Typer say their messages (``Usage:``, ``No such option``)
    through gettext's global domain, whose language gettext reads from
    ``LANGUAGE`` first: in Chinese, point both at cz's catalogue.  Called
    only on the way to click (an ordinary `cz search` never gets here)."""
    if current() != "zh" or _active.get("click") is not None:
        return
    import gettext

    _active["click"] = (gettext.textdomain(), os.environ.get("LANGUAGE"))
    gettext.bindtextdomain(DOMAIN, LOCALEDIR)
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = "zh"
    # click's gettext would decode the whole catalogue once more: it gets ours (gettext caches a catalogue by
    # its class and file; a Python whose gettext keeps no such cache parses it, as before)
    cache = getattr(gettext, "_translations", None)
    t = translations("zh")
    if isinstance(cache, dict) and isinstance(t, gettext.GNUTranslations):
        cache.setdefault((gettext.GNUTranslations, os.path.abspath(catalogue_path("zh"))), t)


def current() -> str:
    return _active["lang"] or language()


def _t():
    if _active["t"] is None:
        _active["lang"] = _active["lang"] or language()
        _active["t"] = translations(_active["lang"])
    return _active["t"]


def _(message: str) -> str:
    """``message`` in the active language."""
    return _t().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _t().ngettext(singular, plural, n)


# --------------------------------------------------------------------------- formatted messages

PLACEHOLDER = r"\{(\d+)\}"  # a value in a template: {0}, {1} …
# a value of a kb problem's template (kb/messages.py: named, {first}); such a message is said by its template
# only where it is a value of another (a problem quoted inside an ingest flag: a target left out (E209: …))
NAMED = r"\{([a-z_]+)\}"


def _templates(named: bool = False) -> list[tuple[re.Pattern, str, str, int]]:
    """The catalogue's messages with values (``{0}``…; with ``named``, the
    kb problems' ``{first}``… that say at least one word of their own) as
    patterns, the most literal text first (the most specific template
    wins): (pattern, its translation, the value pattern, the literal length)."""
    key = "named_templates" if named else "templates"
    if _active.get(key) is None:
        import re

        value = NAMED if named else PLACEHOLDER
        cat = getattr(_t(), "_catalog", {}) or {}
        out = []
        for msgid, msgstr in cat.items():
            if not isinstance(msgid, str) or not msgid or not msgstr or not re.search(value, msgid):
                continue
            parts = re.split(value, msgid)
            if named and (re.search(PLACEHOLDER, msgid) or not re.search(r"[A-Za-z]{2,}", "".join(parts[::2]))):
                continue
            seen: set[str] = set()
            pieces = []
            for i, p in enumerate(parts):  # a value written twice matches the same text twice
                if i % 2 == 0:
                    pieces.append(re.escape(p))
                else:
                    pieces.append(f"(?P=g{p})" if p in seen else f"(?P<g{p}>.*?)")
                    seen.add(p)
            literal = sum(len(p) for p in parts[::2])
            out.append((literal, re.compile("".join(pieces) + r"\Z", re.S), msgstr))
        out.sort(key=lambda x: -x[0])
        _active[key] = [(p, s, value, n) for n, p, s in out]
    return _active[key]


def _all_templates() -> list[tuple[re.Pattern, str, str, int]]:
    """Both kinds of template, the most literal text first."""
    if _active.get("all_templates") is None:
        _active["all_templates"] = sorted(_templates() + _templates(named=True), key=lambda x: -x[3])
    return _active["all_templates"]


def translate(message: str, *, quoted: bool = False) -> str:
    """A message as raised (English, values filled in) in the active
    language: the catalogue's entry for it, or for the template it fills
    (its values translated in turn where they are messages themselves;
    a value may be a kb problem's message: ``quoted``)."""
    if current() == "en" or not message:
        return message
    import re

    t = _t()
    got = t.gettext(message)
    if got != message:
        return got
    for pattern, msgstr, value, _literal in _all_templates() if quoted else _templates():
        m = pattern.match(message)
        if m:
            # a value that is a message of its own (a BadValue's "choose task or text") is said too;
            # a single word only when the catalogue has it (plan → 方案), never a template's match
            # (an empty value stays empty: gettext("") is the catalogue's header)
            values = {k[1:]: (translate(v, quoted=True) if " " in v else t.gettext(v) if v else v)
                      for k, v in m.groupdict().items()}
            return re.sub(value, lambda g: values.get(g.group(1), g.group(0)), msgstr)
    return message


def say(message) -> str:
    """A message in the active language.  A kb message (kb/messages.py: a
    ``template`` and its ``values``) is its template's translation filled
    with the same values, a value that is a message said in turn; any other
    message as :func:`translate` says it."""
    if message is None:
        return ""
    template = getattr(message, "template", None)
    if not isinstance(template, str):
        return translate(str(message))
    if current() == "en":
        return str(message)
    values = {k: (say(v) if isinstance(getattr(v, "template", None), str) else
                  say_flag(v) if getattr(v, "said_by_parts", False) else v)
              for k, v in message.values.items()}
    try:
        return _t().gettext(template).format(**values) if template else str(message)
    except (KeyError, IndexError, ValueError):  # a translation that does not fit its template: the English
        return str(message)


def say_flag(text: str) -> str:
    """A review flag (what ingest wrote into a ``review:`` field: English
    parts joined with ``; ``, a part's own template may hold ``; `` too) in
    the reader's language: from each part on, the shortest run of parts
    that is a catalogue template's text is said by it (a template that
    opens with a value would swallow the rest), with the field's name
    before it (``issuer: …``) kept as written (a stable key); a part no
    template says stays as written."""
    if current() == "en" or not text:
        return text or ""

    def one(part: str) -> str | None:
        got = translate(part)
        if got != part:
            return got
        if ": " in part:
            key, rest = part.split(": ", 1)
            if (t := translate(rest)) != rest:
                return f"{key}: {t}"
        return None

    def balanced(run: str) -> bool:  # a message quoted in brackets may hold "; " itself: never cut inside
        return run.count("(") == run.count(")") and run.count("（") == run.count("）")

    parts = text.split("; ")
    out, i = [], 0
    while i < len(parts):
        runs = range(i + 1, len(parts) + 1)
        for j in [j for j in runs if balanced("; ".join(parts[i:j]))] + list(runs):
            got = one("; ".join(parts[i:j]))
            if got is not None:
                out.append(got)
                i = j
                break
        else:
            out.append(parts[i])
            i += 1
    return "; ".join(out)

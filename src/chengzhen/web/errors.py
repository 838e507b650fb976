"""Our answer to everything that is not a page: an unknown URL (404), a
method other than GET/HEAD (405), a bad or over-long argument (400), a
server error (500) — each our own page, in Chinese, rendered the way every
page is (``web/page.py:render``: the same template base, the same security
headers; JSON when the path asks for it), in well under a millisecond, on
the event loop: nothing here reads the database.

:class:`Problem` is an error that carries its HTTP status (and links to go
on from); ``web/middleware.py`` answers with them (``problem_response``)
before a page runs, and a page may raise one (``page.describe`` keeps its
status and links).  This module imports nothing of the web's."""

from __future__ import annotations

from chengzhen.errors import CzError

# what a reader sees as the heading of an error page, by status
HEADINGS = {
    400: "请求有误",
    403: "不能访问",
    404: "没有这个页面",
    405: "本站只读",
    500: "服务器出错了",
    503: "页面暂时无法生成",
}

MAX_VALUE_CHARS = 200    # one argument (a query, a name, a list of names)
MAX_QUERY_BYTES = 8192   # the whole query string as sent (percent-encoded)
MAX_PARAMS = 100         # arguments in one query string


class Problem(CzError):
    """An error with its HTTP status, a message for the reader (Chinese),
    a stable ``kind`` for scripts, and links (label, path, params) to go on
    from."""

    def __init__(self, status: int, message: str, *, kind: str, word: str | None = None,
                 links: list[tuple[str, str, object]] | None = None, error: str | None = None):
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.word = word
        self.links = list(links or [])
        self.error = error or message


def not_found(path: str) -> Problem:
    shown = path if len(path) <= 120 else path[:119] + "…"
    return Problem(404, f"这个网址不是本站的页面：{shown}", kind="page", word=path,
                   error="no such page")


def not_allowed(method: str) -> Problem:
    return Problem(405, f"本站只读，只接受 GET 和 HEAD 请求（收到的是 {method[:20]}）。", kind="method",
                   word=method[:20], error="method not allowed; this server only reads (GET, HEAD)")


def too_long(name: str, n: int) -> Problem:
    shown = name if len(name) <= 20 else name[:19] + "…"
    return Problem(400, f"参数“{shown}”太长：最多 {MAX_VALUE_CHARS} 个字，收到 {n} 个字。请缩短后再试。",
                   kind="too_long", word=shown,
                   error=f"argument {shown!r} too long: at most {MAX_VALUE_CHARS} characters, got {n}")


def too_much(what: str) -> Problem:
    return Problem(400, f"请求的参数太多或太长（{what}）。请缩短后再试。", kind="too_long",
                   error=f"query string too long ({what})")


def out_of_range(asked: int, pages: int, total: int, path: str, params: list[tuple[str, str]]) -> Problem:
    """A page number past the last page of results: says so, and links to
    the first and the last page."""
    found = f"共 {total} 处命中，{pages} 页" if total else "没有命中"
    links = [("回到第 1 页", path, params)]
    if pages > 1:
        links.append((f"最后一页（第 {pages} 页）", path, params + [("page", str(pages))]))
    return Problem(404, f"没有第 {asked} 页：{found}。", kind="page", word=str(asked), links=links,
                   error=f"page {asked} is past the last page ({pages})")


def server_error() -> Problem:
    return Problem(500, "生成这个页面时出了错。这是本站的问题，不是您的；请稍后再试，或把网址告诉维护者。",
                   kind="server", error="internal server error")


def check_arguments(query_string: bytes) -> Problem | None:
    """The arguments' sizes, before any page reads them: at most
    ``MAX_PARAMS`` arguments, ``MAX_QUERY_BYTES`` bytes in all, and
    ``MAX_VALUE_CHARS`` characters in any one value (as decoded)."""
    if not query_string:
        return None
    from urllib.parse import parse_qsl

    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    for name, value in pairs:
        if len(value) > MAX_VALUE_CHARS:
            return too_long(name, len(value))
    if len(pairs) > MAX_PARAMS:
        return too_much(f"{len(pairs)} 个参数，最多 {MAX_PARAMS} 个")
    if len(query_string) > MAX_QUERY_BYTES:
        return too_much(f"{len(query_string)} 字节，最多 {MAX_QUERY_BYTES}")
    return None


def info_of(exc: Problem) -> dict:
    """As ``web/page.py:describe`` gives an error: status, message, kind…"""
    return {"status": exc.status, "kind": exc.kind, "word": exc.word, "suggestions": [],
            "message": exc.message, "error": exc.error, "links": exc.links}

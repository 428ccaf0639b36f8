"""The answer API for assistants: ``GET /api/v1/answer?q=`` (issue 17).

Best passages with citations and a confidence, or an honest "no answer"
(``carebase.assist.answer``), from the search API's own searcher and ranking (learned
phrasings included). Every request is an ``ask`` event (``carebase.assist.asks``) unless the
client sends Do-Not-Track or Global Privacy Control. Rate-limited with the search API.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from carebase.assist.asks import ask_row, new_journey, record
from carebase.assist.desk import Answers
from carebase.service.errors import ApiError, answering_errors, bad

MAX_QUESTION = 200
MAX_CITATIONS = 5
PARAMS = ("q", "limit", "journey", "source", "lang")
HTTP_SOURCES = ("api", "widget")  # "mcp" is the MCP server's own


def answer_json(question: str, answer, *, site_url: str = "", journey: str | None = None) -> dict:
    base = site_url.rstrip("/") + "/" if site_url else ""
    body = {"question": question, "answered": answer.answered, "confidence": answer.confidence,
            "why": answer.why, "suggestion": answer.suggestion,
            "citations": [c.as_dict(base) for c in answer.citations],
            "related": [c.as_dict(base) for c in answer.related]}
    if journey:
        body["journey"] = journey
    return body


def _params(request: Request, languages=None) -> tuple[str, int, str | None, str, str | None]:
    """The request's parameters; a bad one raises the service's request-field error (400
    naming the field: ``carebase.service.errors``), an unknown ``lang`` included."""
    from carebase.service.params import language
    from carebase.service.validation import JOURNEY

    qp = request.query_params
    for name in qp.keys():
        if name not in PARAMS:
            raise bad(name, f"{name}: unknown parameter (expected {', '.join(PARAMS)})")
    q = (qp.get("q") or "").strip()
    if not q:
        raise bad("q", "q: expected a question, found nothing")
    if len(q) > MAX_QUESTION:
        raise bad("q", f"q: expected at most {MAX_QUESTION} characters, found {len(q)}")
    raw = qp.get("limit", "3")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_CITATIONS:
        raise bad("limit", f"limit: expected a whole number 1–{MAX_CITATIONS}, found {raw[:20]!r}")
    journey = qp.get("journey")
    if journey is not None and not JOURNEY.fullmatch(journey):
        raise bad("journey", "journey: expected up to 64 characters of A-Z a-z 0-9 _ -")
    source = qp.get("source", "api")
    if source not in HTTP_SOURCES:
        raise bad("source", f"source: expected one of {', '.join(HTTP_SOURCES)}, found {source[:20]!r}")
    return q, int(raw), journey, source, language(qp, languages)


def asked_by_the_site(request: Request) -> bool:
    """Whether a question is recorded (an ``ask`` event): the site's Ask box (a fetch, ``Origin``
    one of ``--allowed-origin``'s, ``--site-url``'s or this host's), a bot or a server (no browser
    headers at all: one client, its own), or an address opened in a tab. Not another site's page
    making its visitors' browsers ask: an ``<img src=…/api/v1/answer?q=…>`` (``Sec-Fetch-Dest:
    image``), a frame or script, or a cross-site fetch whose origin is not the site's. Each such
    visitor is a distinct client, so until session 40 one page could raise a made-up need in the
    report's assistant questions with as many "distinct customers" as it had visitors (the search
    page refused this already: ``search_page._from_the_site``). The answer is given either way,
    without a journey when nothing is kept."""
    from carebase.service.handlers import origin_allowed
    from carebase.service.search_page import _origin

    headers = request.headers
    dest = (headers.get("sec-fetch-dest") or "").strip().lower()
    if dest and dest not in ("empty", "document"):
        return False
    origin = (headers.get("origin") or "").strip().lower().rstrip("/")
    origin = origin if origin and origin != "null" else _origin(headers.get("referer"))
    if origin is None:  # a bot, or a page that hides where it is (no-referrer) but not from Sec-Fetch-Site
        return (headers.get("sec-fetch-site") or "").strip().lower() not in ("cross-site", "same-site")
    state = request.app.state.carebase
    own = f"{request.url.scheme}://{request.url.netloc}".lower()
    return origin == own or origin == _origin(state.config.site_url) or origin_allowed(state, origin)


def routes(answers: Answers) -> list[Route]:
    @answering_errors
    async def answer(request: Request) -> JSONResponse:
        from carebase.service.handlers import client_fields, opted_out

        q, limit, journey, source, lang = _params(request, answers.languages)
        found = await run_in_threadpool(answers.answer, q, limit, lang)
        if found is None:
            raise ApiError(503, "answers are not configured: start the service with the build output "
                                "'carebase build' writes (--site-data)")
        state = request.app.state.carebase
        if not opted_out(request) and asked_by_the_site(request):
            journey = journey or new_journey()
            record(state.writer, ask_row(q, found, source=source, journey=journey, **client_fields(request),
                                         lang=lang))
        else:
            journey = None  # nothing is kept, so there is no journey to report on
        return JSONResponse(answer_json(q, found, site_url=state.config.site_url or "", journey=journey))

    return [Route("/api/v1/answer", answer, methods=["GET"])]

"""Validate the ``feedback:`` settings of the MkDocs plugin (or any other adapter).

``check_feedback_settings(raw)`` never raises for bad input: it returns the settings it
could make sense of (defaults where a field is wrong) and a list of problems naming the
config field, what was expected and what was found::

    mkdocs.yml: plugins.carebase.feedback.style: expected one of helpful, csat, ces, found 'stars'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from carebase.content.problems import Problem, error, warning

STYLES = ("helpful", "csat", "ces")
SCALE_MAX = {"helpful": 1, "csat": 5, "ces": 7}
DEFAULT_REASONS = (
    "Didn't answer my question",
    "Hard to understand",
    "Out of date",
    "Steps didn't work",
    "Other",
)
DEFAULT_QUESTIONS = {
    "helpful": "Was this helpful?",
    "csat": "How satisfied are you with this page?",
    "ces": "How easy was it to get what you needed?",
}
DEFAULT_SERVICE_URL = "http://127.0.0.1:8001"
REASON_MAX = 200  # the events contract caps a vote's reason at 200 characters
KNOWN_KEYS = ("style", "question", "reasons", "comment", "service_url", "contact")
CONTACT_KEYS = ("email", "phone", "chat_url", "hours")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{3,30}$")


@dataclass(frozen=True, slots=True)
class Contact:
    email: str = ""
    phone: str = ""
    chat_url: str = ""
    hours: str = ""  # free text shown next to the links, e.g. "Mon–Fri 9–17 CET"

    def __bool__(self) -> bool:
        return bool(self.email or self.phone or self.chat_url)


@dataclass(frozen=True, slots=True)
class FeedbackSettings:
    style: str = "helpful"
    question: str = ""  # empty: the default question of the style
    reasons: tuple[str, ...] = DEFAULT_REASONS
    comment: bool = True
    service_url: str = DEFAULT_SERVICE_URL
    contact: Contact = field(default_factory=Contact)

    @property
    def heading(self) -> str:
        return self.question or DEFAULT_QUESTIONS[self.style]

    @property
    def scale_max(self) -> int:
        return SCALE_MAX[self.style]

    def is_negative(self, value: int) -> bool:
        """Whether a vote of ``value`` opens the reasons (No, CSAT ≤ 3, CES ≤ 4)."""
        if self.style == "helpful":
            return value == 0
        return value <= (3 if self.style == "csat" else 4)


class _Checker:
    def __init__(self, path: str, line: int, prefix: str):
        self.path, self.line, self.prefix = path, line, prefix
        self.problems: list[Problem] = []

    def field(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def error(self, name: str, message: str) -> None:
        self.problems.append(error(self.path, self.line, self.field(name), message))

    def warn(self, name: str, message: str) -> None:
        self.problems.append(warning(self.path, self.line, self.field(name), message))


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}" if not isinstance(value, str) else repr(value)


def _style(raw: dict, c: _Checker) -> str:
    style = raw.get("style", "helpful")
    if style in STYLES:
        return style
    c.error("style", f"expected one of {', '.join(STYLES)}, found {_found(style)}")
    return "helpful"


def _text(raw: dict, key: str, c: _Checker, limit: int = 200) -> str:
    value = raw.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        c.error(key, f"expected text, found {_found(value)}")
        return ""
    if len(value.strip()) > limit:
        c.error(key, f"expected at most {limit} characters, found {len(value.strip())}")
        return ""
    return value.strip()


def _reasons(raw: dict, c: _Checker) -> tuple[str, ...]:
    if "reasons" not in raw:
        return DEFAULT_REASONS
    value = raw["reasons"]
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error("reasons", f"expected a list of reasons, found {_found(value)}")
        return DEFAULT_REASONS
    reasons: list[str] = []
    for index, reason in enumerate(value):
        name = f"reasons[{index}]"
        if not isinstance(reason, str) or not reason.strip():
            c.error(name, f"expected a non-empty text, found {_found(reason)}")
        elif len(reason.strip()) > REASON_MAX:
            c.error(name, f"expected at most {REASON_MAX} characters, found {len(reason.strip())}")
        elif reason.strip() in reasons:
            c.warn(name, f"duplicate reason {reason.strip()!r} is shown once")
        else:
            reasons.append(reason.strip())
    return tuple(reasons)


def _comment(raw: dict, c: _Checker) -> bool:
    value = raw.get("comment", True)
    if isinstance(value, bool):
        return value
    c.error("comment", f"expected true or false, found {_found(value)}")
    return True


def _http_url(value: Any, name: str, c: _Checker) -> str:
    if not isinstance(value, str) or not value.strip():
        c.error(name, f"expected an http(s) URL, found {_found(value)}")
        return ""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        c.error(name, f"expected an http(s) URL such as https://feedback.example.com, found {value!r}")
        return ""
    return value.strip()


def _service_url(raw: dict, c: _Checker) -> str:
    if raw.get("service_url") in (None, ""):
        return DEFAULT_SERVICE_URL
    url = _http_url(raw["service_url"], "service_url", c)
    return url.rstrip("/") if url else DEFAULT_SERVICE_URL


def _contact(raw: dict, c: _Checker) -> Contact:
    value = raw.get("contact") or {}
    if not isinstance(value, dict):
        c.error("contact", f"expected a mapping with {', '.join(CONTACT_KEYS)}, found {_found(value)}")
        return Contact()
    for key in value:
        if key not in CONTACT_KEYS:
            c.warn(f"contact.{key}", f"unknown key, expected one of {', '.join(CONTACT_KEYS)}")
    email = _text(value, "email", _Sub(c, "contact"))
    if email and not _EMAIL.match(email):
        c.error("contact.email", f"expected an e-mail address such as help@example.com, found {email!r}")
        email = ""
    phone = _text(value, "phone", _Sub(c, "contact"), limit=40)
    if phone and not _PHONE.match(phone):
        c.error("contact.phone", f"expected a phone number such as +1 555 0100, found {phone!r}")
        phone = ""
    chat = value.get("chat_url")
    chat_url = _http_url(chat, "contact.chat_url", c) if chat not in (None, "") else ""
    hours = _text(value, "hours", _Sub(c, "contact"))
    return Contact(email=email, phone=phone, chat_url=chat_url, hours=hours)


class _Sub(_Checker):
    """A checker whose field names are nested one level deeper (``contact.email``)."""

    def __init__(self, parent: _Checker, name: str):
        super().__init__(parent.path, parent.line, parent.field(name))
        self.problems = parent.problems


def check_feedback_settings(
    raw: dict | None, *, path: str = "mkdocs.yml", line: int = 0,
    prefix: str = "plugins.carebase.feedback",
) -> tuple[FeedbackSettings, list[Problem]]:
    """Validate the widget settings; return the settings and the problems found.

    ``raw`` is the ``feedback:`` mapping; ``service_url`` and ``contact`` may be in it
    (the site copies its top-level ``service_url`` and ``contact`` there).
    """
    c = _Checker(path, line, prefix)
    if raw is None:
        return FeedbackSettings(), []
    if not isinstance(raw, dict):
        return FeedbackSettings(), [
            error(path, line, prefix, f"expected a mapping of widget settings, found {_found(raw)}")
        ]
    for key in raw:
        if key not in KNOWN_KEYS:
            c.warn(str(key), f"unknown key, expected one of {', '.join(KNOWN_KEYS)}")
    settings = FeedbackSettings(
        style=_style(raw, c),
        question=_text(raw, "question", c),
        reasons=_reasons(raw, c),
        comment=_comment(raw, c),
        service_url=_service_url(raw, c),
        contact=_contact(raw, c),
    )
    return settings, c.problems

"""Reading request bodies safely: a size limit, JSON whatever the content type, forms."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from starlette.requests import Request

from carebase.service.errors import ApiError, bad


async def read_body(request: Request, limit: int) -> bytes:
    """The body, or 413 as soon as it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise ApiError(413, f"body larger than {limit} bytes", "body")
        except ValueError:
            raise bad("body", "Content-Length is not a number") from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"body larger than {limit} bytes", "body")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(body: bytes, expected: str = '{"events": [...]}') -> object:
    """JSON whatever the Content-Type (sendBeacon sends text/plain); ``expected``: what the
    endpoint reads, for the message about an empty body."""
    if not body.strip():
        raise bad("body", f"empty body: expected JSON {expected}")
    try:
        return json.loads(body.decode("utf-8-sig"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise bad("body", "body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise bad("body", f"body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except (RecursionError, ValueError) as exc:
        raise bad("body", f"body is not valid JSON: {exc}") from None


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def parse_form(body: bytes, lists: tuple[str, ...] = ()) -> dict:
    """An application/x-www-form-urlencoded body: the first value of each field, every value
    (a list) of the fields named in ``lists`` (checkboxes of one name)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise bad("body", "form is not UTF-8") from None
    try:
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=50)
    except ValueError as exc:
        raise bad("body", f"form: {exc}") from None
    return {key: list(values) if key in lists else values[0] for key, values in fields.items()}

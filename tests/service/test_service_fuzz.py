"""Fuzzing the events endpoint over real HTTP from the service's own OpenAPI document.

Valid batches are generated from the document's schemas (a small JSON-Schema-to-hypothesis
translation below: hypothesis-jsonschema 0.23 does not run on current hypothesis), so the
document is checked against reality: everything it allows must be stored. Then one field
of one event is replaced by arbitrary JSON, and arbitrary bodies are sent: the service must
answer 200 or the right 4xx — never a 5xx — and store nothing when it refuses a batch.
"""

from __future__ import annotations

import copy
import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_testkit import examples
from service_testkit import MANIFEST, new_id, post_events

from carebase.service.openapi import NO_NUL, openapi_document

pytestmark = pytest.mark.slow  # hypothesis over real HTTP

# 50 random examples a test locally; 20 in CI (derandomized): each valid batch holds up to 20
# events of every type the document allows (the document/reality mismatches this test found,
# 7c1547b), and what the mangling found (lone surrogates, 3974014; a NUL or a lone surrogate in
# an id) is sent every run by test_what_the_fuzzer_found_is_a_400_naming_the_field below, which
# the 20 derandomized draws alone did not all reach (nor did 50: no mangled id held either).
FUZZ = settings(max_examples=examples(50, ci=20), deadline=None, suppress_health_check=list(HealthCheck))
KNOWN_ITEMS = sorted(MANIFEST["items"]) + sorted(MANIFEST["aliases"])


def components() -> dict:
    """The document's schemas, with item ids limited to the test site's manifest."""
    schemas = copy.deepcopy(openapi_document())["components"]["schemas"]
    for schema in schemas.values():
        if "item" in schema.get("properties", {}):
            schema["properties"]["item"] = {"enum": KNOWN_ITEMS}
    return schemas


def from_schema(schema: dict, defs: dict) -> st.SearchStrategy:
    """Values valid under ``schema`` (the subset of JSON Schema the document uses)."""
    if "$ref" in schema:
        return st.deferred(lambda: from_schema(defs[schema["$ref"].rsplit("/", 1)[1]], defs))
    if "oneOf" in schema:
        return st.one_of([from_schema(s, defs) for s in schema["oneOf"]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "string":
        low, high = schema.get("minLength", 0), schema.get("maxLength", 100)
        pattern = schema.get("pattern")
        if pattern is None or pattern == NO_NUL:
            return st.text(st.characters(blacklist_characters="\x00", codec="utf-8"), min_size=low, max_size=high)
        return st.from_regex(pattern, fullmatch=True)
    if kind == "array":
        return st.lists(from_schema(schema["items"], defs), min_size=schema.get("minItems", 0),
                        max_size=min(schema.get("maxItems", 10), 20))
    if kind == "object":
        # in the document's order, never a set's: fixed_dictionaries draws its values in its keys'
        # order, and a set of strings is ordered by their hashes, which change with every process
        # (PYTHONHASHSEED), so CI's derandomized draws differed from run to run after the first two
        # examples (session 40: 15 and 18 of 20 mangled batches refused in two runs of one commit)
        required = [k for k in dict.fromkeys(schema.get("required", ()))]
        props = schema["properties"]
        optional = {k: from_schema(v, defs) for k, v in props.items() if k not in required}
        strategy = st.fixed_dictionaries({k: from_schema(props[k], defs) for k in required}, optional=optional)
        if "anyOf" in schema:
            choices = [set(option["required"]) for option in schema["anyOf"]]
            strategy = strategy.filter(lambda o: any(c <= set(o) for c in choices))
        return strategy
    raise AssertionError(f"schema not covered by the fuzzer: {schema}")


DEFS = components()
batches = from_schema(DEFS["Batch"], DEFS)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50)
    | st.sampled_from(["\ud800", "a\udfffb", "\x00", "\u2028", "x" * 2001]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


@FUZZ
@given(batch=batches)
def test_every_batch_the_document_allows_is_stored(any_service, batch):
    service = any_service
    response = post_events(service, batch["events"])
    assert response.status_code == 200, (response.text, batch)
    body = response.json()
    ids = {e["id"] for e in batch["events"]}
    assert body["accepted"] + body["duplicates"] == len(batch["events"])
    counted = {e["id"] for e in batch["events"] if e["type"] == "view"}  # a count per item and day, no row
    assert set(service.rows(ids - counted)) == ids - counted


def _queryable_ids(events) -> set[str]:
    """The string ids a database can be asked about: a mangled id may hold a lone surrogate,
    which no UTF-8 database can store or compare, or a NUL, which PostgreSQL text cannot hold
    (the service refuses both with a 400)."""
    ids = set()
    for e in events:
        if isinstance(e.get("id"), str):
            try:
                e["id"].encode("utf-8")
            except UnicodeEncodeError:
                continue
            if "\x00" not in e["id"]:
                ids.add(e["id"])
    return ids


@FUZZ
@given(batch=batches, data=st.data())
def test_a_mangled_field_gets_a_4xx_and_stores_nothing_never_a_500(any_service, batch, data):
    service = any_service
    events = batch["events"]
    index = data.draw(st.integers(0, len(events) - 1))
    event = events[index]
    key = data.draw(st.sampled_from(sorted(event) + ["value", "item", "ts", "query", "results", "rank"]))
    event[key] = data.draw(json_values)
    before = set(service.rows(_queryable_ids(events)))
    response = post_events(service, events)
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code != 200:
        assert response.json()["field"].startswith(f"events[{index}]")
        assert set(service.rows(_queryable_ids(events))) == before  # nothing new stored


@pytest.mark.parametrize("key, value", [
    ("query", "a\udfffb"),  # a lone surrogate in a text field poisoned a group commit (3974014)
    ("id", "\ud800"),  # a lone surrogate in an id: no UTF-8 database can store it (1af7bda)
    ("id", "x\x00y"),  # a NUL in an id: PostgreSQL text cannot hold it (ec69809)
    ("query", "x" * 2001),  # over the document's maxLength
])
def test_what_the_fuzzer_found_is_a_400_naming_the_field(any_service, key, value):
    service = any_service
    events = [{"id": new_id("found"), "type": "search", "query": "q", "results": 0} for _ in range(2)]
    events[1][key] = value
    response = post_events(service, events)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == f"events[1].{key}"
    assert not service.rows(_queryable_ids(events))  # nothing stored, not even the valid event


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode()),
                      st.dictionaries(st.just("events"), json_values).map(lambda v: json.dumps(v).encode())))
def test_arbitrary_bodies_never_cause_a_500(service, body):
    count = service.count()
    response = service.client.post("/api/v1/events", content=body, headers={"content-type": "text/plain"})
    assert response.status_code in (400, 413, 422), response.text
    assert set(response.json()) == {"error", "field"}
    assert service.count() == count


@pytest.mark.parametrize("content_type", ["text/plain;charset=UTF-8", "application/json", "application/x-www-form-urlencoded", ""])
def test_any_content_type_is_parsed_as_json(service, content_type):
    events = [{"id": new_id("ctype"), "type": "search", "query": "q", "results": 0}]
    response = service.client.post("/api/v1/events", content=json.dumps({"events": events}),
                                   headers={"content-type": content_type})
    assert response.status_code == 200


FORM_KEYS = ["item", "value", "scale", "reason", "comment", "revision", "return_to", "website"]
form_values = st.one_of(st.text(max_size=30), st.sampled_from(
    ["article:billing/refunds", "faq:billing#can-i-get-a-refund", "0", "1", "5", "csat", "ces", "helpful",
     "http://site.test/page/", "https://evil.test/", "", "x" * 2001]))


@FUZZ
@given(body=st.one_of(
    st.binary(max_size=200),
    st.dictionaries(st.sampled_from(FORM_KEYS), form_values).map(lambda d: urlencode(d).encode()),
))
def test_the_no_js_form_never_answers_500(service, body):
    response = service.client.post("/feedback", content=body, follow_redirects=False,
                                   headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code in (303, 400, 422), response.text
    if response.status_code == 303:
        assert response.headers["location"].startswith("http://site.test/")
    else:
        assert set(response.json()) == {"error", "field"}

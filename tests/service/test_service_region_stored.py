"""The site's region through the real service: a search or comment holding one of the site's
national phone numbers is stored masked (read back from the SQLite file), the build output's
region (the carebase plugin's) winning over ``--region``; without one, stored as before."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_testkit import run_carebase
from service_testkit import CONTENT, NO_LEARNING, SITE, Service, new_id, post_events, stored_as_query_and_comment

#: a Hong Kong mobile in a list, a Hong Kong number after "fw": readable on a site without a
#: region (as before this setting), masked on a Hong Kong site
TYPED = ["rooms 9123 4567 261", "fw 2123 4567 8"]
ON_A_HK_SITE = ["rooms [phone]", "fw [phone]"]


def _site_data(root, region):
    from carebase.content import load_catalogue
    from carebase.output import open_output

    for name, text in CONTENT.items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    manifest = open_output(root / "site-data", load_catalogue(root / "content"), region=region).manifest
    assert manifest.get("region", []) == list(region)
    return root / "site-data"


def _build(site) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "carebase", "build"], cwd=site, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def _service(tmp_path, site_data, *extra):
    return Service(["--site-data", str(site_data), "--allowed-origin", SITE, "--rate-limit", "0", *NO_LEARNING, *extra],
                   f"sqlite:///{tmp_path / 'feedback.db'}")


@pytest.mark.slow  # two service processes
def test_a_sites_national_numbers_are_stored_masked_and_no_region_stores_them_as_before(tmp_path, site_data):
    hong_kong = _service(tmp_path / "hk", _site_data(tmp_path / "hk", ("HK",)))
    plain = _service(tmp_path, site_data)  # the shared test site: no region
    try:
        assert stored_as_query_and_comment(hong_kong, TYPED) == (ON_A_HK_SITE, ON_A_HK_SITE)
        assert stored_as_query_and_comment(hong_kong, TYPED, padding=30) == (ON_A_HK_SITE, ON_A_HK_SITE)  # a batch masked in a worker thread
        assert stored_as_query_and_comment(plain, TYPED) == (TYPED, TYPED)
        assert stored_as_query_and_comment(plain, ["call 9123 4567 261"]) == (["call [phone]"], ["call [phone]"])
    finally:
        hong_kong.stop()
        plain.stop()


@pytest.mark.slow  # two service processes
def test_the_build_outputs_region_wins_over_the_flag_and_the_flag_serves_a_site_without_one(tmp_path, site_data):
    british = _service(tmp_path / "gb", _site_data(tmp_path / "gb", ("GB",)), "--region", "HK")
    flagged = _service(tmp_path, site_data, "--region", "hk")
    try:
        # London, then Guernsey and the Isle of Man: +44 numbers, national on a British site
        british_numbers = ["kb 020 7946 0958", "fw 07781 123456", "ver 07624 123456"]
        masked = ["kb [phone]", "fw [phone]", "ver [phone]"]
        assert stored_as_query_and_comment(british, TYPED + british_numbers) == (TYPED + masked, TYPED + masked)
        assert stored_as_query_and_comment(flagged, TYPED) == (ON_A_HK_SITE, ON_A_HK_SITE)
    finally:
        british.stop()
        flagged.stop()


def test_a_region_naming_no_country_stops_the_service_with_what_to_write(tmp_path):
    result = run_carebase("service", "--port", "0", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--region", "GB,UK")
    assert result.returncode == 2, result.stderr
    assert "carebase service: region[1]: 'UK' is not a country code: did you mean GB?" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_carebase("service", "--port", "0", "--db", f"sqlite:///{tmp_path / 'x.db'}", env={"CAREBASE_REGION": "XX"})
    assert result.returncode == 2 and "'XX' is not a country code" in result.stderr, result.stderr


@pytest.mark.slow  # two real MkDocs builds and a service process
def test_a_built_sites_region_reaches_the_service_and_a_bad_one_stops_the_build(tmp_path):
    """`carebase init`, `region: [HK]` in its mkdocs.yml, `carebase build`: the build output
    names the region and the service following it stores a Hong Kong number masked; a code
    that is no country stops the build with the file, line and field."""
    assert run_carebase("init", "site", cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    config = site / "mkdocs.yml"
    plain = config.read_text(encoding="utf-8")
    config.write_text(plain.replace("  - carebase:\n", "  - carebase:\n      region: [HK]\n"), encoding="utf-8")
    built = _build(site)
    assert built.returncode == 0, built.stderr
    service = Service(["--site-data", str(site / "site-data"), "--allowed-origin", SITE, *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        searches = [{"id": new_id("built"), "type": "search", "query": "rooms 9123 4567 261", "results": 0}]
        assert post_events(service, searches).status_code == 200
        assert service.rows([searches[0]["id"]])[searches[0]["id"]]["query"] == "rooms [phone]"
    finally:
        service.stop()
    config.write_text(plain.replace("  - carebase:\n", "  - carebase:\n      region:\n        - HK\n        - UK\n"), encoding="utf-8")
    refused = _build(site)
    line = config.read_text(encoding="utf-8").splitlines().index("        - UK") + 1
    assert refused.returncode != 0
    assert f"carebase: mkdocs.yml:{line}: plugins.carebase.region[1]: 'UK' is not a country code: did you mean GB?" in refused.stderr, refused.stderr


@pytest.mark.slow  # two build outputs (their search indexes): 2.8 s of CPU
def test_carebase_mcp_records_questions_masked_with_the_build_outputs_region(tmp_path):
    """`carebase mcp` (stdio, no service) stores each question as an ask event: masked with the
    region of the build output it answers from, as the service would (its recorder, on a real
    build output; the stdio round trip itself is test_assist_mcp's)."""
    from types import SimpleNamespace

    from carebase.cli.mcp import _recorder
    from carebase.output.live import LiveOutput

    rows = []

    class Writer:
        def submit(self, batch):
            rows.extend(batch)
            return SimpleNamespace(add_done_callback=lambda _: None)

    answer = SimpleNamespace(answered=False, cited_ids=[])
    hong_kong = LiveOutput(str(_site_data(tmp_path / "hk", ("HK",))))
    _recorder(Writer(), hong_kong)("rooms 9123 4567 261 refund", answer, None, None)
    _recorder(Writer(), LiveOutput(str(_site_data(tmp_path / "none", ()))))("rooms 9123 4567 261 refund", answer, None, None)
    assert [row["query"] for row in rows] == ["rooms [phone] refund", "rooms 9123 4567 261 refund"]

"""``carebase report --since-last`` on the live service's database: the first digest lists the
top open rows; after a lead's decision in the service, the next one lists that decision and
nothing else (no new events arrived in between)."""

from __future__ import annotations

import os

from cli_testkit import run_carebase


def test_since_last_digest_lists_only_what_changed(sqlite_live, tmp_path):
    service, _ = sqlite_live
    out = tmp_path / "archive"
    args = ("--site-data", str(service.site_data), "--db", service.db_url, "--out", str(out), "--format", "json",
            "--since-last", "--cache", str(tmp_path / "cache"))
    env = {**os.environ, "CI": "1"}
    first = run_carebase("report", *args, env=env)
    assert first.returncode == 0, first.stderr
    assert "digest: first digest" in first.stdout
    md = (out / "digest.md").read_text(encoding="utf-8")
    target = next(r for r in service.backlog()["rows"] if r["action"] == "write" and r["status"] == "open")
    assert "first digest" in md and f"“{target['subject']['title']}”" in md
    answer = service.decide(target["key"], status="in_progress", owner="Robin Diaz")
    assert answer.status_code == 200, answer.text
    try:
        second = run_carebase("report", *args, env=env)
        assert second.returncode == 0, second.stderr
        assert "digest: 1 change(s) since the last run" in second.stdout
        md = (out / "digest.md").read_text(encoding="utf-8")
        assert "## Decisions taken (1)" in md and f"“{target['subject']['title']}” — Robin Diaz" in md
        assert f"(status open → in progress, owner {target['owner']} → Robin Diaz)" in md
        assert "## New recommendations" not in md and "## No longer recommended" not in md
        html = (out / "digest.html").read_text(encoding="utf-8")
        assert "Decisions taken (1)" in html and "Robin Diaz" in html
    finally:
        service.decide(target["key"], status="open", owner="")

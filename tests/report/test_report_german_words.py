"""The German report reads German customers' failed searches with German word rules: its lines
and topics join the forms of a word ("Rechnung", "Rechnungen") and the German synonym groups
(``content/synonyms.de.yml``: *zurücksetzen*, *Werkseinstellungen*, "factory reset"), as German
search does. Before, the report's analyser stemmed every language with the English stemmer
(``normalise.stem``): "rechnungen" stayed apart from "rechnung", and no German synonym group ever
matched (its members are German stems), so one need was listed as several lines."""

from __future__ import annotations

import json

from sqlalchemy import create_engine
from tiers_testkit import real_build

from carebase.store.schema import events, metadata
from report_testkit import START_MS, run_cli

WHEN = START_MS + 20 * 86_400_000
WORDINGS = {  # nothing on the demo's German pages covers a garden sauna's stove
    "forms": ["saunaofen rechnung", "Saunaofen Rechnungen"],
    "synonyms": ["saunaofen zurücksetzen", "saunaofen werkseinstellungen", "saunaofen factory reset"],
}


@real_build
def test_a_german_need_typed_in_forms_and_synonyms_is_one_line(demo_site_data, tmp_path):
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    engine = create_engine(url)
    metadata.create_all(engine)
    rows, n = [], 0
    for wordings in WORDINGS.values():
        for query in wordings:
            for c in range(2):
                n += 1
                rows.append({**dict.fromkeys(col.name for col in events.columns), "event_id": f"ev-{n:04d}",
                             "received_ms": WHEN + n * 1000, "type": "search", "query": query, "results": 0,
                             "lang": "de", "client": f"de-{n}-{c}", "page": "/de/search/", "source": "search-page"})
    with engine.begin() as conn:
        conn.execute(events.insert(), rows)
    engine.dispose()
    out = tmp_path / "de"
    proc = run_cli("--site-data", str(demo_site_data), "--db", url, "--out", str(out), "--format", "json",
                   "--no-cache", "--lang", "de", in_process=True)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    lines = report["top"]["searches"]["failed"]
    typed = [sorted(w["query"].lower() for w in line["wordings"]) for line in lines]
    for wordings in WORDINGS.values():
        assert sorted(w.lower() for w in wordings) in typed, typed
    assert len(lines) == len(WORDINGS), typed

"""carebase's own strings per language (carebase.strings): the shipped catalogues agree with
English, the scripts' English fallbacks are the catalogue's, a site overrides strings in its
content folder, a missing string falls back to English and `carebase check` names the file
and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from cli_testkit import run_carebase

from carebase.strings import HERE, builtin, load_strings
from carebase.widget.markup import feedback_form
from carebase.widget.settings import DEFAULT_REASONS, FeedbackSettings

REPO = Path(__file__).resolve().parents[2]
CLEAN = REPO / "tests" / "content" / "fixtures" / "clean"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _forms(value) -> list[str]:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, tuple):
        return list(value)
    return [value]


def test_every_shipped_catalogue_has_englishs_keys_shapes_and_placeholders():
    english = builtin("en")
    catalogues = sorted(p.stem for p in HERE.glob("*.yml"))
    assert "de" in catalogues
    for code in catalogues:
        own = builtin(code)
        assert set(own) == set(english), f"{code}.yml: {sorted(set(english) ^ set(own))}"
        for key, located in english.items():
            theirs = own[key].value
            assert type(theirs) is type(located.value), f"{code}.yml:{own[key].line}: {key}"
            if isinstance(theirs, tuple):
                assert len(theirs) == len(located.value), f"{code}.yml:{own[key].line}: {key}"
            wanted = set(PLACEHOLDER.findall(" ".join(_forms(located.value))))
            for form in _forms(theirs):
                assert set(PLACEHOLDER.findall(form)) == wanted, f"{code}.yml:{own[key].line}: {key}: {form!r}"
            assert all(f.strip() for f in _forms(theirs)), f"{code}.yml:{own[key].line}: {key} is empty"


# T("key", "English" [+ "more"]) in the theme's scripts: the English text each call falls back to
_CALL = re.compile(r'\bT\(\s*"([\w.]+)",\s*((?:"(?:[^"\\]|\\.)*"\s*\+?\s*)+)[,)]')


def test_the_scripts_english_fallbacks_are_the_catalogues():
    english = builtin("en")
    seen = 0
    for script in (REPO / "theme" / "assets" / "carebase").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        for key, literal in _CALL.findall(text):
            assert key in english, f"{script.name}: T({key!r}) is not in carebase/strings/en.yml"
            joined = "".join(yaml.safe_load(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', literal))
            assert joined == english[key].value, f"{script.name}: {key}: {joined!r} != en.yml {english[key].value!r}"
            seen += 1
        for key in re.findall(r'\bT\(\s*"([\w.]+)"', text):  # "search.count." + kind: a family of keys
            known = key in english or (key.endswith(".") and any(k.startswith(key) for k in english))
            assert known, f"{script.name}: T({key!r}) is not in carebase/strings/en.yml"
    assert seen >= 40  # the widget's, the search's and the contact form's texts


def test_german_widget_reads_german_and_still_sends_the_reasons_the_report_counts():
    de, problems = load_strings(None, "de", "en")
    assert not problems and not de.missing
    html = feedback_form("article:billing/refunds", "r1", "Rückerstattungen", FeedbackSettings(), strings=de)
    for text in ("War das hilfreich?", ">Ja</button>", ">Nein</button>", "Was war das Problem?",
                 "Danke für Ihr Feedback!", "Antwort ändern", "Schwer verständlich"):
        assert text in html, text
    # the label is German, the value stays the site's reason (events and report count by it)
    assert f'value="{DEFAULT_REASONS[1]}"' in html and "Hard to understand</label>" not in html
    english = feedback_form("article:billing/refunds", "r1", "Refunds", FeedbackSettings())
    assert "Was this helpful?" in english and "Hard to understand</label>" in english


def test_a_site_overrides_strings_and_a_missing_one_falls_back_to_english(tmp_path):
    (tmp_path / "strings.yml").write_text("search.placeholder: Ask us anything\n", encoding="utf-8")
    (tmp_path / "strings.fr.yml").write_text(
        "# French, partly\nwidget.yes: Oui\nwidget.no: Non\nwidget.maybe: Peut-être\nsearch.see_all: [a, b]\n",
        encoding="utf-8")
    en, problems = load_strings(tmp_path, "en", "en")
    assert en.t("search.placeholder") == "Ask us anything" and en.t("search.button") == "Search"
    assert not problems  # the default language is English: nothing is missing
    fr, problems = load_strings(tmp_path, "fr", "en")
    assert (fr.t("widget.yes"), fr.t("widget.no")) == ("Oui", "Non")
    assert fr.t("widget.thanks") == "Thanks for your feedback!"  # no French catalogue: English
    assert fr.n("count.article", 1) == "1 article" and fr.n("count.article", 1500) == "1\u202f500 articles"
    found = {(p.path, p.line, p.field, p.is_error): p.message for p in problems}
    assert ("strings.fr.yml", 4, "widget.maybe", False) in found  # unknown key: where it is
    assert "expected a mapping of plural forms as in English, found a list of texts" in \
        found[("strings.fr.yml", 5, "search.see_all", True)]
    missing = found[("strings.fr.yml", 6, "", False)]  # after the last line, where they would go
    assert re.match(r"expected carebase's \d+ strings in 'fr', found 2: \d+ are shown in English", missing)


def test_carebase_check_warns_where_a_languages_strings_are_missing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CLEAN, content)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ndocs_dir: content\nplugins:\n  - carebase:\n      languages: [en, de, he]\n"
                                         "      contact: {hours: Mon–Fri 9–17}\ntheme: carebase\n", encoding="utf-8")
    (content / "strings.he.yml").write_text("widget.yes: כן\nwidget.no: לא\n", encoding="utf-8")
    (content / "strings.de.yml").write_text("site.contact.hours: Mo–Fr 9–17 Uhr\n", encoding="utf-8")
    done = run_carebase("check", "content", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr  # a warning, not an error
    lines = [line for line in done.stdout.splitlines() if "strings" in line]
    assert len(lines) == 2, done.stdout  # German is complete; Hebrew has 2 of carebase's strings, not the hours
    assert re.search(r"strings\.he\.yml:3\b.*expected carebase's \d+ strings in 'he', found 2", lines[0]), lines[0]
    assert re.search(r"strings\.he\.yml:3\b.*expected the site's own texts of mkdocs.yml in 'he' too, found none "
                     r"for site\.contact\.hours", lines[1]), lines[1]
    strict = run_carebase("check", "content", "--strict", cwd=tmp_path)
    assert strict.returncode == 1


def test_a_languages_strings_file_translates_the_sites_own_texts_and_check_names_what_is_missing(tmp_path):
    """mkdocs.yml's texts (site name, contact hours, footer) are the default language's; a
    German strings file gives them in German under site.* keys; a wrong shape is an error
    with its line, an untranslated text a warning naming the file, a site.* key in the
    default language's file a warning (mkdocs.yml holds that language's)."""
    from carebase.strings.site import site_texts

    site = site_texts(name="Acme help", hours="Mon–Fri 9–17", footer_text="© Acme", footer_links=["Contact", "Privacy"])
    (tmp_path / "strings.de.yml").write_text(
        "site.name: Acme Hilfe\nsite.contact.hours: Mo–Fr 9–17 Uhr\nsite.footer.links: [Kontakt]\n", encoding="utf-8")
    (tmp_path / "strings.yml").write_text("site.name: Acme support\n", encoding="utf-8")
    de, problems = load_strings(tmp_path, "de", "en", site)
    assert de.site_text("site.name", "Acme help") == "Acme Hilfe"
    assert de.site_text("site.contact.hours", "Mon–Fri 9–17") == "Mo–Fr 9–17 Uhr"
    assert de.site_text("site.footer.text", "© Acme") == "© Acme"  # untranslated: as mkdocs.yml writes it
    assert de.site_text("site.footer.links", ("Contact", "Privacy")) == ("Contact", "Privacy")  # 1 of 2: refused
    found = {(p.path, p.line, p.field, p.is_error): p.message for p in problems}
    assert "expected 2 texts (one per entry of mkdocs.yml's plugins.carebase.footer.links" in \
        found[("strings.de.yml", 3, "site.footer.links", True)]
    untranslated = found[("strings.de.yml", 4, "", False)]
    assert "site.footer.text, site.footer.links" in untranslated and "site.name" not in untranslated
    assert de.published() == {"site.contact.hours": "Mo–Fr 9–17 Uhr", "site.name": "Acme Hilfe"}
    en, problems = load_strings(tmp_path, "en", "en", site)
    assert en.site_text("site.name", "Acme help") == "Acme help" and en.t("site.name") == "Acme help"
    assert [(p.path, p.line, p.field, p.is_error) for p in problems] == [("strings.yml", 1, "site.name", False)]
    # the service's side: carebase's catalogue with the manifest's published strings over it
    service = load_strings(None, "de")[0].with_published({**de.published(), "contact_answer.back": "Zurück",
                                                          "widget.yes": ["not", "a text"], "nope": "x"})
    assert (service.t("site.name"), service.t("contact_answer.back"), service.t("widget.yes")) == \
        ("Acme Hilfe", "Zurück", "Ja")


def test_builtin_checks_the_language_code_before_any_path(tmp_path, monkeypatch):
    """Fails on 4cd1955: builtin("../x") read carebase/x.yml from outside the strings folder (here
    a catalogue planted next to it), and a made-up code was a new cache entry. Now a malformed
    code is a ValueError naming it, and only the shipped catalogues are opened."""
    import carebase.strings as strings

    outside = tmp_path / "outside.yml"
    outside.write_text('planted: "read through ../"\n', encoding="utf-8")
    inner = tmp_path / "strings"
    inner.mkdir()
    for p in HERE.glob("*.yml"):
        shutil.copy(p, inner / p.name)
    monkeypatch.setattr(strings, "HERE", inner)
    strings.shipped.cache_clear()
    try:
        for code in ("../outside", "de/../../outside", "", "de.yml", "EN", "de\x00"):
            try:
                found = strings.builtin(code)
            except ValueError as e:
                assert repr(code) in str(e) and "language code" in str(e)
            else:
                raise AssertionError(f"{code!r} was read: {sorted(found)[:3]}")
        assert strings.builtin("xx") == {} and strings.builtin("pt-BR") == {}  # well formed, none shipped
        assert strings.builtin("de")["widget.question.helpful"].value  # a shipped one reads as before
    finally:
        strings.shipped.cache_clear()

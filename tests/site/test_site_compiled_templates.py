"""The theme's compiled templates kept between builds (carebase.plugins.site.compiled): a second
build loads them, an edited template is compiled again, and what changes compiled code (a
filter's calling convention, an extension) gets a folder of its own."""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from carebase.plugins.site.compiled import environment_key, keep_compiled


def _env(folder, **options):
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), auto_reload=False, **options)


def test_second_environment_loads_the_compiled_template_and_an_edit_is_compiled_again(tmp_path):
    templates, cache = tmp_path / "theme", tmp_path / "cache"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("<h1>{{ title }}</h1>", encoding="utf-8")

    first = _env(templates)
    folder = keep_compiled(first, cache)
    assert folder is not None and folder.parent == cache / "jinja"
    assert first.get_template("page.html").render(title="One") == "<h1>One</h1>"
    stored = list(folder.iterdir())
    assert len(stored) == 1, stored

    second = _env(templates)
    assert keep_compiled(second, cache) == folder
    compiled = []
    original = second._compile
    second._compile = lambda source, filename: compiled.append(filename) or original(source, filename)
    assert second.get_template("page.html").render(title="Two") == "<h1>Two</h1>"
    assert compiled == [], "the unchanged template was compiled again instead of loaded"

    page.write_text("<h2>{{ title }}</h2>", encoding="utf-8")
    third = _env(templates)
    keep_compiled(third, cache)
    assert third.get_template("page.html").render(title="Three") == "<h2>Three</h2>"


def test_what_changes_compiled_code_changes_the_folder(tmp_path):
    plain = _env(tmp_path)
    assert environment_key(plain) == environment_key(_env(tmp_path))

    with_filter = _env(tmp_path)
    with_filter.filters["shout"] = lambda value: Markup(str(value).upper())
    with_context_filter = _env(tmp_path)
    with_context_filter.filters["shout"] = jinja2.pass_context(lambda ctx, value: str(value).upper())
    with_extension = _env(tmp_path, extensions=["jinja2.ext.i18n"])
    trimmed = _env(tmp_path, trim_blocks=True)
    keys = [environment_key(e) for e in (plain, with_filter, with_context_filter, with_extension, trimmed)]
    assert len(set(keys)) == len(keys), keys


def test_an_environment_with_a_cache_of_its_own_and_a_cache_turned_off_are_left_alone(tmp_path):
    own = jinja2.FileSystemBytecodeCache(str(tmp_path))
    env = _env(tmp_path, bytecode_cache=own)
    assert keep_compiled(env, tmp_path / "cache") is None and env.bytecode_cache is own
    off = _env(tmp_path)
    assert keep_compiled(off, None) is None and off.bytecode_cache is None


def test_an_unwritable_cache_folder_leaves_rendering_as_before(tmp_path):
    templates = tmp_path / "theme"
    templates.mkdir()
    (templates / "page.html").write_text("{{ 1 + 1 }}", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    env = _env(templates)
    assert keep_compiled(env, blocker) is None
    assert env.get_template("page.html").render() == "2"

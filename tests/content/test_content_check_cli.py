"""`carebase check` and `carebase new` through the real CLI: its entry point run in-process
(``cli_testkit.run_carebase``), and on a pseudo-terminal in a subprocess for colours."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_testkit import run_carebase, run_on_terminal

HERE = Path(__file__).parent
BROKEN = HERE / "fixtures" / "broken"
CLEAN = HERE / "fixtures" / "clean"

# Every mistake in fixtures/broken: (file, line, field, E=error/W=warning, start of the message).
EXPECTED = [
    ("account/alias-clash.md", 4, "aliases[0]", "E", "expected an id no other item uses, found 'article:billing/typo-key', already the id of billing/typo-key.md:2"),
    ("account/draft.md", 4, "related[0]", "W", "expected the id of an existing item"),
    ("billing/bad-types.md", 4, "tags", "E", "expected a list of text, found a mapping"),
    ("billing/bad-types.md", 5, "draft", "E", "expected true or false, found text 'yes'"),
    ("billing/bad-types.md", 6, "review_by", "E", "expected a date YYYY-MM-DD, found text '31/12/2024'"),
    ("billing/broken-yaml.md", 4, "", "E", "expected valid YAML, found did not find expected ',' or ']'"),
    ("billing/dup-id.md", 3, "id", "E", "expected an id no other item uses, found 'article:billing/links', already the id of billing/links.md:2"),
    ("billing/latin1.md", 4, "", "E", "expected UTF-8 text, found the byte 0xe9 (column 4)"),
    ("billing/links.md", 5, "related[1]", "E", "expected the id of an existing item (did you mean 'article:billing/typo-key'?), found 'article:billing/typo-kee'"),
    ("billing/links.md", 6, "related[2]", "W", "expected a published item, found 'article:account/draft', a draft"),
    ("billing/links.md", 10, "body", "E", "expected a link to an existing file"),
    ("billing/links.md", 10, "body", "E", "expected the id of an existing item"),
    ("billing/links.md", 18, "body", "W", "expected an anchor that exists on billing/typo-key.md, found '#nowhere'"),
    ("billing/links.md", 18, "body", "W", "expected an anchor that exists on faq/billing, found '#nope'"),
    ("billing/no-title.md", 2, "title", "E", "expected text (a 'title:' in front matter or a '# Heading'), found nothing"),
    ("billing/past-review.md", 3, "review_by", "W", "expected a date in the future, found 2020-01-01"),
    ("billing/typo-key.md", 3, "sumary", "W", "expected a known field (did you mean 'summary'?), found unknown key 'sumary'"),
    ("billing/unclosed.md", 1, "", "E", "expected front matter closed by a line '---', found no closing line"),
    ("categories.yml", 6, "[1].order", "E", "expected a whole number, found text 'first'"),
    ("categories.yml", 7, "[2].id", "E", "expected a unique category id, found 'billing' again (first on line 1)"),
    ("faq/billing.yml", 2, "category", "E", "expected a category from categories.yml (did you mean 'billing'?), found 'biling'"),
    ("faq/billing.yml", 4, "questions[0].answer", "E", "expected text, found nothing"),
    ("faq/billing.yml", 5, "questions[0].anwser", "W", "expected a known field (did you mean 'answer'?)"),
    ("faq/billing.yml", 7, "questions[1].id", "E", "expected an anchor of lower-case letters"),
    ("faq/billing.yml", 9, "questions[2].question", "E", "expected an id no other item uses, found 'faq:billing#how-do-i-pay'"),
    ("faq/billing.yml", 13, "questions[2].answer", "E", "expected a link to an existing file"),
    ("faq/broken.yml", 3, "", "E", 'expected a closing " for the quote opened here (column 15), found the end of the YAML'),
    ("faq/notalist.yml", 2, "questions", "E", "expected a list of questions, found text 'What? Why?'"),
    ("faq/notalist.yml", 3, "title", "E", "expected each key once, found it again (first on line 1)"),
    ("faq/notes.md", 0, "", "W", "expected YAML files in faq/"),
    ("shop/uncategorised.md", 2, "category", "E", "expected a category from categories.yml, found 'shop' (from the folder"),
    ("synonyms.yml", 2, "[1]", "E", "expected a list of words and phrases, found text 'refund policy'"),
    ("synonyms.yml", 3, "[2]", "W", "expected at least two words in a group, found 1"),
    ("synonyms.yml", 4, "[3]", "W", "expected at least two words in a group, found 1"),
    ("synonyms.yml", 4, "[3][1]", "W", "expected each word in one group, found 'refund' again (first on line 1)"),
    ("videos/bad-duration.yml", 3, "duration", "E", "expected a duration like 4:30, 1:02:03 or a number of seconds, found text '4:75'"),
    ("videos/bad-id.yml", 2, "source", "E", "expected an 11-character YouTube video id in the URL, found 'short'"),
    ("videos/bad.srt", 6, "", "E", "expected the cue to end after it starts, found '00:00:09,000 --> 00:00:04,000'"),
    ("videos/bad.vtt", 6, "", "E", "expected a cue timing like '00:00:01.000 --> 00:00:04.000', found '00:00:05.000 -> 00:00:08.000'"),
    ("videos/chapters.yml", 9, "chapters[2].start", "E", "expected a start after the previous chapter (1:30), found 1:00"),
    ("videos/chapters.yml", 11, "chapters[3].start", "E", "expected a start before the end of the video (2:00), found 2:30"),
    ("videos/chapters.yml", 13, "thumbnail", "E", "expected a https URL or an image file in the content folder, found 'thumbs/none.png'"),
    ("videos/http.yml", 2, "source", "E", "expected a https URL, found 'http://www.youtube.com/watch?v=dQw4w9WgXcQ'"),
    ("videos/inline.yml", 8, "transcript[1].end", "E", "expected an end after the start (0:10), found 0:05"),
    ("videos/inline.yml", 10, "transcript_file", "W", "expected a known field (did you mean 'transcript'?)"),
    ("videos/local-missing.yml", 2, "source", "E", "expected an existing video file relative to the content folder, found 'media/intro.mp4'"),
    ("videos/missing-srt.yml", 3, "transcript", "E", "expected an existing .vtt/.srt file, found 'videos/nothere.srt'"),
    ("videos/srt.yml", 4, "captions[0].src", "E", "expected an existing .vtt file, found 'videos/bad.srt'"),
    ("videos/srt.yml", 5, "captions[1].lang", "E", "expected a language tag like 'en' or 'pt-BR', found 'English'"),
    ("videos/srt.yml", 6, "transcript", "E", "expected a transcript that parses, found problems in videos/bad.srt"),
    ("videos/transcripts.yml", 4, "transcript", "E", "expected a transcript that parses, found problems in videos/bad.vtt"),
    ("videos/transcripts.yml", 6, "captions[0].src", "E", "expected an existing .vtt file, found 'videos/missing.vtt'"),
]
ERRORS = sum(1 for e in EXPECTED if e[3] == "E")
WARNINGS = len(EXPECTED) - ERRORS
FILES = len({e[0] for e in EXPECTED})


def carebase(*args: str, cwd: Path = HERE) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CI", None)
    return run_carebase(*args, cwd=cwd, env=env)


def as_printed(message: str) -> str:
    """An EXPECTED message as the text and GitHub formats print it: another content file it
    names is named from the working directory, as the problem's own file (JSON keeps the
    message as the loader wrote it, beside its "path" from the content folder)."""
    return message.replace("already the id of ", "already the id of fixtures/broken/")


def test_broken_fixture_has_many_distinct_mistakes():
    assert len(EXPECTED) >= 25 and FILES >= 20


def test_text_output_lists_every_problem_sorted_with_a_summary():
    result = carebase("check", "fixtures/broken")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    problem_lines = [l for l in lines if l.startswith("fixtures/broken/")]
    assert len(problem_lines) == len(EXPECTED)
    for line, (path, number, field, severity, message) in zip(problem_lines, EXPECTED):
        where = f"fixtures/broken/{path}:{number}:" if number else f"fixtures/broken/{path}:"
        label = "[error]" if severity == "E" else "[warning]"
        head = f"{where} {field}: {as_printed(message)}" if field else f"{where} {as_printed(message)}"
        assert line.startswith(head), (line, head)
        assert line.endswith(label)
        assert "\033[" not in line  # no colour when not a terminal
    assert f"{ERRORS} errors, {WARNINGS} warnings in {FILES} files" in result.stdout
    assert "Fix each error at the file and line shown" in lines[-1]


def test_json_output_names_file_line_and_field_of_every_problem():
    result = carebase("check", "fixtures/broken", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    got = [(p["path"], p["line"], p["field"], p["severity"][0].upper()) for p in data["problems"]]
    assert got == [e[:4] for e in EXPECTED]
    for problem, expected in zip(data["problems"], EXPECTED):
        assert problem["message"].startswith(expected[4])
        assert problem["file"] == f"fixtures/broken/{expected[0]}"
    assert (data["errors"], data["warnings"], data["files"]) == (ERRORS, WARNINGS, FILES)


def test_github_output_is_one_annotation_per_problem():
    result = carebase("check", "fixtures/broken", "--format", "github")
    assert result.returncode == 1
    annotations = [l for l in result.stdout.splitlines() if l.startswith("::")]
    assert len(annotations) == len(EXPECTED)
    pattern = re.compile(r"^::(error|warning) file=([^,]+)(?:,line=(\d+))?(?:,col=(\d+))?,title=([^:]+)::(.*)$")
    for annotation, (path, number, field, severity, message) in zip(annotations, EXPECTED):
        match = pattern.match(annotation)
        assert match, annotation
        kind, file, line, col, title, text = match.groups()
        assert kind == ("error" if severity == "E" else "warning")
        assert file == f"fixtures/broken/{path}"
        assert int(line or 0) == number
        assert title == "carebase check%3A " + (field or "file")
        assert text.startswith(f"{field}: {as_printed(message)}" if field else as_printed(message))
    assert "::error file=fixtures/broken/billing/broken-yaml.md,line=4,col=8," in result.stdout


def test_warnings_only_pass_unless_strict(tmp_path):
    shutil.copytree(CLEAN, tmp_path / "content")
    (tmp_path / "content" / "billing" / "refunds.md").write_text(
        "---\ntitle: Refunds\nsumary: typo\n---\nBody.\n", "utf-8")
    relaxed = carebase("check", "content", cwd=tmp_path)
    assert relaxed.returncode == 0, relaxed.stdout
    assert "0 errors, 1 warning in 1 file" in relaxed.stdout and "--strict" in relaxed.stdout
    strict = carebase("check", "content", "--strict", cwd=tmp_path)
    assert strict.returncode == 1


def test_clean_fixture_passes_strict():
    result = carebase("check", "fixtures/clean", "--strict")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("No problems in fixtures/clean")


def test_missing_path_is_a_usage_error(tmp_path):
    result = carebase("check", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "expected a content folder" in result.stderr and "Traceback" not in result.stderr
    assert carebase("check", "--format", "xml").returncode == 2


def test_default_path_is_content(tmp_path):
    shutil.copytree(CLEAN, tmp_path / "content")
    result = carebase("check", cwd=tmp_path)
    assert result.returncode == 0 and "No problems in content" in result.stdout


@pytest.mark.parametrize("kind,extra", [("article", []), ("faq", []),
                                        ("video", ["--source", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"])])
def test_new_scaffolds_a_file_that_passes_check(tmp_path, kind, extra):
    shutil.copytree(CLEAN, tmp_path / "content")
    result = carebase("new", kind, "Can I change my plan? (Ünïcode)", "--category", "billing", *extra, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    created = Path(tmp_path / result.stdout.strip())
    expected = {"article": "content/billing/can-i-change-my-plan-unicode.md",
                "faq": "content/faq/can-i-change-my-plan-unicode.yml",
                "video": "content/videos/can-i-change-my-plan-unicode.yml"}[kind]
    assert result.stdout.strip() == expected and created.is_file()
    # an article starts as a draft, left out of the site and the preview: the writer is told
    # why its page is not there yet and how to publish or preview it
    assert ("is a draft" in result.stderr and "remove 'draft: true'" in result.stderr
            and "'drafts: true'" in result.stderr) == (kind == "article"), result.stderr
    check = carebase("check", "--strict", "--format", "json", cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    again = carebase("new", kind, "Can I change my plan? (Ünïcode)", "--category", "billing", *extra, cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert created.read_text("utf-8") == Path(tmp_path / expected).read_text("utf-8")


def test_the_closing_hint_names_the_check_that_was_run(tmp_path):
    """Audit A5: after `carebase check --strict` the hint said to run 'carebase check content'
    again, a check the warnings pass."""
    strict = carebase("check", "--strict", "fixtures/broken")
    assert strict.stdout.splitlines()[-1].endswith("then run the check again: carebase check --strict fixtures/broken")
    shutil.copytree(BROKEN, tmp_path / "my content")
    spaced = carebase("check", "my content", cwd=tmp_path)
    # reader 46, R7: "run 'carebase check 'my content'' again": quotes in quotes; now the command
    # ends the line as a shell reads it, and copies whole
    assert spaced.stdout.splitlines()[-1].endswith("then run the check again: carebase check 'my content'")
    # the options that make it another check are kept: the mkdocs.yml read (-f), --missing, --root
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "my mkdocs.yml").write_text("site_name: T\ndocs_dir: ../my content\nplugins:\n"
                                                     "  - carebase:\n      languages: [en, de]\ntheme: carebase\n", "utf-8")
    full = carebase("check", "-f", "site/my mkdocs.yml", "--missing", "de", "my content", cwd=tmp_path)
    last = full.stdout.splitlines()[-1]
    assert last.endswith("then run the check again: carebase check -f 'site/my mkdocs.yml' --missing de 'my content'")
    assert shlex.split(last.rpartition(": ")[2]) == ["carebase", "check", "-f", "site/my mkdocs.yml", "--missing", "de",
                                                     "my content"]
    # reader 47 R8: a bare --missing (every other language) was put before the paths, where it
    # reads the first path as its language: the hint's command failed; it runs the same check
    every = carebase("check", "-f", "site/my mkdocs.yml", "my content", "--missing", cwd=tmp_path)
    hint = every.stdout.splitlines()[-1]
    assert hint.endswith("then run the check again: carebase check -f 'site/my mkdocs.yml' 'my content' --missing")
    again = carebase(*shlex.split(hint.rpartition(": ")[2])[1:], cwd=tmp_path)
    assert (again.returncode, again.stdout) == (every.returncode, every.stdout)
    files = carebase("check", "--root", "my content", "my content/billing/links.md", cwd=tmp_path)
    assert files.stdout.splitlines()[-1].endswith(
        "then run the check again: carebase check --root 'my content' 'my content/billing/links.md'")


def test_new_names_the_file_from_where_it_was_run_even_with_the_root_given_whole(tmp_path):
    (tmp_path / "content").mkdir()
    result = carebase("new", "faq", "Billing questions", "--root", str(tmp_path / "content"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/faq/billing-questions.yml"


def test_new_refuses_unknown_category_and_video_without_source(tmp_path):
    shutil.copytree(CLEAN, tmp_path / "content")
    unknown = carebase("new", "article", "Hello", "--category", "biling", cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean 'billing'?" in unknown.stderr
    no_source = carebase("new", "video", "Hello", cwd=tmp_path)
    assert no_source.returncode == 2 and "--source" in no_source.stderr
    bad_source = carebase("new", "video", "Hello", "--source", "http://vimeo.com/1", cwd=tmp_path)
    assert bad_source.returncode == 2 and "https" in bad_source.stderr
    assert not (tmp_path / "content" / "videos" / "hello.yml").exists()


def test_new_faq_with_a_question_for_title_names_the_group_to_add_it_to(tmp_path):
    """audit 47 A5: `carebase new faq "Can I change my username?"` made an FAQ page titled with
    the question and no questions in it; TITLE is a group's title, so a question makes nothing
    and the message names the FAQ files of its category, where the question goes."""
    shutil.copytree(CLEAN, tmp_path / "content")
    asked = carebase("new", "faq", "How do I pay?", "--category", "billing", cwd=tmp_path)
    assert asked.returncode == 2 and asked.stdout == "", asked.stdout
    assert "found the question 'How do I pay?': add it under 'questions:' in content/faq/billing.yml" in asked.stderr
    assert sorted(p.name for p in (tmp_path / "content" / "faq").iterdir()) == ["billing.yml"]
    group = carebase("new", "faq", "Paying questions", "--category", "billing", cwd=tmp_path)
    assert group.returncode == 0 and group.stdout.strip() == "content/faq/paying-questions.yml"


def test_text_output_is_coloured_on_a_terminal(tmp_path):
    pytest.importorskip("pty")
    shutil.copytree(BROKEN, tmp_path / "content")
    proc, shown = run_on_terminal(["check", "content"], terminal="stdout", unset=("NO_COLOR", "CI"),
                                  cwd=tmp_path, timeout=60)
    out = shown.decode("utf-8", "replace")
    assert proc.returncode == 1
    assert "\033[31m[error]\033[0m" in out and "\033[33m[warning]\033[0m" in out


def test_github_paths_are_relative_to_the_working_directory_even_when_given_absolute():
    result = carebase("check", str(BROKEN), "--format", "github")
    assert "::error file=fixtures/broken/billing/broken-yaml.md,line=4,col=8," in result.stdout


def test_text_paths_are_relative_to_the_working_directory_even_when_given_absolute():
    """As `carebase build`, `serve` and `new` name files (and GitHub's annotations above): a
    content folder given whole is named from where the command was run."""
    result = carebase("check", str(BROKEN))
    problems = [line for line in result.stdout.splitlines() if line.endswith(("[error]", "[warning]"))]
    assert problems and all(line.startswith("fixtures/broken/") for line in problems), problems
    data = json.loads(carebase("check", str(BROKEN), "--format", "json").stdout)
    assert all(p["file"].startswith("fixtures/broken/") for p in data["problems"])


def expected_lines(path: str) -> list[str]:
    """The text-format lines EXPECTED gives for one file of fixtures/broken."""
    lines = []
    for file, number, field, severity, message in EXPECTED:
        if file == path:
            where = f"fixtures/broken/{file}:{number}:" if number else f"fixtures/broken/{file}:"
            lines.append(f"{where} {field}: {as_printed(message)}" if field else f"{where} {as_printed(message)}")
    return lines


def test_check_files_reports_only_their_problems_in_every_format():
    files = ["fixtures/broken/billing/links.md", "fixtures/broken/faq/billing.yml"]
    result = carebase("check", *files)
    assert result.returncode == 1, result.stderr
    got = [l for l in result.stdout.splitlines() if l.startswith("fixtures/broken/")]
    want = expected_lines("billing/links.md") + expected_lines("faq/billing.yml")
    assert len(got) == len(want) and all(g.startswith(w) for g, w in zip(got, want)), (got, want)
    errors = sum(1 for e in EXPECTED if e[0] in ("billing/links.md", "faq/billing.yml") and e[3] == "E")
    assert f"{errors} errors, {len(want) - errors} warnings in 2 files" in result.stdout
    assert result.stdout.splitlines()[-1].endswith(f"run the check again: carebase check {files[0]} {files[1]}")
    data = json.loads(carebase("check", files[0], "--format", "json").stdout)
    assert {p["file"] for p in data["problems"]} == {files[0]} and len(data["problems"]) == len(expected_lines("billing/links.md"))
    assert data["checked"] == [files[0]] and data["items"]["articles"] == 1
    github = carebase("check", files[1], "--format", "github")
    annotations = [l for l in github.stdout.splitlines() if l.startswith("::")]
    assert github.returncode == 1 and len(annotations) == len(expected_lines("faq/billing.yml"))
    assert all(f"file={files[1]}," in a for a in annotations)


def test_check_a_file_resolves_references_to_the_rest_of_its_content_folder(tmp_path):
    shutil.copytree(CLEAN, tmp_path / "content")
    (tmp_path / "content" / "billing" / "plans.md").write_text(
        "---\ntitle: Plans\nsummary: Which plan.\nrelated: [article:billing/refunds, \"faq:billing#paying\"]\n---\n"
        "See [refunds](refunds.md) and [your profile](../account/profile.md).\n", "utf-8")
    result = carebase("check", "content/billing/plans.md", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("No problems in content/billing/plans.md (1 article,")
    # a broken link in that file is reported, a problem elsewhere in the folder is not
    (tmp_path / "content" / "account" / "profile.md").write_text("---\nsumary: x\n---\nNo title.\n", "utf-8")
    (tmp_path / "content" / "billing" / "plans.md").write_text(
        "---\ntitle: Plans\nrelated: [article:billing/refundz]\n---\nBody.\n", "utf-8")
    broken = carebase("check", "content/billing/plans.md", cwd=tmp_path)
    assert broken.returncode == 1
    problems = [l for l in broken.stdout.splitlines() if l.startswith("content/")]
    assert len(problems) == 1 and problems[0].startswith(
        "content/billing/plans.md:3: related[0]: expected the id of an existing item (did you mean 'article:billing/refunds'?)")
    # the content folder may also be named with --root, from anywhere
    elsewhere = carebase("check", "--root", str(tmp_path / "content"), str(tmp_path / "content" / "billing" / "refunds.md"))
    assert elsewhere.returncode == 0, elsewhere.stdout + elsewhere.stderr


def test_a_file_an_error_leaves_out_is_named_where_others_refer_to_it(tmp_path):
    """A writer breaks one file: the items that name it in `related` are told which file and
    line left it out, not that no such id exists (they once read 'expected the id of an
    existing item' for an item that exists, in files the writer never touched)."""
    shutil.copytree(CLEAN, tmp_path / "content")
    content = tmp_path / "content"
    faq = content / "faq" / "billing.yml"
    faq.write_text(faq.read_text("utf-8").replace("tags: [refund]", "tags: [refund"), "utf-8")
    video = content / "videos" / "account-tour.yml"
    video.write_text(video.read_text("utf-8").replace("title: A tour of your account\n", ""), "utf-8")
    result = carebase("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    lines = [l for l in result.stdout.splitlines() if l.startswith("content/billing/refunds.md")]
    yaml_error = next(l for l in result.stdout.splitlines() if l.startswith("content/faq/billing.yml:"))
    yaml_line = yaml_error.split(":")[1]
    assert lines == [
        "content/billing/refunds.md:8: related[0]: expected the id of an existing item, found "
        f"'faq:billing#can-i-get-a-refund', whose file has an error that leaves it out (content/faq/billing.yml:{yaml_line}): "
        "fix that error first [error]",
        "content/billing/refunds.md:8: related[1]: expected the id of an existing item, found 'video:account-tour', "
        "whose file has an error that leaves it out (content/videos/account-tour.yml:1): fix that error first [error]",
        "content/billing/refunds.md:12: body: expected the id of an existing item, found "
        f"'faq:billing#can-i-get-a-refund', whose file has an error that leaves it out (content/faq/billing.yml:{yaml_line}): "
        "fix that error first [error]",
    ], result.stdout
    # a mistyped id still gets its did-you-mean
    refunds = content / "billing" / "refunds.md"
    refunds.write_text(refunds.read_text("utf-8").replace("video:account-tour", "video:acount-tour"), "utf-8")
    video.write_text(CLEAN.joinpath("videos", "account-tour.yml").read_text("utf-8"), "utf-8")
    typo = carebase("check", "content", cwd=tmp_path).stdout
    assert ("content/billing/refunds.md:8: related[1]: expected the id of an existing item "
            "(did you mean 'video:account-tour'?), found 'video:acount-tour' [error]") in typo.splitlines(), typo


def test_a_faq_question_an_error_leaves_out_is_named_where_others_refer_to_it(tmp_path):
    """Reader R6: one FAQ answer emptied (the common case: one bad field, not broken YAML) made
    `carebase check` tell the writer, in a file they never touched, to change a correct reference
    to another question ("did you mean 'faq:billing#paying'?"). Now it names the entry's error."""
    shutil.copytree(CLEAN, tmp_path / "content")
    faq = tmp_path / "content" / "faq" / "billing.yml"
    faq.write_text(faq.read_text("utf-8").replace(
        "    answer: |\n      Yes, within 30 days. See [refunds](../billing/refunds.md).\n", '    answer: ""\n'), "utf-8")
    result = carebase("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/faq/billing.yml:6: questions[0].answer: expected text, found empty text [error]" in result.stdout
    lines = [l for l in result.stdout.splitlines() if l.startswith("content/billing/refunds.md")]
    assert lines == [
        f"content/billing/refunds.md:{n}: {field}: expected the id of an existing item, found "
        "'faq:billing#can-i-get-a-refund', whose entry has an error that leaves it out (content/faq/billing.yml:6): "
        "fix that error first [error]" for n, field in ((8, "related[0]"), (12, "body"))], result.stdout
    assert "did you mean" not in result.stdout


def test_a_reference_to_a_question_whose_own_id_is_invalid_names_that_error(tmp_path):
    """Audit A4: with `id: paying now` (a space) a reference to 'faq:billing#paying-now' got
    "did you mean 'faq:billing#how-do-i-pay'?", the id the loader made from the question for the
    broken one: following it breaks the link again once the id is fixed."""
    shutil.copytree(CLEAN, tmp_path / "content")
    faq = tmp_path / "content" / "faq" / "billing.yml"
    faq.write_text(faq.read_text("utf-8").replace("    id: paying\n", "    id: paying now\n"), "utf-8")
    (tmp_path / "content" / "billing" / "plans.md").write_text(
        "---\ntitle: Plans\nrelated: [\"faq:billing#paying-now\"]\n---\nBody.\n", "utf-8")
    result = carebase("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert ("content/billing/plans.md:3: related[0]: expected the id of an existing item, found "
            "'faq:billing#paying-now', whose entry has an error that leaves it out (content/faq/billing.yml:10): "
            "fix that error first [error]") in result.stdout.splitlines(), result.stdout
    assert "did you mean" not in result.stdout


def test_a_broken_link_is_named_and_mended_as_the_writer_writes_links(tmp_path):
    """A link is written from its file's folder: `[x](refund.md)` in billing/plans.md was told
    "did you mean 'billing/refunds.md'?, found 'billing/refund.md'", and the suggested link,
    written there, broke again (billing/billing/refunds.md)."""
    shutil.copytree(CLEAN, tmp_path / "content")
    (tmp_path / "content" / "billing" / "plans.md").write_text(
        "---\ntitle: Plans\n---\nSee [refunds](refund.md) and [your profile](../acount/profile.md).\n", "utf-8")
    lines = carebase("check", "content/billing/plans.md", cwd=tmp_path).stdout.splitlines()
    assert ("content/billing/plans.md:4: body: expected a link to an existing file (did you mean 'refunds.md'?), "
            "found 'refund.md' (no such file: billing/refund.md in the content folder) [error]") in lines, lines
    assert ("content/billing/plans.md:4: body: expected a link to an existing file (did you mean "
            "'../account/profile.md'?), found '../acount/profile.md' (no such file: acount/profile.md in the content "
            "folder) [error]") in lines, lines


def test_check_files_usage_errors(tmp_path):
    (tmp_path / "notes.md").write_text("---\ntitle: Notes\n---\n", "utf-8")
    unknown_root = carebase("check", "notes.md", cwd=tmp_path)
    assert unknown_root.returncode == 2 and "--root" in unknown_root.stderr and "Traceback" not in unknown_root.stderr
    shutil.copytree(CLEAN, tmp_path / "content")
    outside = carebase("check", "--root", "content", "notes.md", cwd=tmp_path)
    assert outside.returncode == 2 and "inside the content folder" in outside.stderr
    mixed = carebase("check", "content", "notes.md", cwd=tmp_path)
    assert mixed.returncode == 2 and "one content folder or files" in mixed.stderr


def test_review_dates_are_judged_by_the_build_day_of_source_date_epoch(tmp_path):
    """SOURCE_DATE_EPOCH (reproducible builds) fixes the day a past review_by is judged by; a
    value that is not seconds since 1970 is one usage error naming the variable."""
    page = tmp_path / "content" / "billing" / "old.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: Old page\nreview_by: 2020-01-01\n---\nBody.\n", "utf-8")

    def check(epoch: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "NO_COLOR": "1", "SOURCE_DATE_EPOCH": epoch}
        env.pop("CI", None)
        return run_carebase("check", "content", "--strict", cwd=tmp_path, env=env)

    before = check("1577750400")  # 2019-12-31 00:00 UTC: the date is still ahead
    assert before.returncode == 0 and before.stdout.startswith("No problems in content"), before.stdout
    after = check("1580515200")  # 2020-02-01: 31 days past
    assert after.returncode == 1
    assert ("content/billing/old.md:3: review_by: expected a date in the future, found 2020-01-01 "
            "(31 days ago)") in after.stdout
    bad = check("yesterday")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == ("carebase: error: SOURCE_DATE_EPOCH: expected the build's date in seconds since "
                          "1970-01-01 (an integer), found 'yesterday'; fix it or unset it\n")


def test_a_broken_link_is_quoted_as_written_and_mended_in_the_same_form(tmp_path):
    """Reader 46, R8: `/billing/refund.md` and `../billing/refund.md` were both quoted as
    'refund.md' and mended as 'refunds.md': neither is what the writer wrote nor the form they use."""
    shutil.copytree(CLEAN, tmp_path / "content")
    (tmp_path / "content" / "billing" / "plans.md").write_text(
        "---\ntitle: Plans\n---\nSee [b](/billing/refund.md#steps).\n\nAnd [c](../billing/refund.md).\n", "utf-8")
    lines = carebase("check", "content", cwd=tmp_path).stdout.splitlines()
    assert ("content/billing/plans.md:4: body: expected a link to an existing file (did you mean "
            "'/billing/refunds.md#steps'?), found '/billing/refund.md#steps' (no such file: billing/refund.md in the "
            "content folder) [error]") in lines, lines
    assert ("content/billing/plans.md:6: body: expected a link to an existing file (did you mean "
            "'../billing/refunds.md'?), found '../billing/refund.md' (no such file: billing/refund.md in the content "
            "folder) [error]") in lines, lines
    # a FAQ page's file name as MkDocs would name it: mended to the page's address, not to its YAML source
    (tmp_path / "content" / "billing" / "plans.md").write_text(
        "---\ntitle: Plans\n---\nSee [b](../faq/billing.md#paying).\n", "utf-8")
    lines = carebase("check", "content", cwd=tmp_path).stdout.splitlines()
    assert ("content/billing/plans.md:4: body: expected a link to an existing file (did you mean "
            "'../faq/billing/#paying'?), found '../faq/billing.md#paying' (no such file: faq/billing.md in the "
            "content folder) [error]") in lines, lines


def test_a_link_written_from_the_content_root_in_a_subfolder_is_an_error_with_the_link_to_write(tmp_path):
    """MkDocs reads a link from its page's folder, and so do the FAQ pages (carebase.pages.markup):
    `faq/billing.yml#paying` in billing/plans.md is billing/faq/billing.yml there. Before, check
    named billing/faq/billing.yml with no fix; an FAQ answer's `billing/refunds.md` passed the
    check (read from the content folder too) while its page linked /faq/billing/refunds/."""
    shutil.copytree(CLEAN, tmp_path / "content")
    (tmp_path / "content" / "billing" / "plans.md").write_text(
        "---\ntitle: Plans\n---\n[a](faq/billing.yml#paying) [b](faq/billing/#paying) [c](account/profile.md)\n",
        "utf-8")
    faq = tmp_path / "content" / "faq" / "billing.yml"
    faq.write_text(faq.read_text("utf-8").replace("By card or bank transfer.",
                                                  "By card; see [refunds](billing/refunds.md)."), "utf-8")
    result = carebase("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert ("content/billing/plans.md:4: body: expected a link to the page '../faq/billing/#paying' (YAML sources "
            "are not published; a link is read from this file's folder, billing/, as MkDocs reads links), found "
            "'faq/billing.yml#paying' [error]") in lines, lines
    assert ("content/billing/plans.md:4: body: expected a link from this file's folder (billing/), as MkDocs reads "
            "links, found 'faq/billing/#paying' (no such file: billing/faq/billing); to link to faq/billing write "
            "'../faq/billing/#paying' [error]") in lines, lines
    assert ("content/billing/plans.md:4: body: expected a link from this file's folder (billing/), as MkDocs reads "
            "links, found 'account/profile.md' (no such file: billing/account/profile.md); to link to "
            "account/profile.md write '../account/profile.md' [error]") in lines, lines
    assert any(line.startswith("content/faq/billing.yml:") and "found 'billing/refunds.md' (no such file: "
               "faq/billing/refunds.md); to link to billing/refunds.md write '../billing/refunds.md'" in line
               for line in lines), lines
    # reader 47, R13: earlier checks passed this answer, so a site that upgrades loses the
    # question: the message says what changed and what it costs until fixed (articles never passed)
    faq_line = next(line for line in lines if line.startswith("content/faq/billing.yml:"))
    assert faq_line.endswith("write '../billing/refunds.md'. Changed on 7 December 2026: carebase check used to "
                             "accept this link (reading it from the content folder) while the FAQ page linked to an "
                             "address that does not exist; now it is an error, and the question is left out of the "
                             "site until the link is fixed [error]"), faq_line
    # written as told, all pass
    (tmp_path / "content" / "billing" / "plans.md").write_text(
        "---\ntitle: Plans\n---\n[a](../faq/billing/#paying) [b](../faq/billing/#paying) [c](../account/profile.md)\n",
        "utf-8")
    faq.write_text(faq.read_text("utf-8").replace("(billing/refunds.md)", "(../billing/refunds.md)"), "utf-8")
    fixed = carebase("check", "--strict", "content", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout


def test_a_quote_never_closed_in_front_matter_is_named_where_it_opens(tmp_path):
    """audit 47 A3: ``title: "How do I pair…`` without its closing quote was reported at the
    closing ``---`` (PyYAML meets the end of the text there), so the banner's excerpt showed the
    lines around ``---``, not the title."""
    shutil.copytree(CLEAN, tmp_path / "content")
    article = tmp_path / "content" / "billing" / "pair.md"
    article.write_text('---\ntitle: "How do I pair a second thermostat?\nsummary: Pair it.\nfeedback: false\n'
                       '---\n# Pair\n\nText.\n', "utf-8")
    result = carebase("check", "content", cwd=tmp_path)
    lines = [line for line in result.stdout.splitlines() if "pair.md" in line]
    assert lines == ['content/billing/pair.md:2: expected a closing " for the quote opened here (column 8), '
                     'found the end of the YAML [error]'], result.stdout

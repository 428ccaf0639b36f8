"""check_feedback_settings: defaults, every field, and problems naming the config field."""

from carebase.widget.settings import (
    DEFAULT_REASONS,
    DEFAULT_SERVICE_URL,
    FeedbackSettings,
    check_feedback_settings,
)


def messages(problems):
    return [str(p) for p in problems]


def test_empty_config_gives_the_defaults_and_no_problems():
    for raw in (None, {}):
        settings, problems = check_feedback_settings(raw)
        assert problems == []
        assert settings == FeedbackSettings()
        assert settings.style == "helpful"
        assert settings.reasons == DEFAULT_REASONS
        assert "Didn't answer my question" in settings.reasons and settings.reasons[-1] == "Other"
        assert settings.comment is True
        assert settings.service_url == DEFAULT_SERVICE_URL
        assert settings.heading == "Was this helpful?"
        assert not settings.contact


def test_every_field_is_read():
    settings, problems = check_feedback_settings({
        "style": "ces",
        "question": "  How easy was it?  ",
        "reasons": ["Too long", " Wrong product "],
        "comment": False,
        "service_url": "https://feedback.example.com/",
        "contact": {"email": "help@example.com", "phone": "+44 20 7946 0000",
                    "chat_url": "https://chat.example.com", "hours": "Mon–Fri 9–17"},
    })
    assert problems == []
    assert settings.style == "ces" and settings.scale_max == 7
    assert settings.heading == "How easy was it?"
    assert settings.reasons == ("Too long", "Wrong product")
    assert settings.comment is False
    assert settings.service_url == "https://feedback.example.com"  # no trailing slash
    assert settings.contact.email == "help@example.com"
    assert settings.contact.phone == "+44 20 7946 0000"
    assert settings.contact.chat_url == "https://chat.example.com"
    assert settings.contact.hours == "Mon–Fri 9–17"


def test_empty_reasons_list_means_no_reasons_asked():
    settings, problems = check_feedback_settings({"reasons": []})
    assert problems == [] and settings.reasons == ()


def test_negative_votes_per_style():
    helpful = FeedbackSettings()
    assert helpful.is_negative(0) and not helpful.is_negative(1)
    csat = FeedbackSettings(style="csat")
    assert [v for v in range(1, 6) if csat.is_negative(v)] == [1, 2, 3]
    ces = FeedbackSettings(style="ces")
    assert [v for v in range(1, 8) if ces.is_negative(v)] == [1, 2, 3, 4]


def test_bad_values_are_reported_with_the_config_field_and_defaults_kept():
    settings, problems = check_feedback_settings({
        "style": "stars",
        "reasons": [1, "", "Fine", "Fine", "x" * 201],
        "comment": "yes",
        "service_url": "ftp://feedback.example.com",
        "contact": {"email": "not-an-address", "phone": "call me", "chat_url": "javascript:alert(1)"},
    })
    text = "\n".join(messages(problems))
    assert "mkdocs.yml: plugins.carebase.feedback.style: expected one of helpful, csat, ces, found 'stars'" in text
    assert "plugins.carebase.feedback.reasons[0]: expected a non-empty text, found int 1" in text
    assert "plugins.carebase.feedback.reasons[1]: expected a non-empty text, found ''" in text
    assert "plugins.carebase.feedback.reasons[3]: duplicate reason 'Fine'" in text
    assert "plugins.carebase.feedback.reasons[4]: expected at most 200 characters, found 201" in text
    assert "plugins.carebase.feedback.comment: expected true or false, found 'yes'" in text
    assert "plugins.carebase.feedback.service_url: expected an http(s) URL" in text
    assert "plugins.carebase.feedback.contact.email: expected an e-mail address" in text
    assert "plugins.carebase.feedback.contact.phone: expected a phone number" in text
    assert "plugins.carebase.feedback.contact.chat_url: expected an http(s) URL" in text
    errors = [p for p in problems if p.is_error]
    assert len(errors) == 9  # the duplicate is a warning
    assert settings.style == "helpful" and settings.comment is True
    assert settings.reasons == ("Fine",)
    assert settings.service_url == DEFAULT_SERVICE_URL
    assert not settings.contact


def test_unknown_keys_are_warnings_naming_the_key():
    settings, problems = check_feedback_settings({"styel": "csat", "contact": {"mail": "a@b.co"}})
    assert [p.is_error for p in problems] == [False, False]
    text = "\n".join(messages(problems))
    assert "plugins.carebase.feedback.styel: unknown key, expected one of style," in text
    assert "plugins.carebase.feedback.contact.mail: unknown key, expected one of email," in text


def test_wrong_types_for_whole_sections():
    _, problems = check_feedback_settings(["helpful"])
    assert messages(problems) == [
        "mkdocs.yml: plugins.carebase.feedback: expected a mapping of widget settings, found list ['helpful']"]
    _, problems = check_feedback_settings({"reasons": "Other", "contact": "help@example.com"},
                                          path="site.yml", line=7, prefix="feedback")
    assert messages(problems) == [
        "site.yml:7: feedback.reasons: expected a list of reasons, found 'Other'",
        "site.yml:7: feedback.contact: expected a mapping with email, phone, chat_url, hours, "
        "found 'help@example.com'",
    ]

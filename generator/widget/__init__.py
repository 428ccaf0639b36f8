"""The feedback widget: settings validation and server-rendered form markup.

The site places ``carebase.widget.markup.feedback_form(...)`` under every article, video
and FAQ question; the theme's ``feedback.js`` and ``events.js`` enhance it.
"""

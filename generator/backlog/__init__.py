"""The lead's backlog: the gap report's recommendations as one ranked list with memory.

``rows.build_rows`` turns the report (one model, ``carebase.report.build``) into rows, one
per recommendation, each with a stable key (an action and an item id, or a missing-content
topic id), one sentence saying why with the numbers behind it, an owner, the evidence and
the file to edit. ``claims`` makes contradictions impossible (one wording, one target);
``states`` keeps what a lead decided (status, owner, note) in the service database;
``follow_up`` checks done rows afterwards ("did the fix work?"); ``filters`` selects rows
for the live report and the digest; ``issue`` turns a row into a prefilled issue link;
``digest`` says what changed since the last run.
"""

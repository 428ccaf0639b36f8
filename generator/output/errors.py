"""The build output's one error."""


class OutputError(Exception):
    """No usable build output: missing, of another schema, or damaged. The message says what to do."""

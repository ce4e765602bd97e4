"""Errors that service functions raise for the user to read."""


class RuleViolation(Exception):
    """A guide rule or a lifecycle rule refused the action; ``message`` is plain Chinese.

    ``field`` names the form field or material the problem concerns, when there is one.
    """

    def __init__(self, message: str, field: str | None = None, problems: list | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems = problems or []

"""Domain errors: each carries a Persian message for people."""


class ConsultError(Exception):
    """Base of every domain error; `message` is Persian text for people."""

    message = "درخواست قابل انجام نیست."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class ValidationFailed(ConsultError):
    """Input that breaks a rule; `problems` lists (row, column, message) for imports."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []

"""Errors a user can act on; the CLI prints them as one `Error:` line."""


class CleanerError(Exception):
    """Base class: anything the CLI reports without a traceback."""


class RuleError(CleanerError):
    """A rule file that cannot be used. The message names the file and the rule."""

    def __init__(self, file: str, rule: str | None, problem: str):
        self.file, self.rule, self.problem = file, rule, problem
        where = f"{file}: rule {rule}" if rule else file
        super().__init__(f"{where}: {problem}")


def shown(value, limit: int = 80) -> str:
    """repr() of a value from a rule file, cut short: a message never renders a large value whole (an
    alias nest of a few hundred bytes can expand to gigabytes)."""
    import reprlib

    shorter = reprlib.Repr()
    shorter.maxstring = shorter.maxother = limit
    shorter.maxlist = shorter.maxdict = shorter.maxtuple = shorter.maxset = 6
    shorter.maxlevel = 3
    return shorter.repr(value)

"""Errors: every problem of the inputs, located, at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional, Tuple

#: The name problems carry when they are in the values given to a function, not in a file.
ARGUMENTS = "<arguments>"


@dataclass(frozen=True)
class Problem:
    """One problem of the inputs: where it is (file, line, column, field) and what is wrong.

    >>> str(Problem("subs.csv", 3, None, "fee", "expected a decimal, found 'abc'"))
    "subs.csv:3: fee: expected a decimal, found 'abc'"
    """

    file: str
    line: Optional[int]
    column: Optional[int]
    field: Optional[str]
    message: str

    def __str__(self) -> str:
        # Values given in Python have no file to open: the field path says which value.
        where = self.file
        if self.file != ARGUMENTS and self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f"{self.field}: " if self.field else ""
        if self.file == ARGUMENTS:
            return f"{field}{self.message}"
        return f"{where}: {field}{self.message}"


class InvalidInput(ValueError):
    """The inputs are invalid; ``problems`` lists every problem found, each located.

    The message is the problems, one per line, as ``slacredit check`` prints them.
    """

    problems: Tuple[Problem, ...]

    def __init__(self, problems: Iterable[Any]) -> None:
        self.problems = tuple(p if isinstance(p, Problem) else Problem(*p) for p in problems)
        n = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{n} problem{'' if n == 1 else 's'} found")
        super().__init__("\n".join(lines))

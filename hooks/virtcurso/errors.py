"""Compiler-style errors: every problem carries the file and line it comes from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, e.g. "data/hypervisors.yml"
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    message: str  # "system 'kvm': unknown technique 'hw' (expected one of: ...)"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class DataError(Exception):
    """Raised with every problem found in the course's sources, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

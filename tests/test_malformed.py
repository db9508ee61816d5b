"""A corpus of malformed scenario files: each must give its expected file:line, field and
problem, as a ScenarioError (never another exception)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corridorsim.errors import ScenarioError
from corridorsim.scenario import load_scenario

from .conftest import MALFORMED

CASES = sorted(MALFORMED.glob("*.yaml"))
_EXPECT = re.compile(r"^# expect: (?:(\S+):)?(\d+) (\S+) :: (.+)$")


def _expectation(path: Path) -> tuple[Path, int, str, str]:
    """The header ``# expect: [FILE:]LINE FIELD :: TEXT`` (FILE relative to this file)."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = _EXPECT.match(first)
    assert m, f"{path.name} lacks an '# expect: [FILE:]LINE FIELD :: TEXT' header"
    where = path.parent / m[1] if m[1] else path
    return where, int(m[2]), m[3], m[4]


def test_corpus_is_large_enough():
    assert len(CASES) >= 15


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_malformed_file_reports_line_field_and_problem(path: Path):
    where, line, field, text = _expectation(path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    issues = info.value.issues
    matching = [i for i in issues if i.field == field and text in i.message]
    assert matching, f"no issue with field {field!r} and text {text!r} in:\n{info.value}"
    issue = matching[0]
    assert issue.line == line, str(issue)
    assert Path(issue.file).resolve() == where.resolve()
    # The one-line form a user sees: FILE:LINE:COL: field: problem
    assert re.match(rf"^.*{re.escape(where.name)}:{line}:\d+: {re.escape(field)}: ", str(issue))

"""Every ``# type: ignore`` in the package names its error code and says why."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import influence_kit

PACKAGE = Path(influence_kit.__file__).parent
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[a-z0-9_,\- ]+\])?(?P<rest>.*)$")


def _ignores(path: Path) -> list[tuple[int, str]]:
    with path.open("rb") as handle:
        return [
            (tok.start[0], tok.string)
            for tok in tokenize.tokenize(handle.readline)
            if tok.type == tokenize.COMMENT and IGNORE.search(tok.string)
        ]


def test_type_ignores_have_codes_and_reasons():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, comment in _ignores(path):
            match = IGNORE.search(comment)
            assert match is not None
            reason = match.group("rest").strip().lstrip("#").strip()
            if match.group("codes") is None or len(reason) < 3:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {comment}")
    assert not bad, "write `# type: ignore[code]  # reason`:\n" + "\n".join(bad)


def test_the_check_sees_bad_comments(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("x = 1  # type: ignore\ny = 2  # type: ignore[misc]  # stub lacks it\n")
    found = _ignores(sample)
    assert [line for line, _ in found] == [1, 2]
    first = IGNORE.search(found[0][1])
    assert first is not None and first.group("codes") is None

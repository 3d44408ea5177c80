"""The Python snippets of the READMEs run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PKG_ROOT, REPO


def snippets(path: Path) -> list:
    if not path.exists():
        return []
    return re.findall(r"```python\n(.*?)```", path.read_text(), re.S)


@pytest.mark.parametrize("readme", [PKG_ROOT / "README.md", REPO / "README.md"],
                         ids=["bindings", "top-level"])
def test_readme_snippets_run(readme: Path) -> None:
    code = snippets(readme)
    if not code:
        pytest.skip("%s has no Python snippet" % readme)
    for block in code:
        exec(compile(block, str(readme), "exec"), {"__name__": "readme"})

"""The import rules of DESIGN.md, checked by machine.

The import-linter contracts in pyproject.toml (layers regimens <- interactions <- taper <- tui;
textual only in tui.app, argparse only in tui.cli, the two independent but for the one launch;
reportlab only in the PDF renderer; pandas only in the panel; no network modules) run here and in
``make check``. No module takes part in an import cycle, counting imports inside functions. And the
light commands start without pandas, textual, reportlab or Babel (checked on sys.modules of a real run).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.conftest import EXAMPLES, LISTS, ROOT

PACKAGES = ("regimens", "interactions", "taper", "tui")
HEAVY = {"pandas", "textual", "reportlab", "babel"}


def test_import_linter_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    command = [str(lint)] if lint.exists() else [shutil.which("lint-imports") or "lint-imports"]
    proc = subprocess.run([*command, "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "BROKEN" not in proc.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_even_inside_functions():
    graph = grimp.build_graph(*PACKAGES)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    """The check above can fail: two modules importing each other (one inside a function) are found."""
    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from loopy import b\n")
    (package / "b.py").write_text("def f():\n    from loopy import a\n    return a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles(grimp.build_graph("loopy")) == [["loopy.a", "loopy.b"]]


PROBE = """
import sys, io, contextlib, json
from tui.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["show", str(EXAMPLES / "kowalski.json")], ["show", str(ROOT / "tests" / "fixtures" / "case-v4.json")],
     ["formulary", "oxycodone"],
     ["plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "percent-current", "--percent", "10",
      "--start", "2026-12-01"]],
)
def test_light_commands_do_not_load_heavy_libraries(args):
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert not loaded & HEAVY, loaded & HEAVY


@pytest.mark.parametrize("name", ["kowalski.json", "nunez.json"])
def test_review_of_a_case_file_loads_it_through_the_model(name):
    """`taper review` reads a case file the one way in (the pydantic models), without heavy libraries."""
    proc = subprocess.run([sys.executable, "-c", PROBE, "review", str(EXAMPLES / name)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert "pydantic" in loaded
    assert not loaded & HEAVY, loaded & HEAVY


@pytest.mark.parametrize("args", [["--help"], ["plan", "--help"], ["export", "--help"], ["demo", "--list"]])
def test_help_and_listing_start_without_the_models(args):
    """Asking how to use a command builds no pydantic model (nor loads pandas, textual or reportlab)."""
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert not loaded & (HEAVY | {"pydantic"}), loaded & (HEAVY | {"pydantic"})

"""The import rules of DESIGN.md, checked by machine.

regimens <- interactions <- taper <- tui; no domain package imports textual or tui; only the PDF
renderer imports reportlab; and the light commands start without pandas, textual or reportlab.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

PACKAGES = ["regimens", "interactions", "taper", "tui"]
LAYER = {name: i for i, name in enumerate(PACKAGES)}
HEAVY = {"pandas", "textual", "reportlab"}
#: Modules allowed to import reportlab (the PDF renderer only).
REPORTLAB_ALLOWED = {"taper/pdf_render.py", "taper/render/pdf.py"}
NETWORK = {"socket", "http", "urllib", "requests", "httpx", "aiohttp", "ftplib", "smtplib"}


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """(top-level module, at module level?) for every import in a file."""
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    top_level_nodes = set(map(id, tree.body))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            found.append((name.split(".")[0], id(node) in top_level_nodes))
    return found


def source_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_run_one_way(package):
    for path in source_files(package):
        for module, _ in imports_of(path):
            if module in LAYER:
                assert LAYER[module] <= LAYER[package], f"{path.relative_to(ROOT)} imports {module}"


@pytest.mark.parametrize("package", ["regimens", "interactions", "taper"])
def test_domain_never_imports_textual(package):
    for path in source_files(package):
        modules = {m for m, _ in imports_of(path)}
        assert "textual" not in modules and "tui" not in modules, path


def test_reportlab_only_in_the_pdf_renderer():
    for package in PACKAGES:
        for path in source_files(package):
            rel = str(path.relative_to(ROOT))
            if "reportlab" in {m for m, _ in imports_of(path)}:
                assert rel in REPORTLAB_ALLOWED, rel


@pytest.mark.parametrize("package", ["regimens", "interactions", "taper"])
def test_heavy_libraries_not_imported_at_module_level_of_domain(package):
    """pandas and reportlab load only when used; the renderer itself is imported only when a PDF is made."""
    for path in source_files(package):
        rel = str(path.relative_to(ROOT))
        for module, top in imports_of(path):
            if module == "reportlab" and rel in REPORTLAB_ALLOWED:
                continue
            if module in {"pandas", "reportlab"}:
                assert not top, f"{rel} imports {module} at module level"


def test_pdf_renderer_is_imported_only_inside_functions():
    for package in PACKAGES:
        for path in source_files(package):
            tree = ast.parse(path.read_text("utf-8"))
            for node in tree.body:
                if isinstance(node, ast.ImportFrom) and node.module and "pdf_render" in node.module:
                    pytest.fail(f"{path.relative_to(ROOT)} imports the PDF renderer at module level")


def test_no_network_code():
    for package in PACKAGES:
        for path in source_files(package):
            modules = {m for m, _ in imports_of(path)}
            assert not modules & NETWORK, (path, modules & NETWORK)


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
    [["--help"], ["show", str(EXAMPLES / "kowalski.json")], ["formulary", "oxycodone"]],
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

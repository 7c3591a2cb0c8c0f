"""The structure drawing of docs/design.md, generated from the real imports: ``python -m docs.structure``
prints it, ``--write`` puts it between the markers ``<!-- structure:start -->`` and ``<!-- structure:end -->``
of docs/design.md (tests/test_structure.py checks that the page shows the current one).

Every ``import`` and ``from ... import`` of the project's Python files is read with ``ast`` (function-level
imports included: they are imports all the same). A file belongs to its house: ``tests`` (the content and the
project's tests), ``docs.sitegen`` (the site), ``nnspec`` (the engine), ``reference_nn`` (the reference);
``examples`` and ``benchmarks`` are users of them. The drawing is Markdown (two tables), so it renders
offline and reads in a terminal.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from nnspec import content

ROOT = content.ROOT
DESIGN = ROOT / "docs" / "design.md"
START, END = "<!-- structure:start -->", "<!-- structure:end -->"
#: The top-level houses in the order of the flow (each may import only the ones after it), then the users.
HOUSES = ("tests", "docs.sitegen", "nnspec", "reference_nn")
USERS = ("examples", "benchmarks")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _house(module: str) -> str | None:
    for house in (*HOUSES, *USERS):
        if module == house or module.startswith(house + "."):
            return house
    return None


def _files(house: str):
    folder = ROOT.joinpath(*house.split("."))
    yield from sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imports_of(path: Path) -> set[str]:
    """The modules ``path`` imports (absolute names; relative imports resolved against its package)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # `from nnspec import report`
    return found


def house_arrows() -> dict[str, set[str]]:
    """{house: the other houses its files import}."""
    arrows = {}
    for house in (*HOUSES, *USERS):
        targets = {_house(m) for path in _files(house) for m in imports_of(path)}
        arrows[house] = {t for t in targets if t and t != house}
    return arrows


def engine_modules() -> dict[str, tuple[str, set[str], set[str]]]:
    """{nnspec module: (first docstring line, nnspec modules it imports, other houses it imports)}."""
    modules = {_module_name(p): p for p in _files("nnspec")}
    out = {}
    for name, path in modules.items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first = " ".join(doc.split("\n\n")[0].split())
        imported = imports_of(path)
        inner = {m for m in modules if m != name and m in imported and m != "nnspec"}
        inner = {m for m in inner if not any(o != m and o.startswith(m + ".") and o in inner for o in inner)}
        outer = {_house(m) for m in imported} - {None, "nnspec"}
        out[name] = (first, inner, outer)
    return out


def _short(text: str, width: int = 110) -> str:
    text = text.replace("|", "\\|")
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def drawing() -> str:
    arrows = house_arrows()
    lines = [
        "| package | imports (generated from the code by `python -m docs.structure`) |",
        "| --- | --- |",
    ]
    for house in (*HOUSES, *USERS):
        ordered = [h for h in (*HOUSES, *USERS) if h in arrows[house]]
        lines.append(f"| `{house}` | {' → '.join(f'`{h}`' for h in ordered) or 'nothing of the project'} |")
    lines += ["", "| engine module | what it is | imports in `nnspec` | imports elsewhere |"]
    lines += ["| --- | --- | --- | --- |"]
    for name, (first, inner, outer) in engine_modules().items():
        shown = ", ".join(f"`{m.removeprefix('nnspec.')}`" for m in sorted(inner)) or "–"
        other = ", ".join(f"`{h}`" for h in HOUSES if h in outer) or "–"
        lines.append(f"| `{name}` | {_short(first)} | {shown} | {other} |")
    return "\n".join(lines) + "\n"


def replaced(page: str, block: str) -> str:
    head, _, rest = page.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{block}{END}{tail}"


def shown() -> str:
    """The drawing as docs/design.md shows it now."""
    page = DESIGN.read_text(encoding="utf-8")
    return page.partition(START)[2].partition(END)[0].lstrip("\n")


def main(argv: list[str]) -> int:
    block = drawing()
    if "--write" in argv:
        DESIGN.write_text(replaced(DESIGN.read_text(encoding="utf-8"), block), encoding="utf-8")
    else:
        sys.stdout.write(block)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

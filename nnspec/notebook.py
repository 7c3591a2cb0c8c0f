"""A Jupyter notebook read as the Python program its code cells make, in order.

A learner who followed a tutorial in Jupyter hands in a ``.ipynb``: JSON whose ``cells`` hold the
code. The program is the code cells' sources joined in order; IPython's own syntax (line magics
``%matplotlib inline``, cell magics ``%%time``, shell lines ``!pip install numpy``, ``get_ipython()``
calls) is not Python and is dropped, each with a note naming its cell and line, so a notebook grades
as the same program pasted into a ``.py`` file. Markdown and raw cells are skipped.
(Written here rather than with nbconvert: this is twenty lines, and nbconvert is not a test dependency.)
"""

from __future__ import annotations

import json
from pathlib import Path


class NotebookError(Exception):
    """The file is not a notebook that can be read (one line saying why)."""


def _ipython_only(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("%", "!")) or stripped.startswith("get_ipython(")


def to_python(text: str, name: str = "notebook.ipynb") -> tuple[str, list[str]]:
    """(the program of the notebook's code cells, notes on the lines dropped)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{name} is not a notebook: not JSON ({exc.msg} at line {exc.lineno})") from None
    cells = doc.get("cells") if isinstance(doc, dict) else None
    if not isinstance(cells, list):
        raise NotebookError(f"{name} is not a notebook: no list of cells")
    chunks, notes = [], []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        lines = source.splitlines()
        if lines and lines[0].lstrip().startswith("%%"):
            notes.append(f"cell {number}: a cell magic ({lines[0].strip()[:40]}) was dropped with its cell")
            continue
        kept = []
        for line_no, line in enumerate(lines, start=1):
            if _ipython_only(line):
                notes.append(f"cell {number} line {line_no}: IPython line dropped ({line.strip()[:60]})")
                kept.append("")  # keep the line numbers of the cell
            else:
                kept.append(line)
        chunks.append(f"# ---- cell {number} ----\n" + "\n".join(kept))
    return "\n\n".join(chunks) + "\n", notes


def convert(path: Path, target: Path) -> list[str]:
    """Write the notebook at ``path`` as a program to ``target``; returns the notes."""
    source, notes = to_python(Path(path).read_text(encoding="utf-8"), Path(path).name)
    Path(target).write_text(source, encoding="utf-8")
    return notes

"""Write a notebook from a compact Python description (used to author notebooks/).

Usage: python tools/build_notebook.py SPEC.py OUT.ipynb

SPEC.py defines CELLS, a list of ("md" | "code" | "parameters", source) pairs.
"""

from __future__ import annotations

import runpy
import sys

import nbformat


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for kind, source in cells:
        source = source.strip("\n")
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind == "parameters":
                cell.metadata["tags"] = ["parameters"]
            nb.cells.append(cell)
    return nb


if __name__ == "__main__":
    spec, out = sys.argv[1], sys.argv[2]
    nbformat.write(build(runpy.run_path(spec)["CELLS"]), out)

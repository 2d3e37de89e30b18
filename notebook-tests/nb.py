#!/usr/bin/env python3
"""Maintenance of the notebook series.

    .venv/bin/python notebook-tests/nb.py nav            write the previous | index | next links
    .venv/bin/python notebook-tests/nb.py nav --check    exit 1 when a notebook's links are stale
    .venv/bin/python notebook-tests/nb.py refresh [NN]   re-run notebooks in place through the
                                                        wirelab kernel, so the committed outputs
                                                        come from the current code

Navigation cells start with the marker below; the script owns them and rewrites them whole.
"""
import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MARKER = "<!-- wirelab:navigation -->"
NAME = re.compile(r"^(\d\d)-[a-z0-9-]+\.ipynb$")


def series():
    return sorted(p for p in NOTEBOOKS.iterdir() if NAME.match(p.name))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def save(path, nb):
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def title(nb, path):
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and not source(cell).startswith(MARKER):
            for line in source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def nav_text(paths, titles, i):
    parts = []
    if i > 0:
        parts.append(f"[← {titles[i - 1]}]({paths[i - 1].name})")
    if i != 0:
        parts.append(f"[Index]({paths[0].name})")
    if i + 1 < len(paths):
        parts.append(f"[{titles[i + 1]} →]({paths[i + 1].name})")
    return MARKER + "\n" + " | ".join(parts)


def nav_cell(text, cell_id):
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": ["navigation"]},
            "source": text.splitlines(keepends=True)}


def with_nav(nb, text):
    cells = [c for c in nb["cells"] if not (c["cell_type"] == "markdown" and source(c).startswith(MARKER))]
    nb = dict(nb)
    nb["cells"] = [nav_cell(text, "nav-top")] + cells + [nav_cell(text, "nav-bottom")]
    return nb


def nav(check):
    paths = series()
    notebooks = [load(p) for p in paths]
    titles = [title(nb, p) for nb, p in zip(notebooks, paths)]
    stale = []
    for i, (path, nb) in enumerate(zip(paths, notebooks)):
        updated = with_nav(nb, nav_text(paths, titles, i))
        if updated != nb:
            stale.append(path.name)
            if not check:
                save(path, updated)
    if check and stale:
        print("navigation links are stale in: " + ", ".join(stale)
              + " (run: .venv/bin/python notebook-tests/nb.py nav)")
        return 1
    print(("stale: " if check else "updated: ") + (", ".join(stale) or "none"))
    return 0


def refresh(only):
    from nbclient import NotebookClient  # from .venv, installed by ./lab

    paths = [p for p in series() if not only or p.name[:2] in only]
    for path in paths:
        nb_json = load(path)
        import nbformat

        nb = nbformat.reads(json.dumps(nb_json), as_version=4)
        client = NotebookClient(nb, kernel_name="wirelab", timeout=120, startup_timeout=120,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        print(f"running {path.name} ...", flush=True)
        client.execute()
        save(path, json.loads(nbformat.writes(nb)))
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_nav = sub.add_parser("nav", help="write the navigation links")
    p_nav.add_argument("--check", action="store_true", help="only report stale links")
    p_refresh = sub.add_parser("refresh", help="re-run notebooks in place")
    p_refresh.add_argument("only", nargs="*", help="two-digit notebook numbers, e.g. 02 08")
    args = parser.parse_args(argv)
    if args.command == "nav":
        return nav(args.check)
    return refresh(set(args.only))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Runs a notebook at a reader's pace through the wirelab kernel: a long pause before every cell
that uses a background activity (a TCP state watch, a running capture, a held SYN) started by an
earlier cell, then writes the executed copy.

    .venv/bin/python notebook-tests/scripts/reader_pace.py NOTEBOOK OUT [--pause SECONDS]

The cells to pause before are found by asking the kernel, after each cell, what is still running:
`Lifecycle.open()` lists each tracked resource with the statement that started it, and whether it is
an active background activity. A later cell that names the variable that statement declared (or, for
an activity held by no variable, the next code cell) waits `--pause` seconds (default 40) first,
as a person reading the prose between the cells would.

Prints `paused N s before cells [i, j, ...]` (code cells counted from 1) and exits 0 when the run
raised nothing; the caller reads the executed copy for errors and self-check marks.
"""
import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

PROBE = ('System.out.println("wirelab-open:" + org.wirelab.lifecycle.Lifecycle.open().stream()'
         '.filter(org.wirelab.lifecycle.Lifecycle.Tracked::active).map(t -> t.kind() + "\\t" + t.statement()'
         '.replaceAll("\\\\s+", " ")).collect(java.util.stream.Collectors.joining("\\n")))')
DECLARED = re.compile(r"^\s*(?:final\s+)?(?:var|[A-Za-z_][\w.]*(?:<[^=]*>)?(?:\[\])*)\s+([A-Za-z_]\w*)\s*=")


def active(client, index):
    """The active activities as (kind, statement) pairs, read by a probe cell that is not kept."""
    probe = nbformat.v4.new_code_cell(PROBE)
    cell = client.nb.cells[index]
    client.execute_cell(probe, index, store_history=False)
    client.nb.cells[index] = cell  # nbclient files the probe in the cell's place; put the cell back
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    body = text.split("wirelab-open:", 1)[1] if "wirelab-open:" in text else ""
    return [tuple(line.split("\t", 1)) for line in body.splitlines() if "\t" in line]


def variable(statement):
    m = DECLARED.match(statement)
    return m.group(1) if m else None


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("out")
    parser.add_argument("--pause", type=float, default=40.0)
    args = parser.parse_args(argv)
    path = Path(args.notebook).resolve()
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, kernel_name="wirelab", timeout=300, startup_timeout=120, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    started = {}       # (kind, statement) -> code cell number that started it
    running = []       # what the probe saw after the previous cell
    paused_before = []
    code_no = 0
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            code_no += 1
            source = cell.source
            wait = False
            for activity in running:
                name = variable(activity[1])
                if name is None:
                    wait = wait or started[activity] == code_no - 1
                elif re.search(r"\b" + re.escape(name) + r"\b", source):
                    wait = True
            if wait:
                paused_before.append(code_no)
                time.sleep(args.pause)
            client.execute_cell(cell, index)
            running = active(client, index)
            for activity in running:
                started.setdefault(activity, code_no)
    nbformat.write(nb, args.out)
    print(f"paused {args.pause:.0f} s before cells {paused_before}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Figure 5 of BENCHMARKS.md: Run All of the whole series through nbclient, timed per notebook and
per cell, each notebook right after its anchor: a fresh `wirelab` kernel that runs `1 + 1`
(the floor of any notebook: one JVM start). The executed copies go to a folder under /tmp; notebooks/ is only read.

    .venv/bin/python benchmarks/scripts/run_all.py [OUT_DIR] [--top N]

Prints each notebook's wall time (kernel start included) and its slowest cells with their first
line and what in the source may wait (sleeps, timeouts, awaits, processes and JVMs started).
"""
import json
import re
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^\d\d-[a-z0-9-]+\.ipynb$")
WAITS = re.compile(r"Thread\.sleep|sleep\(|[Tt]imeout|await|Duration\.of|ProcessBuilder|Programs\.|"
                   r"\bjava\b|tshark|tcpdump|curl|\.join\(|\.get\(|waitFor|latency|delay|Conditions",
                   re.IGNORECASE)


def cell_seconds(cell):
    ex = cell.get("metadata", {}).get("execution", {})
    a, b = ex.get("iopub.execute_input") or ex.get("shell.execute_reply.started"), ex.get("shell.execute_reply")
    if not a or not b:
        return None
    f = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (f(b) - f(a)).total_seconds()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    top = 3
    if "--top" in sys.argv:
        top = int(sys.argv[sys.argv.index("--top") + 1])
        args = [a for a in args if a != str(top)]
    out = Path(args[0] if args else "/tmp/wirelab-run-all")
    if out.resolve().is_relative_to((ROOT / "notebooks").resolve()):
        sys.exit("write the executed copies outside notebooks/")
    out.mkdir(parents=True, exist_ok=True)
    # the kernels run in OUT_DIR, so what a notebook writes (pcaps) lands there, not in notebooks/
    for f in (ROOT / "notebooks").iterdir():
        if f.is_file() and not NAME.match(f.name) and not f.name.endswith(".pcap"):
            shutil.copy(f, out / f.name)
    paths = sorted(p for p in (ROOT / "notebooks").iterdir() if NAME.match(p.name))
    rows = []
    anchors = []
    for path in paths:
        # the anchor, just before each notebook: a fresh wirelab kernel running one cell, `1 + 1`
        bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        t0 = time.monotonic()
        NotebookClient(bare, kernel_name="wirelab", timeout=120, startup_timeout=120,
                       resources={"metadata": {"path": str(out)}}).execute()
        anchors.append(time.monotonic() - t0)
        nb = nbformat.read(path, as_version=4)
        t0 = time.monotonic()
        error = ""
        client = NotebookClient(nb, kernel_name="wirelab", timeout=300, startup_timeout=120,
                                resources={"metadata": {"path": str(out)}})
        try:
            client.execute()
        except Exception as e:  # a failing cell is reported, the series goes on
            error = f"  FAILED: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
        wall = time.monotonic() - t0
        nbformat.write(nb, out / path.name)
        cells = []
        for i, c in enumerate(nb.cells):
            s = cell_seconds(c) if c.cell_type == "code" else None
            if s is not None:
                cells.append((s, i, c.source))
        busy = sum(s for s, _, _ in cells)
        rows.append((path.name, wall, busy, len(cells)))
        print(f"{path.name}: {wall:.1f} s wall = {wall / anchors[-1]:.1f} x the bare kernel's {anchors[-1]:.1f} s; "
              f"{busy:.1f} s in {len(cells)} cells, {wall - busy:.1f} s kernel start and between cells{error}",
              flush=True)
        for s, i, src in sorted(cells, reverse=True)[:top]:
            first = src.strip().splitlines()[0] if src.strip() else ""
            hints = sorted(set(m.group(0) for m in WAITS.finditer(src)))
            print(f"    cell {i:>3} {s:6.2f} s  {first[:70]!r}  waits: {', '.join(hints) or '-'}")
    total = sum(r[1] for r in rows)
    print(f"anchor: {len(anchors)} bare kernels (start + `1 + 1`), {sum(anchors):.1f} s "
          f"({min(anchors):.1f}..{max(anchors):.1f} s each); the series is {total / sum(anchors):.2f} x that")
    print(f"total {total:.1f} s for {len(rows)} notebooks "
          f"({sum(r[2] for r in rows):.1f} s in cells, {total - sum(r[2] for r in rows):.1f} s kernel starts and overhead)")
    (out / "timings.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()

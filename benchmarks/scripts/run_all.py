#!/usr/bin/env python3
"""Figure 5 of BENCHMARKS.md: Run All of the whole series through nbclient, timed per notebook and
per cell, each notebook right after its anchor: a fresh `wirelab` kernel that runs `1 + 1`
(the floor of any notebook: one JVM start). The executed copies go to a folder under /tmp; notebooks/ is only read.

    .venv/bin/python benchmarks/scripts/run_all.py [OUT_DIR] [--top N] [--kernels A,B] [--only 00,04]

Prints each notebook's wall time and its slowest cells with their first line and what in the
source may wait (sleeps, timeouts, awaits, processes and JVMs started). The wall time runs from
launching the kernel to the reply of the last cell, which is what a reader waits for after Run
All; the kernel's shutdown after it is printed apart ("shutdown"): JJava's kernel exits only
when its idle cell thread times out (60 s), so jupyter_client kills it after its 5 s wait.
With --kernels, each notebook runs once per kernelspec, in turn after the one anchor (for a
before/after of a kernelspec in the same run); the executed copies go to OUT_DIR/KERNEL/.
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
    opts = {}
    for name in ("--top", "--kernels", "--only"):
        if name in sys.argv:
            opts[name] = sys.argv[sys.argv.index(name) + 1]
            args = [a for a in args if a != opts[name]]
    top = int(opts.get("--top", top))
    kernels = opts.get("--kernels", "wirelab").split(",")
    only = opts["--only"].split(",") if "--only" in opts else None
    out = Path(args[0] if args else "/tmp/wirelab-run-all")
    if out.resolve().is_relative_to((ROOT / "notebooks").resolve()):
        sys.exit("write the executed copies outside notebooks/")
    out.mkdir(parents=True, exist_ok=True)
    # the kernels run in OUT_DIR, so what a notebook writes (pcaps) lands there, not in notebooks/
    for f in (ROOT / "notebooks").iterdir():
        if f.is_file() and not NAME.match(f.name) and not f.name.endswith(".pcap"):
            shutil.copy(f, out / f.name)
    paths = sorted(p for p in (ROOT / "notebooks").iterdir() if NAME.match(p.name))
    if only:
        paths = [p for p in paths if p.name[:2] in only]
    rows = {k: [] for k in kernels}
    anchors = []

    def run(nb, kernel, timeout):
        """Runs nb; returns (seconds to the last cell's reply, seconds of the shutdown after it, error)."""
        done = []
        client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, startup_timeout=120,
                                resources={"metadata": {"path": str(out)}},
                                on_cell_executed=lambda **_: done.append(time.monotonic()))
        t0 = time.monotonic()
        error = ""
        try:
            client.execute()
        except Exception as e:  # a failing cell is reported, the series goes on
            error = f"  FAILED: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
        end = time.monotonic()
        last = done[-1] if done else end
        return last - t0, end - last, error

    for path in paths:
        # the anchor, just before each notebook: a fresh wirelab kernel running one cell, `1 + 1`
        bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        anchors.append(run(bare, "wirelab", 120)[0])
        for kernel in kernels:
            nb = nbformat.read(path, as_version=4)
            wall, shutdown, error = run(nb, kernel, 300)
            dest = out / kernel if len(kernels) > 1 else out
            dest.mkdir(exist_ok=True)
            nbformat.write(nb, dest / path.name)
            cells = []
            for i, c in enumerate(nb.cells):
                s = cell_seconds(c) if c.cell_type == "code" else None
                if s is not None:
                    cells.append((s, i, c.source))
            busy = sum(s for s, _, _ in cells)
            rows[kernel].append((path.name, wall, busy, len(cells), shutdown))
            print(f"{path.name} [{kernel}]: {wall:.1f} s wall = {wall / anchors[-1]:.1f} x the bare kernel's "
                  f"{anchors[-1]:.1f} s; {busy:.1f} s in {len(cells)} cells, {wall - busy:.1f} s kernel start and "
                  f"between cells; shutdown {shutdown:.1f} s{error}", flush=True)
            for s, i, src in sorted(cells, reverse=True)[:top]:
                first = src.strip().splitlines()[0] if src.strip() else ""
                hints = sorted(set(m.group(0) for m in WAITS.finditer(src)))
                print(f"    cell {i:>3} {s:6.2f} s  {first[:70]!r}  waits: {', '.join(hints) or '-'}")
    print(f"anchor: {len(anchors)} bare kernels (start + `1 + 1`), {sum(anchors):.1f} s "
          f"({min(anchors):.1f}..{max(anchors):.1f} s each)")
    for kernel, r in rows.items():
        total = sum(x[1] for x in r)
        print(f"[{kernel}] total {total:.1f} s for {len(r)} notebooks = {total / sum(anchors):.2f} x the anchor "
              f"({sum(x[2] for x in r):.1f} s in cells, {total - sum(x[2] for x in r):.1f} s kernel starts and "
              f"between cells; {sum(x[4] for x in r):.1f} s of shutdowns after the last cells, not counted)")
    (out / "timings.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()

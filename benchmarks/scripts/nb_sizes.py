#!/usr/bin/env python3
"""Figure 6 of BENCHMARKS.md, second half: each committed notebook's size and its largest single
output (the output's JSON as stored in the file), against the goals of 300 KB and 100 KB.

    python3 benchmarks/scripts/nb_sizes.py [notebooks/*.ipynb]
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_GOAL, OUTPUT_GOAL = 300_000, 100_000


def main():
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"{'notebook':32} {'bytes':>9} {'/300KB':>7} {'largest output':>15} {'/100KB':>7}  cell, kind")
    for p in paths:
        size = p.stat().st_size
        nb = json.loads(p.read_text(encoding="utf-8"))
        largest, where = 0, "-"
        for i, cell in enumerate(nb["cells"]):
            for out in cell.get("outputs", []):
                n = len(json.dumps(out, indent=1, ensure_ascii=False).encode("utf-8"))
                if n > largest:
                    kinds = ",".join(sorted(out.get("data", {}).keys())) or out.get("output_type", "")
                    src = "".join(cell.get("source", "")).strip().splitlines()
                    largest, where = n, f"cell {i} ({kinds}): {src[0][:50] if src else ''}"
        print(f"{p.name:32} {size:>9} {size / NOTEBOOK_GOAL:>7.2f} {largest:>15} {largest / OUTPUT_GOAL:>7.2f}  {where}")


if __name__ == "__main__":
    main()

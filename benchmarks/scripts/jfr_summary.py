#!/usr/bin/env python3
"""Where a JFR recording's time and allocation went, per thread group: the top frames of
jdk.ExecutionSample (Java code running), jdk.NativeMethodSample (in a system call: epoll wait,
socket read or write) and the heaviest jdk.ObjectAllocationSample sites.

    python3 benchmarks/scripts/jfr_summary.py RECORDING.jfr [THREAD_SUBSTRING]
"""
import collections
import re
import subprocess
import sys


def events(jfr, name):
    out = subprocess.run(["jfr", "print", "--events", name, jfr], capture_output=True, text=True, check=True).stdout
    return out.split(name + " {")[1:]


def main():
    jfr = sys.argv[1]
    which = sys.argv[2] if len(sys.argv) > 2 else "wirelab-io"
    for name in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
        top, n = collections.Counter(), 0
        for e in events(jfr, name):
            t = re.search(r'sampledThread = "([^"]*)"', e)
            frames = re.findall(r"^\s+([\w.$<>]+)\(", e, re.M)
            if t and which in t.group(1) and frames:
                n += 1
                top[frames[0]] += 1
        print(f"{name} on threads '{which}': {n} samples, top frames:")
        for f, c in top.most_common(8):
            print(f"  {100 * c / n:5.1f} %  {f}")
    alloc = collections.Counter()
    for e in events(jfr, "jdk.ObjectAllocationSample"):
        w = re.search(r"weight = ([\d.]+) (\w+)", e)
        cls = re.search(r"objectClass = (\S+)", e)
        frames = re.findall(r"^\s+([\w.$<>]+)\(", e, re.M)
        if w and cls:
            unit = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}.get(w.group(2), 1)
            alloc[(cls.group(1), frames[0] if frames else "?")] += float(w.group(1)) * unit
    total = sum(alloc.values())
    print(f"allocation (sampled weight, all threads): {total / 1e9:.2f} GB, top sites:")
    for (c, f), v in alloc.most_common(5):
        print(f"  {v / 1e9:6.2f} GB  {c} at {f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Figure 4 of BENCHMARKS.md: seconds from starting a kernel to its first result.

    .venv/bin/python benchmarks/scripts/kernel_start.py [runs] [KERNELSPEC ...]

Takes turns: for each KERNELSPEC (default: `wirelab`), a fresh kernel runs
`HexView.of(new byte[]{1,2,3})` (wait for its display_data or execute_result) and a fresh kernel
runs `1 + 1`; then a fresh plain JJava kernel (`java`, the kernelspec the jjava package installs)
runs `1 + 1`, the anchor. Each run starts a new JVM; the clock starts before the kernel process is
launched and stops when the result message arrives on iopub. Next to the wall time it prints the
CPU seconds (user + system) that the kernel's processes had used by then, read from /proc: on a
machine shared with other work, wall time swings with the load, CPU time much less.
Give a second kernelspec (e.g. one written with the old options) to compare in the same run.
"""
import os
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU seconds of a process and its live descendants."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / TICKS
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                total += sum(cpu_seconds(int(child)) for child in f.read().split())
        return total
    except FileNotFoundError:
        return 0.0


def first_result(kernel, code):
    t0 = time.monotonic()
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=180)
        msg_id = kc.execute(code)
        while True:
            msg = kc.get_iopub_msg(timeout=180)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind in ("execute_result", "display_data"):
                elapsed = time.monotonic() - t0
                cpu = cpu_seconds(km.provisioner.process.pid)
                break
            if kind == "error":
                raise RuntimeError(f"{kernel}: {msg['content']['ename']}: {msg['content']['evalue']}")
        kc.stop_channels()
        return elapsed, cpu
    finally:
        km.shutdown_kernel(now=True)


def spread(values, fmt):
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}..{fmt.format(max(values))})"


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    kernels = sys.argv[2:] or ["wirelab"]
    # (label, kernelspec, code); "1 + 1" on a wirelab kernelspec splits the extra time: the kernel's own
    # start (kernel-ext on the class path, its startup imports, its JVM options) against the first view
    cases = [(f"{k} hex", k, "HexView.of(new byte[]{1,2,3})") for k in kernels] \
        + [(f"{k} 1+1", k, "1 + 1") for k in kernels] + [("java 1+1", "java", "1 + 1")]
    wall = {label: [] for label, _, _ in cases}
    cpu = {label: [] for label, _, _ in cases}
    for r in range(1, runs + 1):
        line = [f"run {r}:"]
        for label, kernel, code in cases:
            w, c = first_result(kernel, code)
            wall[label].append(w)
            cpu[label].append(c)
            line.append(f"{label} {w:.2f} s ({c:.2f} s CPU)")
        with open("/proc/loadavg") as f:
            line.append("load " + f.read().split()[0])
        print("  ".join(line), flush=True)
    jw, jc = wall["java 1+1"], cpu["java 1+1"]
    for label in wall:
        w, c = wall[label], cpu[label]
        print(f"{label:20} wall {spread(w, '{:.2f}')} s, minus java 1+1 of the same run "
              f"{spread([a - b for a, b in zip(w, jw)], '{:+.2f}')} s, ratio {spread([a / b for a, b in zip(w, jw)], '{:.2f}')}")
        print(f"{'':20} CPU  {spread(c, '{:.2f}')} s, minus java 1+1 of the same run "
              f"{spread([a - b for a, b in zip(c, jc)], '{:+.2f}')} s, ratio {spread([a / b for a, b in zip(c, jc)], '{:.2f}')}")


if __name__ == "__main__":
    main()

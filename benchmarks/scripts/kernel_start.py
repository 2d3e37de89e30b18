#!/usr/bin/env python3
"""Figure 4 of BENCHMARKS.md: seconds from starting a kernel to its first result.

    .venv/bin/python benchmarks/scripts/kernel_start.py [runs]

Takes turns: a fresh `wirelab` kernel runs `HexView.of(new byte[]{1,2,3})` (wait for its
display_data or execute_result), a fresh `wirelab` kernel runs `1 + 1`, then a fresh plain JJava
kernel (`java`, the kernelspec the jjava package installs) runs `1 + 1`, the anchor. Each run starts a new JVM; the clock starts before the kernel
process is launched and stops when the result message arrives on iopub.
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

# (label, kernelspec, code); the middle case splits the extra time: the wirelab kernelspec's own start
# (kernel-ext on the class path, its startup imports, its JVM options) against the first view
CASES = [("wirelab hex", "wirelab", "HexView.of(new byte[]{1,2,3})"),
         ("wirelab 1+1", "wirelab", "1 + 1"),
         ("java 1+1", "java", "1 + 1")]


def first_result(kernel, code):
    t0 = time.monotonic()
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        msg_id = kc.execute(code)
        while True:
            msg = kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind in ("execute_result", "display_data"):
                elapsed = time.monotonic() - t0
                text = msg["content"]["data"].get("text/plain", "")
                break
            if kind == "error":
                raise RuntimeError(f"{kernel}: {msg['content']['ename']}: {msg['content']['evalue']}")
        kc.stop_channels()
        return elapsed, text
    finally:
        km.shutdown_kernel(now=True)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times = {label: [] for label, _, _ in CASES}
    for r in range(1, runs + 1):
        line = [f"run {r}:"]
        for label, kernel, code in CASES:
            s, text = first_result(kernel, code)
            times[label].append(s)
            line.append(f"{label} {s:.2f} s ({text.splitlines()[0][:30] if text else 'no text'})")
        print("  ".join(line), flush=True)
    j = times["java 1+1"]
    for label, w in times.items():
        extra = [a - b for a, b in zip(w, j)]
        ratio = [a / b for a, b in zip(w, j)]
        print(f"{label:12} median {statistics.median(w):.2f} s ({min(w):.2f}..{max(w):.2f}); minus java 1+1 of the "
              f"same run: median {statistics.median(extra):+.2f} s ({min(extra):+.2f}..{max(extra):+.2f}), "
              f"ratio {statistics.median(ratio):.2f} ({min(ratio):.2f}..{max(ratio):.2f})")


if __name__ == "__main__":
    main()

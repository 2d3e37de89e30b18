#!/usr/bin/env python3
"""Figure 4 of BENCHMARKS.md: seconds from starting a kernel to its first result.

    .venv/bin/python benchmarks/scripts/kernel_start.py [runs]

Takes turns: a fresh `wirelab` kernel runs `HexView.of(new byte[]{1,2,3})` (wait for its
display_data or execute_result), then a fresh plain JJava kernel (`java`, the kernelspec the jjava
package installs) runs `1 + 1`. Each run starts a new JVM; the clock starts before the kernel
process is launched and stops when the result message arrives on iopub.
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

CASES = [("wirelab", "HexView.of(new byte[]{1,2,3})"), ("java", "1 + 1")]


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
    times = {k: [] for k, _ in CASES}
    for r in range(1, runs + 1):
        line = [f"run {r}:"]
        for kernel, code in CASES:
            s, text = first_result(kernel, code)
            times[kernel].append(s)
            line.append(f"{kernel} {s:.2f} s ({text.splitlines()[0][:30] if text else 'no text'})")
        print("  ".join(line), flush=True)
    w, j = times["wirelab"], times["java"]
    extra = [a - b for a, b in zip(w, j)]
    ratio = [a / b for a, b in zip(w, j)]
    print(f"wirelab median {statistics.median(w):.2f} s ({min(w):.2f}..{max(w):.2f})")
    print(f"java    median {statistics.median(j):.2f} s ({min(j):.2f}..{max(j):.2f})")
    print(f"extra per run (wirelab - java of the same run): median {statistics.median(extra):+.2f} s "
          f"({min(extra):+.2f}..{max(extra):+.2f}); ratio median {statistics.median(ratio):.2f} "
          f"({min(ratio):.2f}..{max(ratio):.2f})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Builds real networks (org.wirelab.netns.Network) from a real wirelab kernel, re-runs the cell,
restarts the kernel and kills it, and after each step lists what is left of the networks on this
machine: processes whose command line holds a lab folder (/tmp/wirelab-netns-...), the same rule as
Network.leftovers(); at the end, whether any of the lab folders is still there.

    .venv/bin/python notebook-tests/scripts/netns_kernel.py

Prints one line per step, e.g. `re-run: 3 processes, all of the second network`, and exits 1 when
something of an earlier network is left.
"""
import os
import sys
import time

from jupyter_client.manager import KernelManager

BUILD = ('var net = Network.build(); net.server().peer("listen 9000 8 sink"); '
         'net.router().startCapture("rs", Network.SERVER_IP); net.folder().toString()')


def ours():
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "wirelab-netns-" in cmd or "org.wirelab.netns.Peer" in cmd:
                found.append(f"{pid}: {cmd.strip()}")
    return found


def gone_within(seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not ours():
            return []
        time.sleep(0.2)
    return ours()


def run(client, code):
    out = []

    def hook(msg):
        if msg["msg_type"] in ("execute_result", "display_data"):
            out.append(msg["content"]["data"].get("text/plain", ""))
        elif msg["msg_type"] == "error":
            out.append("ERROR " + msg["content"]["evalue"])

    reply = client.execute_interactive(code, timeout=120, output_hook=hook)
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"cell failed: {code}: {reply['content'].get('evalue')} {out}")
    return "".join(out).strip().strip('"')


def main():
    failures = 0
    km = KernelManager(kernel_name="wirelab")
    km.start_kernel()
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    run(client, "import org.wirelab.netns.*;")
    first = run(client, BUILD)
    second = run(client, BUILD)
    left = ours()
    stale = [p for p in left if first in p]
    print(f"re-run: {len(left)} processes, {len(stale)} of the first network", flush=True)
    if stale or not left or not all(second in p for p in left):
        print("\n".join(left))
        failures += 1

    km.restart_kernel(now=False)
    client.wait_for_ready(timeout=120)
    left = gone_within(10)
    print(f"restart: {len(left)} processes left", flush=True)
    if left:
        print("\n".join(left))
        failures += 1

    run(client, "import org.wirelab.netns.*;")
    third = run(client, BUILD)
    km.shutdown_kernel(now=True)  # killed: no shutdown hook runs
    left = gone_within(10)
    print(f"kill: {len(left)} processes left", flush=True)
    if left:
        print("\n".join(left))
        failures += 1
    time.sleep(1)
    folders = [f for f in (first, second, third) if os.path.exists(f)]
    print(f"folders: {len(folders)} lab folders left", flush=True)
    if folders:
        print("\n".join(folders))
        failures += 1
    client.stop_channels()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

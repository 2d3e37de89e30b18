#!/usr/bin/env python3
"""Runs cells that start servers again and again in one real wirelab kernel, and prints what the
kernel's JVM holds after each run: open file descriptors, threads, listening TCP ports.

    .venv/bin/python notebook-tests/scripts/rerun_cells.py [RUNS] [--untracked]

--untracked runs a control cell instead, a plain java.net.ServerSocket that nothing closes, to
show that the measurement does see what a cell leaves behind.

Prints one line per run, e.g. `run 3: fds=61 threads=38 listening=2`, and exits 0.
"""
import os
import sys
import time

from jupyter_client.manager import KernelManager

CELLS = [
    "var echo = TcpEchoServer.start();",
    "var tap = Tap.to(echo.address());",
    "var http = HttpDemoServer.start();",
    "var ws = WebSocketDemoServer.start();",
    "try (var s = new Socket(\"127.0.0.1\", tap.port())) { s.getOutputStream().write(1); s.getInputStream().read(); }",
]


# Held from a system property so that garbage collection cannot close it either.
UNTRACKED = ["System.getProperties().put(\"leak.\" + System.nanoTime(), "
             "new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));"]


def jvm_pid(launcher_pid):
    """The kernel's JVM: JJava's launcher starts it as a child process."""
    children = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == launcher_pid:
                    children.append(int(pid))
            except OSError:
                pass
    return children[0] if children else launcher_pid


def listening_inodes():
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                parts = line.split()
                if parts[3] == "0A":  # TCP_LISTEN
                    inodes.add(parts[9])
    return inodes


def usage(pid):
    fds = os.listdir(f"/proc/{pid}/fd")
    sockets = set()
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            sockets.add(target[8:-1])
    with open(f"/proc/{pid}/status") as f:
        threads = next(int(l.split()[1]) for l in f if l.startswith("Threads:"))
    return len(fds), threads, len(sockets & listening_inodes())


def main(runs, cells):
    km = KernelManager(kernel_name="wirelab")
    km.start_kernel()
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    try:
        pid = jvm_pid(km.provisioner.process.pid)
        for run in range(1, runs + 1):
            for cell in cells:
                reply = client.execute_interactive(cell, timeout=60, output_hook=lambda msg: None)
                if reply["content"]["status"] != "ok":
                    print(f"run {run}: cell failed: {cell}: {reply['content'].get('evalue')}")
                    return 1
            time.sleep(0.3)  # let closed event loops finish their threads
            fds, threads, listening = usage(pid)
            print(f"run {run}: fds={fds} threads={threads} listening={listening}", flush=True)
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=False)
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(main(int(args[0]) if args else 20, UNTRACKED if "--untracked" in sys.argv else CELLS))

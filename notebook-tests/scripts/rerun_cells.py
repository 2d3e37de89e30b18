#!/usr/bin/env python3
"""Runs cells that start servers again and again in one real wirelab kernel, and prints what the
kernel's JVM holds after each run: open file descriptors, threads, listening TCP ports.

    .venv/bin/python notebook-tests/scripts/rerun_cells.py [RUNS] [--untracked]
    .venv/bin/python notebook-tests/scripts/rerun_cells.py --restart

--untracked runs a control cell instead, a plain java.net.ServerSocket that nothing closes, to
show that the measurement does see what a cell leaves behind. --restart runs the cells once, restarts
the kernel, and prints which of the ports the old kernel listened on are still held by anyone.

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


def listening():
    """Every listening TCP socket on this machine, from /proc/net/tcp{,6}: {inode: port}."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                parts = line.split()
                if parts[3] == "0A":  # TCP_LISTEN
                    found[parts[9]] = int(parts[1].rsplit(":", 1)[1], 16)
    return found


def listening_inodes():
    return set(listening())


def socket_inodes(pid):
    """The inodes of the sockets the process holds open, from /proc/PID/fd."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def usage(pid):
    fds = os.listdir(f"/proc/{pid}/fd")
    sockets = socket_inodes(pid)
    with open(f"/proc/{pid}/status") as f:
        threads = next(int(l.split()[1]) for l in f if l.startswith("Threads:"))
    return len(fds), threads, len(sockets & listening_inodes())


def listening_ports(pid):
    """The TCP ports the process listens on, from its socket inodes and /proc/net/tcp{,6}."""
    inodes = socket_inodes(pid)
    return {port for inode, port in listening().items() if inode in inodes}


def still_listening(ports):
    """Those of `ports` that some socket on this machine still listens on."""
    return set(listening().values()) & set(ports)


def restart(cells):
    """Runs the cells once, restarts the kernel, and prints which of its ports are still held."""
    km = KernelManager(kernel_name="wirelab")
    km.start_kernel()
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    try:
        for cell in cells:
            reply = client.execute_interactive(cell, timeout=60, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                print(f"cell failed: {cell}: {reply['content'].get('evalue')}")
                return 1
        pid = jvm_pid(km.provisioner.process.pid)
        # The kernel's own channels (shell, iopub, ...) are reused by the restarted kernel on purpose.
        info = km.get_connection_info()
        channels = {info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
        ports = listening_ports(pid) - channels
        print(f"before restart: listening={sorted(ports)}", flush=True)
        km.restart_kernel(now=False)
        client.wait_for_ready(timeout=120)
        # The launcher exits first; the old kernel's JVM closes what it tracked, then exits.
        started = time.monotonic()
        while os.path.exists(f"/proc/{pid}") and time.monotonic() - started < 20:
            time.sleep(0.05)
        gone = not os.path.exists(f"/proc/{pid}")
        print(f"old kernel JVM {'exited' if gone else 'still running'} "
              f"{time.monotonic() - started:.1f} s after the restart", flush=True)
        print(f"after restart: still listening={sorted(still_listening(ports))}", flush=True)
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=False)
    return 0


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
    if "--restart" in sys.argv:
        sys.exit(restart(CELLS))
    sys.exit(main(int(args[0]) if args else 20, UNTRACKED if "--untracked" in sys.argv else CELLS))

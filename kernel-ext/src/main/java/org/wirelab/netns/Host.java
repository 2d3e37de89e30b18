package org.wirelab.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One namespace of a {@link Network}: runs shell commands in it, starts its {@link Peer} (a child
 * JVM running kernel-ext inside the namespace) and captures on its interfaces.
 */
public final class Host {

    private final Network net;
    private final String name;
    private final Map<String, String[]> captures = new ConcurrentHashMap<>();
    private SocketChannel peer;
    private BufferedReader replies;
    private OutputStream requests;

    Host(Network net, String name) {
        this.net = net;
        this.name = name;
    }

    /** {@code client}, {@code router} or {@code server}. */
    public String name() {
        return name;
    }

    /** Runs {@code script} with {@code sh} inside this namespace and returns its output. */
    public String sh(String script) {
        return net.sh("ip netns exec " + name + " sh -s <<'WIRELAB_SH'\n" + script + "\nWIRELAB_SH");
    }

    /**
     * Sends one request to this namespace's peer (started on first use) and returns its answer,
     * e.g. {@code peer("connect c1 10.0.2.2 9000")} gives {@code "ok 10.0.1.2:41234"}; a peer's
     * {@code err ...} answer throws.
     */
    public synchronized String peer(String request) {
        if (peer == null) {
            start();
        }
        try {
            requests.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            requests.flush();
            StringBuilder answer = new StringBuilder();
            for (String line; (line = replies.readLine()) != null; ) {
                if (line.equals(".")) {
                    String text = answer.toString().strip();
                    if (text.startsWith("err")) {
                        throw new IllegalStateException(name + " peer: " + request + " → " + text);
                    }
                    return text;
                }
                answer.append(line).append('\n');
            }
            throw new IllegalStateException(name + " peer ended while answering: " + request + log());
        } catch (IOException e) {
            throw new IllegalStateException(name + " peer is gone: " + e.getMessage() + log(), e);
        }
    }

    private void start() {
        Path socket = net.dir().resolve(name + ".sock");
        Path log = net.dir().resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        net.sh("ip netns exec " + name + " " + java + " -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                + " -Djava.net.preferIPv4Stack=true -cp '" + classpath() + "' " + Peer.class.getName()
                + " '" + socket + "' > '" + log + "' 2>&1 < /dev/null &");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                try {
                    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    peer = ch;
                    requests = Channels.newOutputStream(ch);
                    replies = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                    return;
                } catch (IOException e) {
                    // not listening yet
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the " + name + " peer", e);
            }
        }
        throw new IllegalStateException("the " + name + " peer did not start within 60 s" + log());
    }

    private String log() {
        try {
            return "\n" + Files.readString(net.dir().resolve(name + ".log")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    // The jar (or classes folder) holding this class, then the JVM's own class path (Netty in tests).
    static String classpath() {
        List<String> parts = new ArrayList<>();
        try {
            parts.add(Path.of(Host.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (Exception e) {
            // fall back to java.class.path
        }
        for (String p : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!p.isBlank() && !parts.contains(p)) {
                parts.add(p);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    void disconnect() {
        if (peer != null) {
            try {
                peer.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }

    /**
     * Starts dumpcap on {@code iface} of this namespace (e.g. {@code rs}, toward {@code peerIp}) and
     * returns once a probe datagram sent after the start is in the file.
     */
    public void startCapture(String iface, String peerIp) {
        startCapture(iface, peerIp, 262144);
    }

    /**
     * As {@link #startCapture(String, String)}, keeping the first {@code snaplen} bytes of each
     * packet (e.g. 128: the headers, for a bulk transfer whose bytes need not be kept).
     */
    public void startCapture(String iface, String peerIp, int snaplen) {
        Path file = net.dir().resolve(name + "-" + iface + ".pcap");
        Path log = net.dir().resolve(name + "-" + iface + ".dumpcap");
        // dumpcap, not tcpdump: Debian's tcpdump switches to its own user after opening the interface,
        // which a user namespace refuses (setgroups is denied there). The file's path keeps the lab folder on
        // dumpcap's command line, where Network.leftovers() looks.
        String pid = net.sh("ip netns exec " + name + " dumpcap -q -P -s " + snaplen + " -i " + iface + " -w '" + file
                + "' > '" + log + "' 2>&1 < /dev/null & echo $!").strip();
        captures.put(iface, new String[] {pid, peerIp});
        probe(iface, "dumpcap on " + name + " " + iface + " did not start capturing", log);
    }

    /**
     * Stops the capture on {@code iface} once a last probe datagram shows every earlier packet is
     * in the file (dumpcap hands packets over in blocks), and returns the pcap file's bytes.
     */
    public byte[] stopCapture(String iface) {
        Path log = net.dir().resolve(name + "-" + iface + ".dumpcap");
        probe(iface, "dumpcap on " + name + " " + iface + " did not hand over its last packets", log);
        String[] running = captures.remove(iface);
        net.sh("kill -INT " + running[0] + "; wait " + running[0] + " 2>/dev/null; true");
        try {
            return Files.readAllBytes(net.dir().resolve(name + "-" + iface + ".pcap"));
        } catch (IOException e) {
            throw new IllegalStateException("dumpcap wrote no file on " + name + " " + iface + ": " + e.getMessage(), e);
        }
    }

    // A UDP datagram to the discard port (9) of the far end, repeated until its payload is in the file.
    private void probe(String iface, String failure, Path log) {
        String[] running = captures.get(iface);
        if (running == null) {
            throw new IllegalStateException("no capture running on " + name + " " + iface);
        }
        Path file = net.dir().resolve(name + "-" + iface + ".pcap");
        byte[] mark = ("wirelab-probe-" + Long.toHexString(System.nanoTime())).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 100; i++) {
            net.sh("ip netns exec " + name + " bash -c 'echo " + new String(mark, StandardCharsets.US_ASCII)
                    + " > /dev/udp/" + running[1] + "/9' 2>/dev/null; true");
            try {
                Thread.sleep(50);
                if (Files.exists(file) && indexOf(Files.readAllBytes(file), mark) >= 0) {
                    return;
                }
            } catch (IOException e) {
                // not written yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + failure, e);
            }
        }
        String err = "";
        try {
            err = ": " + Files.readString(log).strip();
        } catch (IOException e) {
            // no log
        }
        throw new IllegalStateException(failure + " within 5 s" + err);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "namespace " + name;
    }
}

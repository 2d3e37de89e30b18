package org.wirelab.pcap;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.wirelab.lifecycle.Lifecycle;

/**
 * Records the captures {@link Capture#recorded(String)} ships, by capturing the demos live on
 * loopback. Needs dumpcap or tcpdump with permission to capture (root or CAP_NET_RAW).
 *
 * <pre>
 * java -cp kernel-ext/target/kernel-ext.jar org.wirelab.pcap.RecordCaptures kernel-ext/src/main/resources/org/wirelab/pcap/recorded
 * sudo java -cp kernel-ext/target/kernel-ext.jar org.wirelab.pcap.RecordCaptures --tcp-fast-open kernel-ext/src/main/resources/org/wirelab/pcap/recorded
 * </pre>
 *
 * <p>{@code tcp-handshake}: a JDK {@link Socket} connects to a JDK {@link ServerSocket} on
 * 127.0.0.1, sends {@code ping\n}, the server answers {@code pong\n}, the client closes first, then
 * the server: handshake, two data segments with their ACKs, and both FINs (about 10 packets).
 *
 * <p>{@code tcp-fast-open} (RFC 7413), root only: a Netty HTTP server on 127.0.0.1:8080 and
 * {@code curl --tcp-fastopen} fetching {@code /1} then {@code /2}, so the first SYN asks for a
 * cookie (TFO=R), the SYN-ACK brings one (TFO=C), and the second SYN carries the cookie and the
 * whole HTTP request (about 20 packets). Everything runs in a network namespace of its own
 * ({@code wirelab-tfo-<pid>-<hex>}, deleted afterwards, also on failure or Ctrl-C) whose
 * {@code net.ipv4.tcp_fastopen} is set to {@value #TFO_SYSCTL} = 0x403: client 0x1, server 0x2,
 * and 0x400 "Fast Open on every listener without the TCP_FASTOPEN socket option", which the JDK
 * cannot set; the host's setting is never touched. The run is limited to {@value #LIMIT_SECONDS} s.
 * Steps: {@code ip netns add}, {@code ip -n NS link set lo up},
 * {@code ip netns exec NS sysctl -w net.ipv4.tcp_fastopen=1027}, then this class again inside the
 * namespace ({@code ip netns exec NS java ... --in-namespace NS FILE}) running server, capture and curl.
 */
public final class RecordCaptures {

    /** {@value}: net.ipv4.tcp_fastopen in the recording namespace, 0x403. */
    static final int TFO_SYSCTL = 0x403;
    /** {@value}: the whole tcp-fast-open recording, namespace to clean-up, ends within this. */
    static final int LIMIT_SECONDS = 12;
    private static final int HTTP_PORT = 8080;
    private static final String IN_NAMESPACE = "--in-namespace";
    private static final ThreadLocal<String> lastOutput = ThreadLocal.withInitial(() -> "");

    private RecordCaptures() {
    }

    /**
     * Writes {@code tcp-handshake.pcap} into the folder {@code args[0]}, e.g. {@code /tmp/recorded},
     * or with {@code --tcp-fast-open <outdir>} {@code tcp-fast-open.pcap} (needs root).
     */
    public static void main(String[] args) throws Exception {
        Path file;
        if (args.length == 3 && args[0].equals(IN_NAMESPACE)) {
            try {
                fastOpenInNamespace(args[1], Path.of(args[2]));
            } catch (IllegalStateException | IOException e) {
                System.err.println("tcp-fast-open (in the namespace): " + e.getMessage());
                System.exit(1);
            }
            return;
        } else if (args.length == 2 && args[0].equals("--tcp-fast-open")) {
            try {
                file = tcpFastOpen(Path.of(args[1]));
            } catch (IllegalStateException | IOException e) {
                System.err.println("tcp-fast-open: " + e.getMessage());
                System.exit(1);
                return;
            }
        } else if (args.length == 1 && !args[0].startsWith("--")) {
            Path out = Path.of(args[0]);
            Files.createDirectories(out);
            file = tcpHandshake(out.resolve("tcp-handshake.pcap"));
        } else {
            System.err.println("usage: java -cp kernel-ext.jar org.wirelab.pcap.RecordCaptures [--tcp-fast-open] <outdir>");
            System.exit(2);
            return;
        }
        System.out.println(file + " (" + Files.size(file) + " bytes)");
        Capture.recordedListing(file).forEach(System.out::println);
    }

    /**
     * Records {@code tcp-fast-open.pcap} into {@code outDir} as the class comment says and returns
     * it; throws {@link IllegalStateException} naming the step that failed.
     */
    static Path tcpFastOpen(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path target = outDir.toAbsolutePath().resolve("tcp-fast-open.pcap");
        Files.deleteIfExists(target);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        String ns = "wirelab-tfo-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());
        String added = run(deadline, "ip", "netns", "add", ns);
        if (added == null) {
            throw new IllegalStateException("cannot create network namespace " + ns + " (needs root and iproute2): "
                    + lastOutput.get());
        }
        Thread cleanup = new Thread(() -> deleteNamespace(ns), "wirelab-netns-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            require(deadline, "ip", "-n", ns, "link", "set", "lo", "up");
            require(deadline, "ip", "netns", "exec", ns, "sysctl", "-w", "net.ipv4.tcp_fastopen=" + TFO_SYSCTL);
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    // the namespace has only lo, without a MAC address for Netty's channel ids
                    "-Dio.netty.machineId=02:00:00:00:00:01", "-cp", absoluteClassPath(),
                    RecordCaptures.class.getName(), IN_NAMESPACE, ns, target.toString()));
            String out = run(deadline, cmd.toArray(String[]::new));
            if (out == null) {
                throw new IllegalStateException("recording inside " + ns + " failed: " + lastOutput.get());
            }
            System.out.print(out);
        } finally {
            deleteNamespace(ns);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
        if (!Files.isRegularFile(target) || Files.size(target) <= 24) {
            throw new IllegalStateException("no packets were written to " + target);
        }
        return target;
    }

    /**
     * Inside the network namespace {@code ns}: server, capture, curl twice, then {@code target};
     * refuses to run anywhere else, so the host's net.ipv4.tcp_fastopen is never read as the one to use.
     */
    static void fastOpenInNamespace(String ns, Path target) throws Exception {
        // /run/netns/NS is a bind mount of the namespace: same inode as our own net namespace link
        String self = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        Path named = Path.of("/run/netns", ns);
        Object inode = Files.exists(named) ? Files.getAttribute(named, "unix:ino") : "absent";
        if (!self.equals("net:[" + inode + "]")) {
            throw new IllegalStateException("not inside network namespace " + ns + " (" + self + "); run"
                    + " RecordCaptures --tcp-fast-open, which makes a namespace of its own");
        }
        // one read() for the whole value: Files.readString reads a size-0 file one byte first, and
        // a sysctl integer read at offset 1 gives end of file ("1" instead of "1027")
        int tfo;
        try (InputStream in = new FileInputStream("/proc/sys/net/ipv4/tcp_fastopen")) {
            tfo = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        if ((tfo & TFO_SYSCTL) != TFO_SYSCTL) {
            throw new IllegalStateException("net.ipv4.tcp_fastopen is " + tfo + " here, not " + TFO_SYSCTL);
        }
        CountDownLatch closed = new CountDownLatch(2);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.closeFuture().addListener(f -> closed.countDown());
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(4096), new Answer());
                        }
                    })
                    .bind(InetAddress.getByName("127.0.0.1"), HTTP_PORT).sync().channel();
            Path captured;
            try (Capture capture = Capture.start(HTTP_PORT)) {
                for (String path : List.of("/1", "/2")) {
                    String out = run(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), "curl", "-sS",
                            "--tcp-fastopen", "--max-time", "4", "-o", "/dev/null", "-w", "%{http_code} %{url}\n",
                            "http://127.0.0.1:" + HTTP_PORT + path);
                    if (out == null) {
                        throw new IllegalStateException("curl --tcp-fastopen failed: " + lastOutput.get());
                    }
                    System.out.print("curl: " + out);
                }
                if (!closed.await(Lifecycle.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the two connections did not close within "
                            + Lifecycle.timeout().toMillis() + " ms");
                }
                captured = capture.stop();
            }
            server.close().sync();
            Files.copy(captured, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            Files.deleteIfExists(captured);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Answers every request {@code 200 OK} with a short text body, then closes (server FIN first). */
    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            byte[] body = ("fast open " + request.uri() + "\n").getBytes(StandardCharsets.US_ASCII);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String absoluteClassPath() {
        List<String> parts = new ArrayList<>();
        for (String part : System.getProperty("java.class.path").split(File.pathSeparator)) {
            parts.add(Path.of(part).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    private static void deleteNamespace(String ns) {
        run(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), "ip", "netns", "delete", ns);
    }

    private static void require(long deadline, String... cmd) {
        if (run(deadline, cmd) == null) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + lastOutput.get());
        }
    }

    // Runs cmd until the deadline: its output (stdout and stderr) when it exits 0, else null with
    // the reason in lastOutput; on the deadline it and everything it started are killed.
    private static String run(long deadline, String... cmd) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            lastOutput.set("cannot run " + cmd[0] + ": " + e.getMessage());
            return null;
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = p.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                lastOutput.set(String.join(" ", cmd) + ": still running after the " + LIMIT_SECONDS
                        + " s limit, killed; output: " + out.getNow("").strip());
                return null;
            }
            String text = out.get(5, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                lastOutput.set("exit " + p.exitValue() + ": " + text.strip());
                return null;
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            lastOutput.set("interrupted");
            return null;
        } catch (Exception e) {
            lastOutput.set(e.toString());
            return null;
        }
    }

    /** Captures the ping/pong exchange described above into {@code target} and returns it. */
    static Path tcpHandshake(Path target) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
            Path captured;
            try (Capture capture = Capture.start(server.getLocalPort())) {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress(loopback, server.getLocalPort()), 5000);
                    client.setSoTimeout(5000);
                    try (Socket accepted = server.accept()) {
                        accepted.setSoTimeout(5000);
                        client.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                        readLine(accepted.getInputStream());
                        accepted.getOutputStream().write("pong\n".getBytes(StandardCharsets.US_ASCII));
                        readLine(client.getInputStream());
                        client.close();
                        // the server sees the client's FIN (end of stream) before closing its side
                        if (accepted.getInputStream().read() != -1) {
                            throw new IOException("expected the client's FIN");
                        }
                    }
                }
                captured = capture.stop();
            }
            Files.copy(captured, target, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(captured);
            return target;
        }
    }

    private static void readLine(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed before a line ended");
            }
        }
    }
}

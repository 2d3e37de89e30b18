package org.wirelab.cli;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.wirelab.tap.Connection;
import org.wirelab.wire.Direction;
import org.wirelab.tap.Tap;

/**
 * {@code tap --listen 127.0.0.1:9000 --to 127.0.0.1:8080 [--pcap FILE] [--seconds N]}: forwards
 * connections, prints every event as it happens and, with {@code --pcap}, writes them as a pcap file
 * when it stops; e.g.
 * {@code #1 10:40:00.123456 client → server DATA 78 B @0: GET / HTTP/1.1\r\n...}.
 */
final class TapCommand {

    static final String USAGE =
            "usage: java -jar kernel-ext.jar tap --listen 127.0.0.1:PORT --to HOST:PORT [--pcap FILE] [--seconds N]";

    private TapCommand() {
    }

    static int run(String... args) {
        return run(System.out, System.err, args);
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        InetSocketAddress listen = null;
        InetSocketAddress to = null;
        String pcap = null;
        long seconds = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (!option.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException(option.startsWith("--")
                            ? option + " needs a value" : "unexpected argument '" + option + "'");
                }
                String value = args[++i];
                switch (option) {
                    case "--listen" -> listen = hostPort(option, value);
                    case "--to" -> to = hostPort(option, value);
                    case "--pcap" -> pcap = value;
                    case "--seconds" -> seconds = positive(option, value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (listen == null || to == null) {
                throw new IllegalArgumentException(listen == null ? "--listen is required" : "--to is required");
            }
            if (to.getPort() == 0) {
                throw new IllegalArgumentException("--to needs a port from 1 to 65535");
            }
        } catch (IllegalArgumentException e) {
            err.println("wirelab tap: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Tap tap;
        try {
            // with --pcap every byte must be kept to be written: 64 MiB per direction per connection
            tap = Tap.newBuilder().listen(listen.getAddress().getHostAddress(), listen.getPort()).to(to)
                    .cap(pcap == null ? 1 << 20 : 64 << 20).start();
        } catch (IllegalStateException e) {
            err.println("wirelab " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Object printLock = new Object();
        tap.onEvent(event -> {
            synchronized (printLock) {
                out.println(event);
            }
        });
        Path pcapFile = pcap == null ? null : Path.of(pcap);
        Thread hook = new Thread(() -> finish(tap, pcapFile, out, err, printLock, stopped), "wirelab-tap-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(tap + " (" + (seconds > 0 ? "for " + seconds + " s" : "Ctrl-C to stop") + ")");
        out.flush();
        try {
            if (seconds > 0) {
                stopped.await(seconds, TimeUnit.SECONDS);
            } else {
                stopped.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finish(tap, pcapFile, out, err, printLock, stopped);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running
        }
        return 0;
    }

    private static void finish(Tap tap, Path pcap, PrintStream out, PrintStream err, Object printLock,
                               CountDownLatch stopped) {
        synchronized (printLock) {
            if (stopped.getCount() == 0) {
                return;
            }
            stopped.countDown();
        }
        var recording = tap.recording();
        tap.close();
        synchronized (printLock) {
            out.println("stopped: " + recording.connections().size() + " connection(s)");
            for (Connection c : recording.connections()) {
                out.println("#" + c.id() + " " + c.client() + " ⇄ " + c.server() + ": "
                        + Direction.CLIENT_TO_SERVER + " " + c.byteCount(Direction.CLIENT_TO_SERVER) + " B, "
                        + Direction.SERVER_TO_CLIENT + " " + c.byteCount(Direction.SERVER_TO_CLIENT) + " B");
            }
            if (pcap != null) {
                try {
                    recording.savePcap(pcap);
                    out.println("wrote " + pcap);
                } catch (RuntimeException e) {
                    err.println("wirelab tap: no pcap written: " + e.getMessage());
                }
            }
            out.flush();
        }
    }

    static InetSocketAddress hostPort(String option, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(option + " wants HOST:PORT, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " port '" + value.substring(colon + 1) + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " port " + port + " is outside 0..65535");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(option + " host '" + host + "' does not resolve");
        }
        return address;
    }

    private static long positive(String option, String value) {
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " wants a whole number of seconds above 0, got '" + value + "'");
    }

}

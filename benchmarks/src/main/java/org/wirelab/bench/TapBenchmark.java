package org.wirelab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.wirelab.tap.Tap;

/**
 * The price of recording: 8 MiB sent over loopback straight to a sink, and through a tap that
 * records it (default 1 MiB cap per direction). The ratio of the two scores is the tap's cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TapBenchmark {

    static final int SIZE = 8 * 1024 * 1024;

    ServerSocket sink;
    Thread sinkThread;
    Tap tap;
    final byte[] chunk = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        sinkThread = new Thread(this::drain, "sink");
        sinkThread.setDaemon(true);
        sinkThread.start();
    }

    // A tap keeps up to its cap per connection: a fresh one per iteration bounds the heap.
    @Setup(Level.Iteration)
    public void newTap() {
        tap = Tap.to(new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.getLocalPort()));
    }

    @TearDown(Level.Iteration)
    public void closeTap() {
        tap.close();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sink.close();
    }

    // Reads each connection to its end, then closes it: the sender sees EOF when all bytes arrived.
    private void drain() {
        byte[] buffer = new byte[64 * 1024];
        while (!sink.isClosed()) {
            try (Socket s = sink.accept(); InputStream in = s.getInputStream()) {
                while (in.read(buffer) >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // sink closed
            }
        }
    }

    private long send(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            for (int sent = 0; sent < SIZE; sent += chunk.length) {
                out.write(chunk);
            }
            s.shutdownOutput();
            return s.getInputStream().read();
        }
    }

    @Benchmark
    public long direct() throws IOException {
        return send(sink.getLocalPort());
    }

    @Benchmark
    public long throughTap() throws IOException {
        return send(tap.port());
    }
}

package org.wirelab.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Dissection;
import org.wirelab.hex.HexView;
import org.wirelab.hex.MessageView;

/**
 * The views of figure 6 under JMH: the whole MIME bundle of the hex view and the message view of
 * an HTTP response whose body is {@code size} bytes, with dissecting it as the reference in the
 * same run. {@link RenderSizes} measures the same with the jobs taking turns and prints the sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RenderBenchmark {

    @Param({"1024", "65536", "1048576"})
    int size;

    byte[] response;
    Dissection dissection;

    @Setup
    public void setUp() {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[size];
        new Random(13).nextBytes(body);
        response = Arrays.copyOf(head, head.length + size);
        System.arraycopy(body, 0, response, head.length, size);
        dissection = Dissect.http(response);
    }

    @Benchmark
    public Dissection dissect() {
        return Dissect.http(response);
    }

    @Benchmark
    public Map<String, Object> hexView() {
        return HexView.of(dissection).mimeBundle();
    }

    @Benchmark
    public Map<String, Object> messageView() {
        return MessageView.of(dissection).mimeBundle();
    }
}

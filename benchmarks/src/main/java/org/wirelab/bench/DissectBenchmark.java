package org.wirelab.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Dissection;
import org.wirelab.hex.HexView;

/** Dissecting and drawing the bytes a notebook shows: how long one cell's view takes to build. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DissectBenchmark {

    byte[] upgradeRequest;
    byte[] frames;
    byte[] binary64k;
    Dissection request;

    @Setup
    public void setUp() {
        upgradeRequest = ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        // 100 masked "Hello" frames (RFC 6455 §5.7).
        byte[] hello = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        frames = new byte[hello.length * 100];
        for (int i = 0; i < 100; i++) {
            System.arraycopy(hello, 0, frames, i * hello.length, hello.length);
        }
        // One unmasked 64 KiB binary frame: 82 7f 00 00 00 00 00 01 00 00 + payload.
        binary64k = new byte[10 + 65536];
        byte[] head = {(byte) 0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0};
        System.arraycopy(head, 0, binary64k, 0, head.length);
        request = Dissect.http(upgradeRequest);
    }

    @Benchmark
    public Dissection httpUpgradeRequest() {
        return Dissect.http(upgradeRequest);
    }

    @Benchmark
    public Dissection hundredMaskedFrames() {
        return Dissect.websocket(frames);
    }

    @Benchmark
    public Dissection binaryFrame64KiB() {
        return Dissect.websocket(binary64k);
    }

    @Benchmark
    public Object hexViewOfUpgradeRequest() {
        return HexView.of(request).mimeBundle();
    }
}

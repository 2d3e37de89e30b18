package org.wirelab.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.wirelab.testing.Tools;

/**
 * Fuzzing of {@link Dissect#http}, {@link Dissect#websocket}, {@link Dissect#http2}, {@link Dissect#handshake}
 * and {@link Dissect#pcap}, seeded with real captures (test resources and the shipped recordings)
 * and the TCP streams inside them (HTTP/2: both directions of curl's prior-knowledge connections and
 * of the JDK client's Upgrade: h2c one, plus the frame and HPACK vectors of the property tests), each mutated 1 to 3 times (bytes changed, cut, inserted,
 * repeated, bits flipped), plus random bytes. Each jqwik try dissects a batch of {@value #BATCH}
 * inputs derived from the try's seed, on a worker thread: a batch not done within
 * {@value #BATCH_SECONDS} s is a loop and fails with the input it was on. Every result must be
 * well formed (offsets inside the input, every byte covered, no "could not dissect").
 * At the end: {@code fuzz: 1000000 cases, 0 escaped, in N s}.
 */
class DissectFuzzTest {

    static final int BATCH = 100;
    static final int BATCH_SECONDS = 60;

    private static final String[] CAPTURES = {"/captures/chromium-websocket.pcapng",
        "/org/wirelab/pcap/recorded/tcp-fast-open.pcap", "/org/wirelab/pcap/recorded/tcp-handshake.pcap"};

    /** Real HTTP/2 connections (Http2TsharkTest compares them with tshark): every direction is a seed. */
    private static final String[] HTTP2_CAPTURES = {"/captures/h2c-curl-prior-knowledge.pcap",
        "/captures/h2c-jdk-upgrade.pcap"};

    private static final AtomicLong CASES = new AtomicLong();
    private static final AtomicLong ESCAPED = new AtomicLong();
    // milliseconds spent per dissector, for the report (where the run's time goes)
    private static final java.util.Map<String, AtomicLong> MILLIS = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static long started;
    private static List<byte[]> pcapSeeds;
    private static List<byte[]> httpSeeds;
    private static List<byte[]> websocketSeeds;
    private static List<byte[]> keySeeds;
    private static List<byte[]> http2Seeds;
    private static ExecutorService worker;
    // the input being dissected now, for the report when a batch does not finish
    private static volatile byte[] current;

    @BeforeContainer
    static void seeds() {
        started = System.nanoTime();
        pcapSeeds = new ArrayList<>(List.of(SyntheticPcap.httpExchange()));
        httpSeeds = new ArrayList<>(DissectPropertiesTest.HTTP);
        websocketSeeds = new ArrayList<>(DissectPropertiesTest.WEBSOCKET);
        keySeeds = new ArrayList<>(List.of(ascii("dGhlIHNhbXBsZSBub25jZQ==")));
        for (String name : CAPTURES) {
            byte[] file = resource(name);
            pcapSeeds.add(file);
            for (TcpStream s : Dissect.pcap(file).streams()) {
                byte[] stream = s.bytes();
                if (stream.length == 0) {
                    continue;
                }
                httpSeeds.add(stream);
                WebSocketDissection frames = Dissect.upgraded(stream);
                if (frames.bytes().length > 0) {
                    websocketSeeds.add(frames.bytes());
                }
                String text = new String(stream, StandardCharsets.ISO_8859_1);
                int key = text.indexOf("Sec-WebSocket-Key: ");
                if (key >= 0) {
                    keySeeds.add(ascii(text.substring(key + 19, text.indexOf('\r', key))));
                }
            }
        }
        http2Seeds = new ArrayList<>(DissectPropertiesTest.HTTP2);
        for (String name : HTTP2_CAPTURES) {
            for (TcpStream s : Dissect.pcap(resource(name)).streams()) {
                if (s.bytes().length > 0) {
                    http2Seeds.add(s.bytes());
                }
                if (s.bytes().length > 0 && s.bytes()[0] == 'G') {
                    httpSeeds.add(s.bytes()); // the Upgrade: h2c request, with its HTTP2-Settings
                }
            }
        }
        worker = newWorker();
    }

    private static byte[] resource(String name) {
        try (InputStream in = DissectFuzzTest.class.getResourceAsStream(name)) {
            if (in == null) {
                // a seed that is gone would quietly weaken the fuzzing: fail in CI, skip elsewhere
                Tools.missing("fuzz seed " + name + " is not on the test class path");
                throw new AssertionError("unreachable: Tools.missing returns only when skipping");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError("cannot read fuzz seed " + name, e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wirelab-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterContainer
    static void report() {
        worker.shutdownNow();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("fuzz: " + CASES.get() + " cases, " + ESCAPED.get() + " escaped, in " + seconds + " s");
        System.out.println("fuzz: time per dissector " + MILLIS.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().get() / 100 / 10.0 + " s").toList());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // One input: a seed mutated 1 to 3 times, or (1 in 10) random bytes.
    static byte[] input(List<byte[]> seeds, Random r) {
        if (r.nextInt(10) == 0) {
            byte[] b = new byte[r.nextInt(400)];
            r.nextBytes(b);
            return b;
        }
        byte[] b = seeds.get(r.nextInt(seeds.size()));
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            b = DissectPropertiesTest.mutate(b, r.nextInt(5), r.nextLong());
        }
        return b;
    }

    // Dissects a batch on the worker; fails on anything thrown or a batch that does not end.
    private static void batch(String what, long seed, List<byte[]> seeds, Consumer<byte[]> check) {
        long start = System.nanoTime();
        try {
            batch(seed, seeds, check);
        } finally {
            MILLIS.computeIfAbsent(what, k -> new AtomicLong()).addAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    private static void batch(long seed, List<byte[]> seeds, Consumer<byte[]> check) {
        Future<?> done = worker.submit(() -> {
            Random r = new Random(seed);
            for (int i = 0; i < BATCH; i++) {
                byte[] b = input(seeds, r);
                current = b;
                try {
                    check.accept(b);
                } catch (Throwable e) {
                    ESCAPED.incrementAndGet();
                    throw new AssertionError("escaped on " + HexFormat.of().formatHex(b) + ": " + e, e);
                }
                CASES.incrementAndGet();
            }
            return null;
        });
        try {
            done.get(BATCH_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            byte[] stuck = current;
            worker.shutdownNow();
            worker = newWorker();
            ESCAPED.incrementAndGet();
            fail("no result within " + BATCH_SECONDS + " s (a loop?) on " + HexFormat.of().formatHex(stuck));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    // 4,000 + 3,500 + 1,000 + 1,000 + 500 tries of 100: 1,000,000 cases; pcap cases cost the most (whole captures)
    @Property(tries = 4_000, shrinking = ShrinkingMode.OFF)
    void httpDissectsEveryMutatedStream(@ForAll long seed) {
        batch("http", seed, httpSeeds, b -> DissectPropertiesTest.wellFormed(Dissect.http(b), b.length));
    }

    @Property(tries = 3_500, shrinking = ShrinkingMode.OFF)
    void websocketDissectsEveryMutatedFrameSequence(@ForAll long seed) {
        batch("websocket", seed, websocketSeeds, b -> DissectPropertiesTest.wellFormed(Dissect.websocket(b), b.length));
    }

    @Property(tries = 1_000, shrinking = ShrinkingMode.OFF)
    void http2DissectsEveryMutatedConnectionDirection(@ForAll long seed) {
        batch("http2", seed, http2Seeds, b -> DissectPropertiesTest.wellFormed(Dissect.http2(b), b.length));
    }

    @Property(tries = 1_000, shrinking = ShrinkingMode.OFF)
    void pcapReadsEveryMutatedCapture(@ForAll long seed) {
        batch("pcap", seed, pcapSeeds, b -> DissectPropertiesTest.wellFormed(Dissect.pcap(b), b.length));
    }

    @Property(tries = 500, shrinking = ShrinkingMode.OFF)
    void handshakeDerivesAnAcceptForEveryMutatedKey(@ForAll long seed) {
        batch("handshake", seed, keySeeds, b -> {
            AcceptKey a = Dissect.handshake(new String(b, StandardCharsets.ISO_8859_1));
            assertEquals(28, a.accept().length(), a::toString);
            assertTrue(a.toString().contains(a.accept()));
        });
    }
}

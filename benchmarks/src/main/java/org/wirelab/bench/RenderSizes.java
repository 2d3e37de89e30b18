package org.wirelab.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Dissection;
import org.wirelab.hex.HexView;
import org.wirelab.hex.MessageView;

/**
 * Figure 6 of BENCHMARKS.md: how long the hex view and the message view take to build their whole
 * output (text and HTML, as a notebook displays them) for a 1 KiB, 64 KiB and 1 MiB payload, and how
 * big that output is (the hex view folded by default, and {@code .full()}; the message view, and
 * {@code .table()}). The payload is the body of an HTTP response; the anchor is dissecting the
 * same response ({@code Dissect.http}), the step before any view. The jobs take turns.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.wirelab.bench.RenderSizes [rounds]
 * </pre>
 */
public final class RenderSizes {

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.println("size     job          median µs (min..max)   ratio to dissect (min..max)   output bytes (text + html)");
        for (int size : new int[] {1024, 64 * 1024, 1024 * 1024}) {
            byte[] message = response(size);
            Dissection d = Dissect.http(message);
            // the default views fold long payloads; .full() and .table() are what a reader asks for
            List<Supplier<Object>> jobs = List.of(
                    () -> Dissect.http(message),
                    () -> HexView.of(d).mimeBundle(),
                    () -> MessageView.of(d).mimeBundle(),
                    () -> HexView.of(d).full().mimeBundle(),
                    () -> MessageView.of(d).table().mimeBundle());
            String[] names = {"dissect", "HexView", "MessageView", "Hex.full()", "Msg.table()"};
            int reps = Math.max(3, (1 << 18) / size);
            for (int w = 0; w < 3; w++) {
                for (Supplier<Object> job : jobs) {
                    time(job, reps);
                }
            }
            double[][] t = new double[jobs.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < jobs.size(); j++) {
                    t[j][r] = time(jobs.get(j), reps);
                }
            }
            for (int j = 0; j < jobs.size(); j++) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = t[j][r] / t[0][r];
                }
                double[] s = t[j].clone();
                Arrays.sort(s);
                Arrays.sort(ratio);
                String out = j == 0 ? "-" : outputSize(jobs.get(j).get());
                System.out.printf(Locale.ROOT, "%-8s %-12s %9.1f (%.1f..%.1f)   %6.1f (%.1f..%.1f)   %s%n",
                        size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB", names[j],
                        s[rounds / 2], s[0], s[rounds - 1], ratio[rounds / 2], ratio[0], ratio[rounds - 1], out);
            }
        }
    }

    // mean µs per call over reps calls
    private static double time(Supplier<Object> job, int reps) {
        long t0 = System.nanoTime();
        Object sink = null;
        for (int i = 0; i < reps; i++) {
            sink = job.get();
        }
        long t = System.nanoTime() - t0;
        if (sink == null) {
            throw new IllegalStateException("a job returned nothing");
        }
        return t / 1e3 / reps;
    }

    @SuppressWarnings("unchecked")
    private static String outputSize(Object bundle) {
        Map<String, Object> b = (Map<String, Object>) bundle;
        List<String> parts = new ArrayList<>();
        long total = 0;
        for (String mime : new String[] {"text/plain", "text/html"}) {
            Object v = b.get(mime);
            int n = v == null ? 0 : v.toString().getBytes(StandardCharsets.UTF_8).length;
            total += n;
            parts.add(String.valueOf(n));
        }
        return total + " (" + String.join(" + ", parts) + ")";
    }

    private static byte[] response(int bodySize) {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + bodySize + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[bodySize];
        new Random(13).nextBytes(body);
        byte[] all = Arrays.copyOf(head, head.length + bodySize);
        System.arraycopy(body, 0, all, head.length, bodySize);
        return all;
    }
}

package org.wirelab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.TcpStream;
import org.wirelab.wire.HttpHead;
import org.wirelab.wire.PcapReader;

/**
 * Figure 3 of BENCHMARKS.md: dissection speed in MB/s on real captures. For each file, taking
 * turns: reading its records with {@link PcapReader} (the anchor: the least any dissection costs),
 * dissecting every packet and reassembled TCP direction ({@code Dissect.pcap(file).scan}), and
 * dissecting the reassembled directions alone: HTTP ({@code Dissect.http}) and, after a 101
 * upgrade, WebSocket ({@code Dissect.upgraded}). MB/s counts the file's bytes, or the stream bytes
 * for HTTP and WebSocket.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.wirelab.bench.DissectRate [rounds] FILE...
 * </pre>
 */
public final class DissectRate {

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        for (String name : Arrays.copyOfRange(args, 1, args.length)) {
            Path file = Path.of(name);
            long fileBytes = Files.size(file);
            List<TcpStream> streams = new ArrayList<>();
            Dissect.pcap(file).scan(p -> { }, streams::add);
            List<byte[]> http = new ArrayList<>();
            List<byte[]> ws = new ArrayList<>();
            for (TcpStream s : streams) {
                byte[] b = s.bytes();
                if (!HttpHead.startsLikeHttp(b)) {
                    continue;
                }
                http.add(b);
                if (HttpHead.endOfHead(b) >= 0 && new String(b, 0, Math.min(b.length, 16), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .startsWith("HTTP/1.1 101")) {
                    ws.add(b);
                }
            }
            long httpBytes = http.stream().mapToLong(b -> b.length).sum();
            long wsBytes = ws.stream().mapToLong(b -> b.length).sum();
            String[] names = {"read (anchor)", "pcap all", "http", "websocket"};
            long[] bytes = {fileBytes, fileBytes, httpBytes, wsBytes};
            Runnable[] jobs = {
                () -> {
                    try (PcapReader r = PcapReader.open(file)) {
                        while (r.hasNext()) {
                            r.next();
                        }
                    }
                },
                () -> Dissect.pcap(file).scan(p -> { }, s -> { }),
                () -> http.forEach(Dissect::http),
                () -> ws.forEach(Dissect::upgraded),
            };
            // enough repetitions that one timing covers about 4 MB
            int reps = (int) Math.max(1, 4_000_000 / fileBytes);
            for (int w = 0; w < 3; w++) {
                for (Runnable j : jobs) {
                    repeat(j, reps);
                }
            }
            double[][] rate = new double[jobs.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < jobs.length; j++) {
                    double s = repeat(jobs[j], reps);
                    rate[j][r] = bytes[j] * (double) reps / s / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "%s: %d bytes, %d TCP directions (%d bytes HTTP, %d bytes after a 101)%n",
                    file.getFileName(), fileBytes, streams.size(), httpBytes, wsBytes);
            for (int j = 0; j < jobs.length; j++) {
                if (bytes[j] == 0) {
                    System.out.printf(Locale.ROOT, "  %-14s none in this file%n", names[j]);
                    continue;
                }
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = rate[j][r] / rate[0][r];
                }
                double[] s = rate[j].clone();
                Arrays.sort(s);
                Arrays.sort(ratio);
                System.out.printf(Locale.ROOT, "  %-14s %8.1f MB/s (%.1f..%.1f), ratio to read %.2f (%.2f..%.2f)%n",
                        names[j], s[rounds / 2], s[0], s[rounds - 1], ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
            }
        }
    }

    private static double repeat(Runnable job, int reps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            job.run();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}

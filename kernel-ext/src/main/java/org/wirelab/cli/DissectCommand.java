package org.wirelab.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.wirelab.dissect.Dissect;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;
import org.wirelab.dissect.PacketCapture;
import org.wirelab.dissect.Problem;
import org.wirelab.dissect.TcpStream;

/**
 * {@code dissect FILE.pcap [--json]}: every packet's fields with offsets from the packet's first
 * byte (as tshark counts them), then every reassembled TCP direction's HTTP / WebSocket fields
 * with offsets into that stream.
 */
final class DissectCommand {

    private DissectCommand() {
    }

    static int run(String... args) {
        return run(System.out, System.err, args);
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        Path file = null;
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else if (a.startsWith("-") || file != null) {
                err.println("wirelab dissect: unexpected argument '" + a + "'\n" + Main.USAGE);
                return 2;
            } else {
                file = Path.of(a);
            }
        }
        if (file == null) {
            err.println("wirelab dissect: no capture file given\n" + Main.USAGE);
            return 2;
        }
        if (!Files.isReadable(file)) {
            err.println("wirelab dissect: cannot read " + file);
            return 1;
        }
        PacketCapture capture = Dissect.pcap(file);
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        try {
            if (json) {
                json(file, capture, w);
            } else {
                text(capture, w);
            }
            w.flush();
        } catch (IOException e) {
            err.println("wirelab dissect: cannot write the output: " + e.getMessage());
            return 1;
        }
        out.flush();
        return 0;
    }

    /**
     * Writes the capture as text while it is read: the format, then each packet's number, length,
     * summary and fields, then each reassembled TCP direction's fields, then the problems of the
     * file and the packet count.
     */
    static void text(PacketCapture capture, Writer s) throws IOException {
        s.append(capture.format()).append('\n');
        int[] count = {0};
        IOException[] failed = {null};
        List<Problem> fileProblems = capture.scan(p -> {
            try {
                count[0]++;
                s.append("\nframe ").append(Integer.toString(p.frame())).append(", ")
                        .append(Integer.toString(p.dissection().bytes().length)).append(" bytes: ").append(p.summary())
                        .append('\n').append(p.dissection().toString());
            } catch (IOException e) {
                failed[0] = e;
            }
        }, t -> {
            try {
                s.append('\n').append(t.toString()).append(" (").append(t.dissection().protocol()).append(")\n")
                        .append(t.dissection().toString());
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        for (Problem p : fileProblems) {
            s.append("\nproblem at file offset ").append(Integer.toString(p.offset())).append(": ").append(p.message());
        }
        s.append('\n').append(Integer.toString(count[0])).append(count[0] == 1 ? " packet\n" : " packets\n");
    }

    /** The capture as JSON for tests: what {@link #json(Path, PacketCapture, Writer)} writes. */
    static String json(Path file, PacketCapture capture) {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            json(file, capture, w);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Writes the capture as JSON while it is read: each packet as soon as it is dissected, then each
     * reassembled TCP direction, then the problems of the file; nothing is kept but the packet at hand
     * and the reassembled payload bytes.
     */
    static void json(Path file, PacketCapture capture, Writer s) throws IOException {
        s.append("{\"file\":");
        str(s, file.toString());
        s.append(",\"format\":");
        str(s, capture.format());
        s.append(",\n\"packets\":[");
        boolean[] first = {true, true};
        IOException[] failed = {null};
        List<Problem> fileProblems = capture.scan(p -> {
            if (failed[0] != null) {
                return;
            }
            try {
                Dissection d = p.dissection();
                s.append(first[0] ? "\n" : ",\n").append("{\"frame\":").append(Integer.toString(p.frame()))
                        .append(",\"length\":").append(Integer.toString(d.bytes().length)).append(",\"fields\":");
                first[0] = false;
                fields(s, d);
                s.append(",\"problems\":");
                problems(s, d.problems());
                s.append('}');
            } catch (IOException e) {
                failed[0] = e;
            }
        }, t -> {
            if (failed[0] != null) {
                return;
            }
            try {
                if (first[1]) {
                    s.append("],\n\"streams\":[");
                }
                stream(s, t, first[1]);
                first[1] = false;
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        if (first[1]) {
            s.append("],\n\"streams\":[");
        }
        s.append("],\n\"problems\":");
        problems(s, fileProblems);
        s.append("}\n");
    }

    private static void stream(Writer s, TcpStream t, boolean first) throws IOException {
        int length = 0;
        for (TcpStream.Segment g : t.segments()) {
            length = Math.max(length, g.streamOffset() + g.length());
        }
        s.append(first ? "\n" : ",\n").append("{\"tcp.stream\":").append(Integer.toString(t.index())).append(",\"source\":");
        str(s, t.source());
        s.append(",\"destination\":");
        str(s, t.destination());
        s.append(",\"protocol\":");
        str(s, t.dissection().protocol());
        s.append(",\"length\":").append(Integer.toString(length)).append(",\"segments\":[");
        for (int k = 0; k < t.segments().size(); k++) {
            TcpStream.Segment g = t.segments().get(k);
            s.append(k == 0 ? "" : ",").append("{\"frame\":").append(Integer.toString(g.frame()))
                    .append(",\"packet_offset\":").append(Integer.toString(g.packetOffset()))
                    .append(",\"stream_offset\":").append(Integer.toString(g.streamOffset()))
                    .append(",\"length\":").append(Integer.toString(g.length())).append('}');
        }
        s.append("],\"fields\":");
        fields(s, t.dissection());
        s.append(",\"problems\":");
        problems(s, t.dissection().problems());
        s.append('}');
    }

    private static void fields(Writer s, Dissection d) throws IOException {
        s.append('[');
        boolean first = true;
        for (Field f : d.fields()) {
            first = field(s, f, 0, first);
        }
        s.append(']');
    }

    private static boolean field(Writer s, Field f, int depth, boolean first) throws IOException {
        s.append(first ? "" : ",").append("{\"name\":");
        str(s, f.name());
        s.append(",\"offset\":").append(Integer.toString(f.offset()))
                .append(",\"length\":").append(Integer.toString(f.length())).append(",\"value\":");
        str(s, f.value());
        s.append(",\"depth\":").append(Integer.toString(depth)).append('}');
        for (Field c : f.children()) {
            field(s, c, depth + 1, false);
        }
        return false;
    }

    private static void problems(Writer s, List<Problem> problems) throws IOException {
        s.append('[');
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            s.append(i == 0 ? "" : ",").append("{\"offset\":").append(Integer.toString(p.offset()))
                    .append(",\"length\":").append(Integer.toString(p.length())).append(",\"message\":");
            str(s, p.message());
            s.append('}');
        }
        s.append(']');
    }

    /** A JSON string literal (RFC 8259 §7). */
    static String str(String v) {
        StringBuilder s = new StringBuilder(v.length() + 2);
        try {
            str(s, v);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return s.toString();
    }

    private static void str(Appendable s, String v) throws IOException {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(v, i)) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }

    private static boolean validSurrogate(String v, int i) {
        char c = v.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(v.charAt(i - 1));
    }

}

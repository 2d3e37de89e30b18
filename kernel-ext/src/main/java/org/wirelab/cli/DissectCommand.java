package org.wirelab.cli;

import java.io.PrintStream;
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
        if (json) {
            out.print(json(file, capture));
        } else {
            out.print(text(capture));
        }
        out.flush();
        return 0;
    }

    static String text(PacketCapture capture) {
        StringBuilder s = new StringBuilder(capture.toString());
        List<Dissection> packets = capture.packets();
        for (int i = 0; i < packets.size(); i++) {
            s.append("\nframe ").append(i + 1).append(", ").append(packets.get(i).bytes().length).append(" bytes\n")
                    .append(packets.get(i));
        }
        for (TcpStream t : capture.streams()) {
            s.append('\n').append(t).append(" (").append(t.dissection().protocol()).append(")\n").append(t.dissection());
        }
        return s.toString();
    }

    static String json(Path file, PacketCapture capture) {
        StringBuilder s = new StringBuilder(1 << 16);
        s.append("{\"file\":").append(str(file.toString())).append(",\"format\":").append(str(capture.format()));
        s.append(",\"problems\":");
        problems(s, capture.problems());
        s.append(",\n\"packets\":[");
        List<Dissection> packets = capture.packets();
        for (int i = 0; i < packets.size(); i++) {
            Dissection d = packets.get(i);
            s.append(i == 0 ? "\n" : ",\n").append("{\"frame\":").append(i + 1).append(",\"length\":")
                    .append(d.bytes().length).append(",\"fields\":");
            fields(s, d);
            s.append(",\"problems\":");
            problems(s, d.problems());
            s.append('}');
        }
        s.append("],\n\"streams\":[");
        List<TcpStream> streams = capture.streams();
        for (int i = 0; i < streams.size(); i++) {
            TcpStream t = streams.get(i);
            s.append(i == 0 ? "\n" : ",\n").append("{\"tcp.stream\":").append(t.index()).append(",\"source\":")
                    .append(str(t.source())).append(",\"destination\":").append(str(t.destination()))
                    .append(",\"protocol\":").append(str(t.dissection().protocol())).append(",\"length\":")
                    .append(t.bytes().length).append(",\"segments\":[");
            for (int k = 0; k < t.segments().size(); k++) {
                TcpStream.Segment g = t.segments().get(k);
                s.append(k == 0 ? "" : ",").append("{\"frame\":").append(g.frame()).append(",\"packet_offset\":")
                        .append(g.packetOffset()).append(",\"stream_offset\":").append(g.streamOffset())
                        .append(",\"length\":").append(g.length()).append('}');
            }
            s.append("],\"fields\":");
            fields(s, t.dissection());
            s.append(",\"problems\":");
            problems(s, t.dissection().problems());
            s.append('}');
        }
        return s.append("]}\n").toString();
    }

    private static void fields(StringBuilder s, Dissection d) {
        s.append('[');
        boolean first = true;
        for (Field f : d.fields()) {
            first = field(s, f, 0, first);
        }
        s.append(']');
    }

    private static boolean field(StringBuilder s, Field f, int depth, boolean first) {
        s.append(first ? "" : ",").append("{\"name\":").append(str(f.name())).append(",\"offset\":").append(f.offset())
                .append(",\"length\":").append(f.length()).append(",\"value\":").append(str(f.value()))
                .append(",\"depth\":").append(depth).append('}');
        for (Field c : f.children()) {
            field(s, c, depth + 1, false);
        }
        return false;
    }

    private static void problems(StringBuilder s, List<Problem> problems) {
        s.append('[');
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            s.append(i == 0 ? "" : ",").append("{\"offset\":").append(p.offset()).append(",\"length\":")
                    .append(p.length()).append(",\"message\":").append(str(p.message())).append('}');
        }
        s.append(']');
    }

    /** A JSON string literal (RFC 8259 §7). */
    static String str(String v) {
        StringBuilder s = new StringBuilder(v.length() + 2).append('"');
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
        return s.append('"').toString();
    }

    private static boolean validSurrogate(String v, int i) {
        char c = v.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(v.charAt(i - 1));
    }

}

package org.wirelab.dissect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares our fields with tshark's PDML: same name at the same pos must have the same size and
 * the same value (PDML {@code show}; skipped where show is empty, tshark's FT_NONE fields).
 */
final class PdmlComparison {

    /** Our grouping fields and names tshark has no field for: not compared. */
    static final Set<String> OURS = Set.of("eth", "ip", "ipv6", "tcp", "udp", "sll", "null", "http", "websocket",
            "http.request.first_line", "http.response.first_line", "http.end_of_headers", "http.header.name",
            "http.header.value", "http.chunked", "http.chunk", "http.last_chunk", "http.chunked_end", "tcp.option.data");

    int matched;
    int absent;
    int reassembled;
    int spanning;
    int unmasked;
    final TreeMap<String, Integer> matchedByName = new TreeMap<>();
    final TreeSet<String> absentNames = new TreeSet<>();
    final List<String> mismatches = new ArrayList<>();

    /** PDML items (with bytes) that one of our fields matched, per packet, by identity. */
    final java.util.IdentityHashMap<Pdml.Item, Boolean> hit = new java.util.IdentityHashMap<>();

    void packet(List<Pdml.Item> pdml, Dissection ours, String where) {
        for (Field f : ours.allFields()) {
            compare(pdml, f, f.offset(), where);
        }
    }

    /** tshark items named {@code prefix}..., each with whether one of ours matched it. */
    java.util.Map<Pdml.Item, Boolean> items(Pdml pdml, String prefix) {
        java.util.Map<Pdml.Item, Boolean> out = new java.util.IdentityHashMap<>();
        for (List<Pdml.Item> packet : pdml.packets) {
            for (Pdml.Item i : packet) {
                if (i.name().startsWith(prefix)) {
                    out.put(i, hit.containsKey(i));
                }
            }
        }
        return out;
    }

    /** tshark fields that cover bytes but that none of ours matched, counted by name. */
    TreeMap<String, Integer> unmatchedTsharkFields(Pdml pdml) {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (List<Pdml.Item> packet : pdml.packets) {
            for (Pdml.Item i : packet) {
                if (i.size() > 0 && !hit.containsKey(i)) {
                    out.merge(i.name(), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    void stream(Pdml pdml, TcpStream stream) {
        for (Field top : stream.dissection().fields()) {
            var seg = stream.segmentAt(top.offset());
            boolean masked = "1".equals(child(top, "websocket.mask"));
            if (seg.isEmpty() || top.length() == 0) {
                reassembled += count(top);
            } else if (top.end() <= seg.get().streamOffset() + seg.get().length()) {
                int shift = seg.get().packetOffset() - seg.get().streamOffset();
                walk(pdml.packets.get(seg.get().frame() - 1), top, shift, masked, stream + " frame " + seg.get().frame());
            } else {
                // tshark shows a PDU spanning segments in the frame that completes it, counted from the PDU's first byte
                var last = stream.segmentAt(top.end() - 1).orElseThrow();
                spanning += count(top);
                walk(pdml.packets.get(last.frame() - 1), top, -top.offset(), masked,
                        stream + " reassembled in frame " + last.frame());
            }
        }
    }

    private void walk(List<Pdml.Item> pdml, Field f, int shift, boolean masked, String where) {
        walk(pdml, f, shift, masked, where, f);
    }

    /**
     * For a masked frame tshark puts the payload's sub-fields in a separate "Unmasked data" source
     * (pos counted from the first payload byte) and websocket.payload itself at the frame's first
     * byte; both are compared there.
     */
    private void walk(List<Pdml.Item> pdml, Field f, int shift, boolean masked, String where, Field frame) {
        int pos = f.offset() + shift;
        if (masked && f.name().equals("websocket.payload")) {
            pos = frame.offset() + shift;
            unmasked++;
        } else if (masked && f.name().startsWith("websocket.payload.")) {
            Field payload = frame.children().stream().filter(c -> c.name().equals("websocket.payload")).findFirst()
                    .orElseThrow();
            pos = f.offset() - payload.offset();
            unmasked++;
        }
        int at = compare(pdml, f, pos, where);
        for (Field c : f.children()) {
            if (inOwnBuffer(f, c)) {
                if (at < 0) {
                    mismatches.add(where + ": " + c.name() + " '" + c.value() + "': tshark has no " + f.name() + " at " + pos);
                } else {
                    byValue(pdml, at, c, where);
                }
            } else {
                walk(pdml, c, shift, masked, where, frame);
            }
        }
    }

    /** HPACK-decoded names and values and what Wireshark derives from them: its "Decompressed Header" buffer. */
    static final Set<String> DECOMPRESSED = Set.of("http2.header.name", "http2.header.value", "http2.header.name.length",
            "http2.header.value.length", "http2.header.unescaped", "http2.header.length", "http2.header.count");

    /**
     * Whether tshark shows {@code child} of {@code parent} in a buffer of its own, where PDML's pos
     * counts from that buffer (or from the parent's pos when smaller): the decompressed header fields
     * (under http2.header, and the block's length and count under http2.stream), the named header
     * fields (http2.headers.method ...), the SETTINGS decoded from an HTTP2-Settings header, and a body
     * reassembled from several DATA frames (ours spans from its first byte, before its frame).
     * Those are compared by value with the same-named field under the tshark item that matched the parent.
     */
    static boolean inOwnBuffer(Field parent, Field child) {
        return DECOMPRESSED.contains(child.name()) || child.name().startsWith("http2.headers.") && parent.name().equals("http2.header")
                || parent.name().equals("http.http2_settings")
                || child.name().startsWith("http2.") && child.offset() < parent.offset();
    }

    /** tshark items compared by value: from their own buffers. */
    int byValue;

    /** {@code f} against the first not yet matched item of its name under item {@code parent}; then its children under that. */
    private void byValue(List<Pdml.Item> pdml, int parent, Field f, String where) {
        int depth = pdml.get(parent).depth();
        int at = -1;
        for (int i = parent + 1; i < pdml.size() && pdml.get(i).depth() > depth; i++) {
            if (pdml.get(i).name().equals(f.name()) && !hit.containsKey(pdml.get(i))) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            mismatches.add(where + ": " + f.name() + " '" + cut(f.value()) + "': tshark has none under its "
                    + pdml.get(parent).name() + " at " + pdml.get(parent).pos());
            return;
        }
        Pdml.Item it = pdml.get(at);
        if (!it.show().isEmpty() && !norm(it.show()).equals(norm(f.value()))) {
            mismatches.add(where + ": " + f.name() + " under " + pdml.get(parent).name() + " at " + pdml.get(parent).pos()
                    + " is '" + cut(f.value()) + "'; tshark shows '" + cut(it.show()) + "'");
            return;
        }
        hit.put(it, true);
        matched++;
        byValue++;
        matchedByName.merge(f.name(), 1, Integer::sum);
        for (Field c : f.children()) {
            byValue(pdml, at, c, where);
        }
    }

    private static String cut(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static String child(Field f, String name) {
        return f.children().stream().filter(c -> c.name().equals(name)).map(Field::value).findFirst().orElse(null);
    }

    private static int count(Field f) {
        return 1 + f.children().stream().mapToInt(PdmlComparison::count).sum();
    }

    /** {@code f} at {@code pos}: the index of the tshark item it matched, or -1. */
    private int compare(List<Pdml.Item> pdml, Field f, int pos, String where) {
        if (OURS.contains(f.name())) {
            return -1;
        }
        List<Pdml.Item> named = pdml.stream().filter(i -> i.name().equals(f.name())).toList();
        if (named.isEmpty()) {
            absent++;
            absentNames.add(f.name());
            return -1;
        }
        List<Pdml.Item> same = named.stream().filter(i -> i.pos() == pos && i.size() == f.length()).toList();
        if (same.isEmpty()) {
            mismatches.add(where + ": " + f.name() + " at " + pos + "+" + f.length() + " = " + cut(f.value())
                    + "; tshark has " + named.stream().map(i -> i.pos() + "+" + i.size() + " = " + cut(i.show())).toList());
            return -1;
        }
        List<Pdml.Item> equal = same.stream().filter(i -> i.show().isEmpty() || norm(i.show()).equals(norm(f.value()))).toList();
        if (equal.isEmpty()) {
            mismatches.add(where + ": " + f.name() + " at " + pos + " value '" + cut(f.value()) + "'; tshark shows "
                    + same.stream().map(i -> cut(i.show())).toList());
            return -1;
        }
        matched++;
        matchedByName.merge(f.name(), 1, Integer::sum);
        equal.forEach(i -> hit.put(i, true));
        Pdml.Item first = equal.get(0);
        for (int i = 0; i < pdml.size(); i++) {
            if (pdml.get(i) == first) {
                return i;
            }
        }
        return -1;
    }

    /** XML attribute normalization turns CR/LF/TAB into spaces; our values write CR LF as \r \n. */
    static String norm(String s) {
        return s.replace("\\r", "").replace("\\n", " ").replace("\r", "").replace("\n", " ").replace("\t", " ");
    }

    String summary() {
        return matched + " fields equal to tshark's (" + matchedByName + "), " + absent + " not in PDML "
                + absentNames + ", " + reassembled + " not compared, " + spanning + " compared in PDUs spanning segments, " + unmasked
                + " compared in unmasked data, " + (byValue > 0 ? byValue + " compared by value in tshark's own buffers, " : "")
                + mismatches.size() + " mismatches";
    }
}

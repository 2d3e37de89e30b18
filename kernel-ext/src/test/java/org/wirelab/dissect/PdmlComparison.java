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
    /** HPACK-decoded names and values: tshark puts them in a "Decompressed Header" source of its own. */
    int decompressed;
    /** Last DATA frames of a body that tshark shows only inside the reassembled body (http2.body.reassembled.data). */
    int inReassembledBody;
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
        compare(pdml, f, pos, where);
        if (f.name().equals("http2.header")) {
            decompressed(pdml, f, pos, where);
            f.children().stream().filter(c -> !DECOMPRESSED.contains(c.name()))
                    .forEach(c -> walk(pdml, c, shift, masked, where, frame));
            return;
        }
        f.children().forEach(c -> walk(pdml, c, shift, masked, where, frame));
    }

    static final Set<String> DECOMPRESSED = Set.of("http2.header.name", "http2.header.value");

    /**
     * tshark shows an HPACK header as http2.header at its wire bytes, and its name and value in a
     * separate buffer of decompressed headers: those two are compared by value, as the children of
     * the tshark http2.header at the same pos and size.
     */
    private void decompressed(List<Pdml.Item> pdml, Field header, int pos, String where) {
        int at = -1;
        for (int i = 0; i < pdml.size(); i++) {
            Pdml.Item it = pdml.get(i);
            if (it.name().equals("http2.header") && it.pos() == pos && it.size() == header.length()) {
                at = i;
                break;
            }
        }
        for (Field c : header.children()) {
            if (!DECOMPRESSED.contains(c.name())) {
                continue;
            }
            if (at < 0) {
                mismatches.add(where + ": " + c.name() + " '" + c.value() + "': tshark has no http2.header at " + pos);
                continue;
            }
            String show = null;
            for (int i = at + 1; i < pdml.size() && !pdml.get(i).name().equals("http2.header")
                    && !pdml.get(i).name().equals("http2.stream"); i++) {
                if (pdml.get(i).name().equals(c.name())) {
                    show = pdml.get(i).show();
                    hit.put(pdml.get(i), true);
                    break;
                }
            }
            if (show == null || !norm(show).equals(norm(c.value()))) {
                mismatches.add(where + ": " + c.name() + " of the header at " + pos + " is '" + c.value()
                        + "'; tshark shows " + show);
            } else {
                matched++;
                decompressed++;
                matchedByName.merge(c.name(), 1, Integer::sum);
            }
        }
    }

    private static String child(Field f, String name) {
        return f.children().stream().filter(c -> c.name().equals(name)).map(Field::value).findFirst().orElse(null);
    }

    private static int count(Field f) {
        return 1 + f.children().stream().mapToInt(PdmlComparison::count).sum();
    }

    private void compare(List<Pdml.Item> pdml, Field f, int pos, String where) {
        if (OURS.contains(f.name())) {
            return;
        }
        List<Pdml.Item> named = pdml.stream().filter(i -> i.name().equals(f.name())).toList();
        if (named.isEmpty()) {
            absent++;
            absentNames.add(f.name());
            return;
        }
        List<Pdml.Item> same = named.stream().filter(i -> i.pos() == pos && i.size() == f.length()).toList();
        if (same.isEmpty() && f.name().equals("http2.data.data")
                && pdml.stream().anyMatch(i -> i.name().equals("http2.body.reassembled.data"))) {
            inReassembledBody++;
            return;
        }
        if (same.isEmpty()) {
            mismatches.add(where + ": " + f.name() + " at " + pos + "+" + f.length() + " = "
                    + (f.value().length() > 80 ? f.value().substring(0, 80) + "..." : f.value())
                    + "; tshark has " + named.stream().map(i -> i.pos() + "+" + i.size() + " = "
                            + (i.show().length() > 80 ? i.show().substring(0, 80) + "..." : i.show())).toList());
            return;
        }
        boolean valueOk = same.stream().anyMatch(i -> i.show().isEmpty() || norm(i.show()).equals(norm(f.value())));
        if (!valueOk) {
            mismatches.add(where + ": " + f.name() + " at " + pos + " value '" + f.value() + "'; tshark shows "
                    + same.stream().map(Pdml.Item::show).toList());
            return;
        }
        matched++;
        matchedByName.merge(f.name(), 1, Integer::sum);
        same.forEach(i -> hit.put(i, true));
    }

    /** XML attribute normalization turns CR/LF/TAB into spaces; our values write CR LF as \r \n. */
    static String norm(String s) {
        return s.replace("\\r", "").replace("\\n", " ").replace("\r", "").replace("\n", " ").replace("\t", " ");
    }

    String summary() {
        return matched + " fields equal to tshark's (" + matchedByName + "), " + absent + " not in PDML "
                + absentNames + ", " + reassembled + " not compared, " + spanning + " compared in PDUs spanning segments, " + unmasked
                + " compared in unmasked data, " + (decompressed > 0 ? decompressed + " HPACK names/values compared by value, " : "")
                + (inReassembledBody > 0 ? inReassembledBody + " DATA payloads tshark shows only in a reassembled body (not compared), " : "")
                + mismatches.size() + " mismatches";
    }
}

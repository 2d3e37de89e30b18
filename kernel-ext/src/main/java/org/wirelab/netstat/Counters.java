package org.wirelab.netstat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * One group of the kernel's network counters, as {@code nstat} and {@code netstat -s} read them:
 * {@code /proc/net/snmp} and {@code /proc/net/netstat} print each group as a line of names under a
 * prefix such as {@code Udp:} and a line of values under the same prefix. The counters cover the
 * whole network namespace, so other programs add to them too; {@link #minus} gives what changed.
 *
 * <pre>{@code
 * Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors ...
 * Udp: 1367 0 0 1832 0 0 ...
 *
 * var before = Counters.udp();
 * // ... send to a receiver whose buffer is full ...
 * Counters.udp().minus(before)      // Udp: InDatagrams +6, OutDatagrams +1000, RcvbufErrors +994
 * }</pre>
 */
public final class Counters {

    private static final Path SNMP = Path.of("/proc/net/snmp");
    private static final Path NETSTAT = Path.of("/proc/net/netstat");

    private final String group;
    private final Map<String, Long> values;
    private final boolean delta;

    private Counters(String group, Map<String, Long> values, boolean delta) {
        this.group = group;
        this.values = values;
        this.delta = delta;
    }

    /** The {@code Udp:} counters of {@code /proc/net/snmp} now (RFC 4113's UDP-MIB plus Linux's own). */
    public static Counters udp() {
        return read(SNMP, "Udp");
    }

    /** The {@code TcpExt:} counters of {@code /proc/net/netstat} now, e.g. {@code ListenOverflows}. */
    public static Counters tcpExt() {
        return read(NETSTAT, "TcpExt");
    }

    static Counters read(Path file, String group) {
        try {
            return parse(Files.readAllLines(file), group).orElseThrow(
                    () -> new IllegalStateException("no " + group + ": lines in " + file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (Linux's network counters): " + e.getMessage(), e);
        }
    }

    /** The group named {@code group} in lines of the {@code /proc/net/snmp} form; empty when absent. */
    public static Optional<Counters> parse(List<String> lines, String group) {
        String prefix = group + ":";
        for (int i = 0; i + 1 < lines.size(); i++) {
            String[] names = lines.get(i).trim().split("\\s+");
            String[] numbers = lines.get(i + 1).trim().split("\\s+");
            if (names[0].equals(prefix) && numbers[0].equals(prefix) && names.length == numbers.length
                    && !names[1].matches("-?\\d+")) {
                Map<String, Long> values = new LinkedHashMap<>();
                for (int k = 1; k < names.length; k++) {
                    values.put(names[k], Long.parseLong(numbers[k]));
                }
                return Optional.of(new Counters(group, values, false));
            }
        }
        return Optional.empty();
    }

    /** One counter, e.g. {@code get("RcvbufErrors")}. */
    public long get(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no counter " + name + " in " + group + ": " + values.keySet());
        }
        return v;
    }

    /** What changed since {@code before}: each counter minus its earlier value. */
    public Counters minus(Counters before) {
        Map<String, Long> d = new LinkedHashMap<>();
        values.forEach((name, v) -> d.put(name, v - before.values.getOrDefault(name, 0L)));
        return new Counters(group, d, true);
    }

    /**
     * {@code Udp: InDatagrams +6, RcvbufErrors +994} for a difference (counters that did not change
     * are left out), {@code Udp: InDatagrams 1367, NoPorts 0, ...} for a reading.
     */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", group + ": ", "");
        values.forEach((name, v) -> {
            if (!delta) {
                out.add(name + " " + v);
            } else if (v != 0) {
                out.add(name + " " + (v > 0 ? "+" : "") + v);
            }
        });
        return delta && out.length() == group.length() + 2 ? group + ": no change" : out.toString();
    }
}

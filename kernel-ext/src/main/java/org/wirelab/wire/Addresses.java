package org.wirelab.wire;

import java.net.InetSocketAddress;

/**
 * IP addresses as text the way Wireshark and RFC 5952 write them: IPv4 dotted decimal, IPv6 in
 * lower-case hex groups with the longest run of two or more zero groups (the first of equal runs)
 * written {@code ::}; a socket address puts an IPv6 address in brackets before the port.
 *
 * <pre>
 *   00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   ::1
 *   20 01 0d b8 00 00 00 00 00 01 00 00 00 00 00 01   2001:db8::1:0:0:1
 * </pre>
 */
public final class Addresses {

    private Addresses() {
    }

    /** The address in {@code len} (4 or 16) bytes from {@code off}, e.g. {@code 127.0.0.1} or {@code ::1}. */
    public static String text(byte[] b, int off, int len) {
        if (len == 4) {
            return Bytes.u8(b, off) + "." + Bytes.u8(b, off + 1) + "." + Bytes.u8(b, off + 2) + "." + Bytes.u8(b, off + 3);
        }
        if (len != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + len);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = Bytes.u16(b, off + 2 * i);
        }
        // RFC 5952 §4.2: shorten the longest run of two or more zero groups, the first if tied.
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** The whole array as an address, e.g. {@code text(InetAddress.getLoopbackAddress().getAddress())}. */
    public static String text(byte[] address) {
        return text(address, 0, address.length);
    }

    /** {@code 127.0.0.1:8080} or {@code [::1]:8080}. */
    public static String text(InetSocketAddress a) {
        String host = text(a.getAddress().getAddress());
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}

package org.wirelab.tap;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The bytes of one direction of one connection, bounded by a cap: the first {@code cap / 2} bytes
 * (head) and the last {@code cap - cap / 2} bytes (tail) are kept, everything between is counted
 * and dropped. Not thread-safe: the owning {@link Link} synchronizes.
 */
final class StreamLog {

    private final int headCap;
    private final int tailCap;
    private byte[] head = new byte[0];
    private int headLen;
    private byte[] tail = new byte[0];
    // tail is linear while tailLen < tailCap, then circular starting at tailStart
    private int tailLen;
    private int tailStart;
    private long total;

    StreamLog(long cap) {
        if (cap < 2 || cap > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cap must be between 2 bytes and 2 GiB, was " + cap);
        }
        this.headCap = (int) (cap / 2);
        this.tailCap = (int) (cap - cap / 2);
    }

    /**
     * Appends {@code len} bytes of {@code src} from {@code off} (its reader index is left alone),
     * copying only the bytes the cap keeps: past the head, a long write copies just its last
     * {@code tailCap} bytes.
     */
    void append(ByteBuf src, int off, int len) {
        total += len;
        int toHead = Math.min(len, headCap - headLen);
        if (toHead > 0) {
            head = grow(head, headLen + toHead, headCap);
            src.getBytes(off, head, headLen, toHead);
            headLen += toHead;
            off += toHead;
            len -= toHead;
        }
        if (len == 0) {
            return;
        }
        if (len >= tailCap) {
            // the write alone fills the tail: keep its last tailCap bytes
            tail = grow(tail, tailCap, tailCap);
            src.getBytes(off + len - tailCap, tail, 0, tailCap);
            tailLen = tailCap;
            tailStart = 0;
            return;
        }
        if (tailLen < tailCap) {
            int linear = Math.min(len, tailCap - tailLen);
            tail = grow(tail, tailLen + linear, tailCap);
            src.getBytes(off, tail, tailLen, linear);
            tailLen += linear;
            off += linear;
            len -= linear;
        }
        while (len > 0) {
            int n = Math.min(len, tailCap - tailStart);
            src.getBytes(off, tail, tailStart, n);
            tailStart = (tailStart + n) % tailCap;
            off += n;
            len -= n;
        }
    }

    private static byte[] grow(byte[] a, int need, int max) {
        if (a.length >= need) {
            return a;
        }
        return Arrays.copyOf(a, (int) Math.min(max, Math.max(need, Math.max(256L, a.length * 2L))));
    }

    long total() {
        return total;
    }

    /** Offset of the first dropped byte; equal to {@link #dropTo()} when nothing was dropped. */
    long dropFrom() {
        return headLen;
    }

    /** Offset after the last dropped byte, i.e. where the kept tail starts. */
    long dropTo() {
        return total - tailLen;
    }

    long dropped() {
        return dropTo() - dropFrom();
    }

    byte[] headCopy() {
        return Arrays.copyOf(head, headLen);
    }

    byte[] tailCopy() {
        byte[] out = new byte[tailLen];
        if (tailLen < tailCap) {
            System.arraycopy(tail, 0, out, 0, tailLen);
        } else {
            int first = tailCap - tailStart;
            System.arraycopy(tail, tailStart, out, 0, first);
            System.arraycopy(tail, 0, out, first, tailStart);
        }
        return out;
    }
}

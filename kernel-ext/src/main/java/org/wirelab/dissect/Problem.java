package org.wirelab.dissect;

/**
 * A region of bytes that did not parse, with the reason in protocol terms.
 *
 * @param offset  first byte of the region, e.g. {@code 14}
 * @param length  bytes in the region; {@code 0} when the input simply ended too early
 * @param message what is wrong, e.g. {@code "truncated: payload length 126 needs 2 more bytes"}
 */
public record Problem(int offset, int length, String message) {
}

/**
 * Wire primitives, the bottom of wirelab: big-endian reads ({@link org.wirelab.wire.Bytes}), the
 * one hex dump ({@link org.wirelab.wire.Hex}), the one escape rule
 * ({@link org.wirelab.wire.Printable}), RFC 5952 address text ({@link org.wirelab.wire.Addresses}),
 * TCP flags, assigned numbers, where an HTTP head ends, the streaming pcap/pcapng reader and the
 * {@link org.wirelab.wire.Direction} of a connection. Every other package uses these; this one
 * uses only the JDK.
 *
 * <pre>{@code
 * Addresses.text(HexFormat.of().parseHex("00000000000000000000000000000001"))   // "::1"
 * }</pre>
 */
package org.wirelab.wire;

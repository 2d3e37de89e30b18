/**
 * A recording TCP proxy between a client and a server on loopback: every byte in each
 * {@link org.wirelab.wire.Direction}, every connect and close, with the time it crossed the tap,
 * optionally shaped (delay, rate) and written as a pcap.
 *
 * <pre>{@code
 * var tap = Tap.to("127.0.0.1", server.port());   // clients connect to tap.port(); tap.recording() shows the bytes
 * }</pre>
 */
package org.wirelab.tap;

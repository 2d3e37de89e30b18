/**
 * {@code java -jar kernel-ext.jar COMMAND}: {@code tap} records a connection through a proxy into
 * a pcap, {@code dissect} prints the fields of a capture file (text or streamed JSON).
 *
 * <pre>{@code
 * java -Xmx256m -jar kernel-ext.jar dissect capture.pcap --json > fields.json
 * }</pre>
 */
package org.wirelab.cli;

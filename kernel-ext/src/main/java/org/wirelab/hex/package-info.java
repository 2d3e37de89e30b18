/**
 * Byte views: a hex dump coloured by the fields of a dissection, a conversation shown as the
 * bytes each side sent, and a message as its field tree above its bytes.
 *
 * <pre>{@code
 * HexView.of(Dissect.http("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes()))
 * }</pre>
 */
package org.wirelab.hex;

/**
 * UDP on loopback: an echo server and a relay that drops, delays or duplicates datagrams, so a
 * reader sees what TCP would have repaired.
 *
 * <pre>{@code
 * var echo = UdpEchoServer.start();   // every datagram sent to echo.port() comes back
 * }</pre>
 */
package org.wirelab.udp;

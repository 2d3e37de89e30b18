/**
 * TCP as the kernel sees it: an echo server, the socket states of {@code /proc/net/tcp} sampled
 * over time (RFC 9293's state names), and a listen backlog that fills up.
 *
 * <pre>{@code
 * var watch = TcpStates.watch(Duration.ofMillis(10), 8080);   // connect, close; watch.stop() lists each change
 * }</pre>
 */
package org.wirelab.tcp;

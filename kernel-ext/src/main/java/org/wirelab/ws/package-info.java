/**
 * A WebSocket demo server on Netty (RFC 6455): the upgrade handshake, text, binary, ping and
 * close frames, and an inbox of what each client sent.
 *
 * <pre>{@code
 * var server = WebSocketDemoServer.start();   // ws://127.0.0.1:<port>/ws
 * }</pre>
 */
package org.wirelab.ws;

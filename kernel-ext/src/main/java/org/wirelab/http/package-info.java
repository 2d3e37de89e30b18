/**
 * An HTTP/1.0 and HTTP/1.1 demo origin server on Netty (keep-alive, chunked coding, long polling,
 * server-sent events) that records every request as it arrived on the wire.
 *
 * <pre>{@code
 * var server = HttpDemoServer.start();   // GET http://127.0.0.1:<port>/chunked
 * }</pre>
 */
package org.wirelab.http;

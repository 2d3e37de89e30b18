/**
 * HTTP/2 on the wire (RFC 9113, RFC 7541): a cleartext (h2c) demo server on Netty's codec-http2
 * that takes both the connection preface ("prior knowledge") and the HTTP/1.1 {@code Upgrade: h2c}
 * path, and answers each stream on its own, so that a slow response never holds back a fast one. Its
 * routes are those of {@code org.wirelab.http.HttpDemoServer} in HTTP/2 terms, and {@code /chunked/{ms}}
 * drips a response in DATA frames over time.
 *
 * <pre>{@code
 * var server = Http2DemoServer.start();   // curl --http2-prior-knowledge http://127.0.0.1:<port>/delay/300
 * }</pre>
 */
package org.wirelab.http2;

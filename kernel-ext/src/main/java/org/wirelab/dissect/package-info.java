/**
 * Dissectors that name every field as Wireshark's display filters do, with exact byte offsets:
 * one packet from the link layer to TCP/UDP, HTTP/1.x messages, WebSocket frames, HTTP/2 frames with
 * HPACK-decoded header blocks, and whole capture files with their TCP streams reassembled. No dissector throws on bad input: what does not parse
 * is a {@link org.wirelab.dissect.Problem}.
 *
 * <pre>{@code
 * Dissect.websocket(HexFormat.of().parseHex("810548656c6c6f")).value("websocket.payload.text")   // "Hello"
 * Dissect.http2(connection.stream(Direction.CLIENT_TO_SERVER)).headerBlocks()                      // HPACK, per block
 * }</pre>
 */
package org.wirelab.dissect;

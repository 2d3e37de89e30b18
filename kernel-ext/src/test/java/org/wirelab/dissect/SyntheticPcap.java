package org.wirelab.dissect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

/** Small capture files built byte by byte for tests: one record per packet, classic pcap, little endian. */
public final class SyntheticPcap {

    private SyntheticPcap() {
    }

    /** A classic little-endian pcap with link type {@code linkType} holding {@code packets}. */
    public static byte[] of(int linkType, List<byte[]> packets) {
        int size = 24 + packets.stream().mapToInt(p -> 16 + p.length).sum();
        ByteBuffer f = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        f.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(linkType);
        int t = 0;
        for (byte[] p : packets) {
            f.putInt(1_700_000_000 + t++).putInt(0).putInt(p.length).putInt(p.length).put(p);
        }
        return f.array();
    }

    /** An Ethernet + IPv4 + TCP packet 127.0.0.1:40000 -> 127.0.0.1:8080 (PSH, ACK) carrying {@code payload}. */
    public static byte[] tcp(long seq, long ack, byte[] payload, boolean toServer) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20 + payload.length);
        b.put(HexFormat.of().parseHex("000000000000000000000000")).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payload.length)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0)
                .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
        b.putShort((short) (toServer ? 40000 : 8080)).putShort((short) (toServer ? 8080 : 40000))
                .putInt((int) seq).putInt((int) ack).putShort((short) 0x5018).putShort((short) 65535)
                .putShort((short) 0).putShort((short) 0).put(payload);
        return b.array();
    }

    /** The upgrade request of {@link #httpExchange()}. */
    public static final String REQUEST = "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    /** A request and its response over one connection (no handshake): two packets. */
    public static byte[] httpExchange() {
        byte[] req = REQUEST.getBytes();
        byte[] resp = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n".getBytes();
        byte[] frame = HexFormat.of().parseHex("818537fa213d7f9f4d5158");
        byte[] echo = HexFormat.of().parseHex("810548656c6c6f");
        return of(1, List.of(tcp(1000, 5000, req, true), tcp(5000, 1000 + req.length, resp, false),
                tcp(1000 + req.length, 5000 + resp.length, frame, true),
                tcp(5000 + resp.length, 1000 + req.length + frame.length, echo, false)));
    }
}

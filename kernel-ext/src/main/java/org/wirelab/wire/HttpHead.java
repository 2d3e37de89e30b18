package org.wirelab.wire;

/**
 * Where an HTTP/1.x head is in a byte stream (RFC 9112 §2.1): a start line that looks like a
 * request ({@code METHOD SP}) or a status line ({@code HTTP/}), and the blank line that ends the
 * head; after a {@code 101} the next protocol (WebSocket frames) starts there.
 *
 * <pre>
 *   47 45 54 20 2f 20 ...                  "GET / ..."     starts like HTTP
 *   ... 0d 0a 0d 0a 81 05 48 65 6c 6c 6f   CRLF CRLF, then a WebSocket frame at endOfHead
 * </pre>
 */
public final class HttpHead {

    private HttpHead() {
    }

    /**
     * Whether the bytes start like an HTTP/1.x message: {@code HTTP/} or an upper-case method token
     * followed by a space within 24 bytes, e.g. {@code GET /} or {@code OPTIONS *}.
     */
    public static boolean startsLikeHttp(byte[] b) {
        for (int i = 0; i < Math.min(b.length, 24); i++) {
            if (b[i] == ' ') {
                return i > 0;
            }
            if (b[i] < 'A' || b[i] > 'Z') {
                return i == 4 && b.length > 5 && b[4] == '/' && b[0] == 'H' && b[1] == 'T' && b[2] == 'T' && b[3] == 'P';
            }
        }
        return false;
    }

    /** The offset just past the first CRLF CRLF, or -1 when the head has not ended. */
    public static int endOfHead(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }
}

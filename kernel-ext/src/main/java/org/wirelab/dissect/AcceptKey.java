package org.wirelab.dissect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.wirelab.display.Html;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;

/**
 * Sec-WebSocket-Key to Sec-WebSocket-Accept, RFC 6455 §4.2.2 step 5 and §1.3:
 *
 * <pre>
 *   key       dGhlIHNhbXBsZSBub25jZQ==
 *   + GUID    dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11
 *   SHA-1     b37a4f2cc0624f1690f64606cf385945b2bec4ea
 *   base64    s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
 * </pre>
 *
 * @param key          the client's Sec-WebSocket-Key, e.g. {@code "dGhlIHNhbXBsZSBub25jZQ=="}
 * @param concatenated key followed by the GUID
 * @param sha1Hex      SHA-1 of the concatenation as 40 hex digits
 * @param accept       base64 of the 20-byte digest, e.g. {@code "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}
 */
public record AcceptKey(String key, String concatenated, String sha1Hex, String accept) implements Rich {

    /** The GUID every server appends, RFC 6455 §1.3. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The derivation for {@code key}; the key is used exactly as given (no trimming). */
    public static AcceptKey of(String key) {
        String concatenated = key + GUID;
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-1").digest(concatenated.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
        return new AcceptKey(key, concatenated, HexFormat.of().formatHex(digest),
                Base64.getEncoder().encodeToString(digest));
    }

    private List<String[]> steps() {
        return List.of(new String[] {"Sec-WebSocket-Key", key},
                new String[] {"+ GUID", concatenated},
                new String[] {"SHA-1 (hex)", sha1Hex},
                new String[] {"base64 = Sec-WebSocket-Accept", accept});
    }

    /** The four steps as an aligned text table. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (String[] s : steps()) {
            out.append(String.format("%-30s %s%n", s[0], s[1]));
        }
        return out.toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<table><tr><th>step</th><th>value</th></tr>");
        for (String[] s : steps()) {
            html.append("<tr><td>").append(Html.escape(s[0])).append("</td><td><code>").append(Html.escape(s[1]))
                    .append("</code></td></tr>");
        }
        return MimeBundle.text(toString()).html(html.append("</table>").toString()).build();
    }
}

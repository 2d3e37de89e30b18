package org.wirelab.hex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.dissect.Dissection;
import org.wirelab.dissect.Field;

class MessageViewTest {

    @Test
    void treeSitsBesideTheBytes() {
        String html = (String) MessageView.of(Frames.maskedHello()).mimeBundle().get(MimeBundle.HTML);
        int tree = html.indexOf("<details open><summary class=\"wl-t0\" title=\"bytes 0-10\"><span class=\"wl-name\">websocket</span>: "
                + "WebSocket Text [FIN] [MASKED]</summary>");
        int hex = html.indexOf("<div class=\"wl-hex\"");
        assertTrue(tree > 0 && hex > tree, html);
        assertTrue(html.contains("<div class=\"wl-t7\" style=\"margin-left:1.2em\" title=\"bytes 2-5\"><span class=\"wl-swatch wl-f5\" "
                + "style=\"background-color:rgba(0,191,191,0.38)\">&#160;&#160;</span> "
                + "<span class=\"wl-name\">websocket.masking_key</span>: 37fa213d</div>"), html);
        // the same colour marks the key's bytes in the hex half
        // pointing at the tree line (wl-t7) outlines the bytes that carry wl-h7
        assertTrue(html.contains("<span class=\"wl-b wl-f5 wl-h7 wl-h0\" style=\"background-color:rgba(0,191,191,0.38)\" "
                + "title=\"websocket.masking_key = 37fa213d (bytes 2-5)\">37 fa 21 3d</span>"), html);
        assertEquals(List.of("81", "85", "37", "fa", "21", "3d", "7f", "9f", "4d", "51", "58"), HexViewTest.hexPairs(html));
    }

    @Test
    void fieldsAreShownOnceByDefaultAndTheTableOnRequest() {
        String html = (String) MessageView.of(Frames.maskedHello()).mimeBundle().get(MimeBundle.HTML);
        assertEquals(1, html.split("websocket.masking_key", -1).length - 2, "tree line and the bytes' title only: " + html);
        assertTrue(!html.contains("wl-legend"), html);
        String table = (String) MessageView.of(Frames.maskedHello()).table().mimeBundle().get(MimeBundle.HTML);
        assertTrue(table.contains("<code>websocket.masking_key</code></td><td style=\"text-align:left;vertical-align:top;padding:0 4px\">"
                + "37fa213d</td><td style=\"text-align:left;vertical-align:top;padding:0 4px\">2-5</td>"), table);
    }

    @Test
    void aLongBodyIsFoldedInTheTextAndTheFullViewHasEveryRow() {
        byte[] b = new byte[2000];
        Dissection d = new Dissection("data", b, List.of(Field.of("data.data", 0, 2000, "2000 bytes")), List.of());
        String text = MessageView.of(d).toString();
        // 32 rows by default: 24 from the start, 8 from the end
        assertTrue(text.contains("00000170: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
                + "... 1488 bytes not shown (0x00000180-0x0000074f); MessageView.full() shows all\n"
                + "00000750: 0000"), text);
        assertTrue(text.endsWith("000007c0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"), text);
        assertTrue(MessageView.of(d).full().toString().contains("00000500: 0000"));
    }

    @Test
    void plainTextIsTheIndentedTreeThenTheDump() {
        assertEquals("""
                websocket
                  websocket: WebSocket Text [FIN] [MASKED]
                    websocket.flags: 0x81
                      websocket.fin: 1
                      websocket.rsv: 0x0
                      websocket.opcode: 1
                    websocket.mask: 1
                    websocket.payload_length: 5
                    websocket.masking_key: 37fa213d
                    websocket.masked_payload: 7f9f4d5158

                00000000: 8185 37fa 213d 7f9f 4d51 58              ..7.!=..MQX
                """, MessageView.of(Frames.maskedHello()).toString());
    }

    @Test
    void problemsAreListedInTheText() {
        assertTrue(MessageView.of(Frames.truncated()).toString()
                .contains("  problem at 2: truncated: payload length 126 needs 2 more bytes\n"));
    }

    @Test
    void noOutputExceeds45KB() {
        byte[] big = new byte[300_000];
        List<Field> many = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            many.add(Field.of("data.byte" + i, i * 10, 10, "<b>" + i + "</b>"));
        }
        Dissection d = new Dissection("data", big, many, List.of());
        for (Object o : MessageView.of(d).mimeBundle().values()) {
            assertTrue(o.toString().getBytes(StandardCharsets.UTF_8).length <= 45_000);
        }
        String html = (String) MessageView.of(d).mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.contains(" more fields</div>"));
        assertTrue(!html.contains("<b>1</b>"));
    }
}

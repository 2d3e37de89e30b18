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
        int tree = html.indexOf("<details open><summary title=\"bytes 0-10\"><span class=\"wl-name\">websocket</span>: "
                + "WebSocket Text [FIN] [MASKED]</summary>");
        int hex = html.indexOf("<div class=\"wl-hex\"");
        assertTrue(tree > 0 && hex > tree, html);
        assertTrue(html.contains("<div style=\"margin-left:1.2em\" title=\"bytes 2-5\"><span class=\"wl-swatch wl-f5\" "
                + "style=\"background-color:rgba(0,191,191,0.38)\">&#160;&#160;</span> "
                + "<span class=\"wl-name\">websocket.masking_key</span>: 37fa213d</div>"), html);
        // the same colour marks the key's bytes in the hex half
        assertTrue(html.contains("<span class=\"wl-b wl-f5\" style=\"background-color:rgba(0,191,191,0.38)\" "
                + "title=\"websocket.masking_key = 37fa213d (bytes 2-5)\">37 fa 21 3d</span>"), html);
        assertEquals(List.of("81", "85", "37", "fa", "21", "3d", "7f", "9f", "4d", "51", "58"), HexViewTest.hexPairs(html));
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
    void noOutputExceeds200KB() {
        byte[] big = new byte[300_000];
        List<Field> many = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            many.add(Field.of("data.byte" + i, i * 10, 10, "<b>" + i + "</b>"));
        }
        Dissection d = new Dissection("data", big, many, List.of());
        for (Object o : MessageView.of(d).mimeBundle().values()) {
            assertTrue(o.toString().getBytes(StandardCharsets.UTF_8).length <= 200_000);
        }
        String html = (String) MessageView.of(d).mimeBundle().get(MimeBundle.HTML);
        assertTrue(html.contains(" more fields</div>"));
        assertTrue(!html.contains("<b>1</b>"));
    }
}

package org.wirelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirelab.dissect.SyntheticPcap;
import org.wirelab.testing.Tools;

class DissectCommandTest {

    @TempDir
    Path dir;

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DissectCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void jsonListsPacketFieldsWithPacketOffsetsAndStreamFieldsWithStreamOffsets() throws Exception {
        Path pcap = Files.write(dir.resolve("upgrade.pcap"), SyntheticPcap.httpExchange());
        String[] r = run(pcap.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        String json = r[1];
        assertTrue(json.contains("{\"name\":\"tcp.srcport\",\"offset\":34,\"length\":2,\"value\":\"40000\",\"depth\":1}"), json);
        assertTrue(json.contains("{\"name\":\"http.request.method\",\"offset\":0,\"length\":3,\"value\":\"GET\",\"depth\":2}"), json);
        assertTrue(json.contains("{\"name\":\"http.request.line\",\"offset\":20,\"length\":22,\"value\":\"Host: 127.0.0.1:8080\\\\r\\\\n\",\"depth\":1}"), json);
        int frameAt = SyntheticPcap.REQUEST.length();
        assertTrue(json.contains("{\"name\":\"websocket.payload.text\",\"offset\":" + (frameAt + 6)
                + ",\"length\":5,\"value\":\"Hello\",\"depth\":2}"), json);
        Path python = Tools.require("python3");
        {
            Process p = new ProcessBuilder(python.toString(), "-m", "json.tool").redirectErrorStream(true).start();
            p.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "python -m json.tool rejects the output: " + said);
        }
    }

    @Test
    void textFormListsEveryFrameAndStream() throws Exception {
        Path pcap = Files.write(dir.resolve("upgrade.pcap"), SyntheticPcap.httpExchange());
        String[] r = run(pcap.toString());
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("frame 4, 61 bytes"), r[1]);
        assertTrue(r[1].contains("websocket.payload.text"), r[1]);
    }

    @Test
    void missingFileIsAnErrorNotAStackTrace() {
        String[] r = run(dir.resolve("nope.pcap").toString());
        assertEquals("1", r[0]);
        assertEquals("wirelab dissect: cannot read " + dir.resolve("nope.pcap") + "\n", r[2]);
        assertEquals("2", run()[0]);
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControls() {
        assertEquals("\"a\\\"b\\\\c\\r\\n\\u0001\"", DissectCommand.str("a\"b\\c\r\n\u0001"));
    }
}

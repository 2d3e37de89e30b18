package org.wirelab.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Notebooks that fit a reader's screen and a repository browser: no single output over
 * {@value #MAX_OUTPUT} bytes, measured as the output's JSON as nbformat stores it
 * ({@code json.dumps(output, indent=1, ensure_ascii=False)}, UTF-8), and no notebook file over
 * {@value #MAX_NOTEBOOK} bytes. Reads the committed files only; no kernel runs.
 *
 * <p>{@code -Dwirelab.sizes.dir=/tmp/nbcheck-wt-views} measures executed copies elsewhere by the
 * same rule, e.g. {@code ./mvnw -q -pl notebook-tests test -Dtest=NotebookSizeTest -Dwirelab.sizes.dir=...}.
 */
class NotebookSizeTest {

    static final int MAX_OUTPUT = 100_000;
    static final int MAX_NOTEBOOK = 300_000;

    @TestFactory
    Stream<DynamicTest> everyOutputAndNotebookFitsTheLimits() throws IOException {
        Path dir = Path.of(System.getProperty("wirelab.sizes.dir", NotebooksTest.NOTEBOOKS.toString()));
        List<Path> notebooks = NotebooksTest.Notebooks.list(dir);
        assertFalse(notebooks.isEmpty(), "no notebooks in " + dir);
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            List<String> over = oversized(nb);
            assertEquals(List.of(), over, nb.getFileName() + " is over the size limits");
        }));
    }

    /** One line per limit {@code nb} exceeds, naming the notebook, the cell index (from 0) and the size. */
    static List<String> oversized(Path nb) throws IOException {
        List<String> out = new ArrayList<>();
        long file = Files.size(nb);
        String name = nb.getFileName().toString();
        if (file > MAX_NOTEBOOK) {
            out.add(name + ": " + file + " bytes on disk, over " + MAX_NOTEBOOK);
        }
        JsonNode json = NotebooksTest.JSON.readTree(nb.toFile());
        int index = 0;
        for (JsonNode cell : json.path("cells")) {
            int k = 0;
            for (JsonNode output : cell.path("outputs")) {
                int size = size(output);
                if (size > MAX_OUTPUT) {
                    out.add(name + " cell " + index + " output " + k + " (" + kinds(output) + "): " + size
                            + " bytes, over " + MAX_OUTPUT);
                }
                k++;
            }
            index++;
        }
        return out;
    }

    private static String kinds(JsonNode output) {
        List<String> names = new ArrayList<>();
        output.path("data").fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? output.path("output_type").asText() : String.join(",", names);
    }

    /** UTF-8 bytes of {@code node} written as Python's {@code json.dumps(node, indent=1, ensure_ascii=False)}. */
    static int size(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, 0, out);
        return out.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void write(JsonNode node, int depth, StringBuilder out) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                out.append(first ? "" : ",").append('\n').append(" ".repeat(depth + 1));
                string(f.getKey(), out);
                out.append(": ");
                write(f.getValue(), depth + 1, out);
                first = false;
            }
            out.append('\n').append(" ".repeat(depth)).append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (JsonNode item : node) {
                out.append(first ? "" : ",").append('\n').append(" ".repeat(depth + 1));
                write(item, depth + 1, out);
                first = false;
            }
            out.append('\n').append(" ".repeat(depth)).append(']');
        } else if (node.isTextual()) {
            string(node.asText(), out);
        } else {
            out.append(node.toString());
        }
    }

    // Python's json string escapes with ensure_ascii=False: quote, backslash, and control characters.
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Test
    void sizeIsWhatPythonsJsonDumpsWrites() throws IOException {
        // python3 -c 'import json; print(len(json.dumps({"data": {"text/plain": ["a\"b\n", "é"]}, "x": [], "n": 3},
        //   indent=1, ensure_ascii=False).encode()))'  ->  79
        JsonNode output = NotebooksTest.JSON.readTree("{\"data\": {\"text/plain\": [\"a\\\"b\\n\", \"é\"]}, \"x\": [], \"n\": 3}");
        assertEquals(79, size(output));
    }
}

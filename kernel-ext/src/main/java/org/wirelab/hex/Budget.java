package org.wirelab.hex;

import java.nio.charset.StandardCharsets;

/** The size limit of one output: no MIME entry of a view exceeds {@link #MAX_OUTPUT} bytes. */
final class Budget {

    /** 45 KB, so that text/plain and text/html of one output stay under 100 KB as a notebook stores them; counted in UTF-8 bytes of one MIME entry. */
    static final int MAX_OUTPUT = 45_000;

    private Budget() {
    }

    /** UTF-8 size of {@code s}. */
    static int size(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** Cuts {@code s} so that it fits, ending with a note; for plain text only. */
    static String clipText(String s) {
        if (size(s) <= MAX_OUTPUT) {
            return s;
        }
        String note = "\n... output cut at " + MAX_OUTPUT + " bytes\n";
        int keep = MAX_OUTPUT / 3 - note.length();
        String cut = s.substring(0, keep);
        while (size(cut) + note.length() > MAX_OUTPUT) {
            cut = cut.substring(0, cut.length() / 2);
        }
        return cut + note;
    }
}

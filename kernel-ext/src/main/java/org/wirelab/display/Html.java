package org.wirelab.display;

/** HTML helpers shared by the views: escaping, and the class prefix {@code wl-} of every view. */
public final class Html {

    private Html() {
    }

    /** Escapes text for an element body or a quoted attribute: {@code a<b} becomes {@code a&lt;b}. */
    public static String escape(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

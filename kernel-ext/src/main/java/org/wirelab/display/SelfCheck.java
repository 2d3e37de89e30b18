package org.wirelab.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The self-checks at the end of a notebook: each claim prints a pass mark, and the first claim
 * that does not hold throws, so its cell ends in an error naming the claim and the notebook test
 * fails.
 *
 * <pre>{@code
 * SelfCheck.of("the 101 arrives on the same connection", tap.recording().connections().size() == 1)
 *          .and("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", accept)
 * }</pre>
 */
public final class SelfCheck implements Rich {

    /** The mark printed before a claim that holds: {@value}. */
    public static final String PASS = "✔";

    private final List<String> passed = new ArrayList<>();

    private SelfCheck() {
    }

    /** Checks a first claim; throws {@link AssertionError} naming it when {@code holds} is false. */
    public static SelfCheck of(String claim, boolean holds) {
        return new SelfCheck().and(claim, holds);
    }

    /** Checks that {@code actual} equals {@code expected}, e.g. a status code or a header value. */
    public static SelfCheck of(String claim, Object expected, Object actual) {
        return new SelfCheck().and(claim, expected, actual);
    }

    /** Checks one more claim. */
    public SelfCheck and(String claim, boolean holds) {
        if (!holds) {
            throw new AssertionError("self-check failed: " + claim);
        }
        passed.add(claim);
        return this;
    }

    /** Checks that {@code actual} equals {@code expected}. */
    public SelfCheck and(String claim, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError("self-check failed: " + claim + ": expected " + expected + " but was " + actual);
        }
        passed.add(claim + " (" + actual + ")");
        return this;
    }

    /** The claims that held, in order. */
    public List<String> passed() {
        return List.copyOf(passed);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<ul class=\"wl-selfcheck\">");
        for (String claim : passed) {
            html.append("<li><span class=\"wl-pass\">").append(PASS).append("</span> ")
                    .append(Html.escape(claim)).append("</li>");
        }
        html.append("</ul>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (String claim : passed) {
            out.append(PASS).append(' ').append(claim).append('\n');
        }
        return out.toString();
    }
}

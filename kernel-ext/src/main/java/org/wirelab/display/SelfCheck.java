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

    /** The words printed before a claim this run could not check: {@value}. */
    public static final String NOT_CHECKED = "not checked here:";

    private final List<String> passed = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

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
        lines.add(PASS + " " + claim);
        return this;
    }

    /** Checks that {@code actual} equals {@code expected}. */
    public SelfCheck and(String claim, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError("self-check failed: " + claim + ": expected " + expected + " but was " + actual);
        }
        passed.add(claim + " (" + actual + ")");
        lines.add(PASS + " " + claim + " (" + actual + ")");
        return this;
    }

    /**
     * Records a first claim this run cannot check, e.g. {@code notChecked("tshark flags the
     * retransmissions", "tshark is not installed; install tshark and run the cell again")}: printed
     * as {@value #NOT_CHECKED} with the reason, never as a pass.
     */
    public static SelfCheck notChecked(String claim, String why) {
        return new SelfCheck().andNotChecked(claim, why);
    }

    /** Records one more claim this run cannot check, with why and how to get it checked. */
    public SelfCheck andNotChecked(String claim, String why) {
        lines.add(NOT_CHECKED + " " + claim + ": " + why);
        return this;
    }

    /** The claims that held, in order. */
    public List<String> passed() {
        return List.copyOf(passed);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<ul class=\"wl-selfcheck\">");
        for (String line : lines) {
            boolean pass = line.startsWith(PASS);
            String mark = pass ? PASS : NOT_CHECKED;
            html.append("<li><span class=\"").append(pass ? "wl-pass" : "wl-not-checked").append("\">")
                    .append(Html.escape(mark)).append("</span> ")
                    .append(Html.escape(line.substring(mark.length()).strip())).append("</li>");
        }
        html.append("</ul>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}

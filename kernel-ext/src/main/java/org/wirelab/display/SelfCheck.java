package org.wirelab.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The self-checks at the end of a notebook. Each claim has one of three outcomes, each printed
 * differently:
 * <ul>
 *   <li>{@value #PASS} it was checked here and holds;</li>
 *   <li>it does not hold: the check throws {@link AssertionError} naming the claim, so its cell
 *       ends in an error and the notebook test fails;</li>
 *   <li>{@value #NOT_CHECKED} "not checked here": what the check needs is missing (for example live
 *       packet capture), printed with the reason and how to get it checked. Such a claim never
 *       prints {@value #PASS}.</li>
 * </ul>
 *
 * <pre>{@code
 * SelfCheck.of("the 101 arrives on the same connection", 1, tap.recording().connections().size())
 *          .andWhen(Capture.available(), "the UDP header is 8 bytes", () -> udpHeaderLength() == 8)
 * }</pre>
 */
public final class SelfCheck implements Rich {

    /** The mark printed before a claim that was checked and holds: {@value}. */
    public static final String PASS = "✔";

    /** The mark printed before a claim that could not be checked here: {@value}. */
    public static final String NOT_CHECKED = "◌";

    /** One claim's outcome: {@code holds} is false when it was not checked here, with {@code note} saying why. */
    public record Outcome(String claim, boolean holds, String note) {

        /** {@code ✔ claim} or {@code ◌ not checked here: claim (why; how to get it checked)}. */
        @Override
        public String toString() {
            return holds ? PASS + " " + claim : NOT_CHECKED + " not checked here: " + claim + " (" + note + ")";
        }
    }

    private final List<Outcome> outcomes = new ArrayList<>();

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

    /**
     * Checks a first claim that needs {@code needs}, e.g. live capture; {@code holds} is only
     * evaluated when {@code needs.yes()}, else the claim is reported as not checked here.
     */
    public static SelfCheck when(Precondition needs, String claim, BooleanSupplier holds) {
        return new SelfCheck().andWhen(needs, claim, holds);
    }

    /** A first claim that cannot be checked here at all, with why and how to get it checked. */
    public static SelfCheck notChecked(String claim, String why) {
        return new SelfCheck().andNotChecked(claim, why);
    }

    /** Checks one more claim. */
    public SelfCheck and(String claim, boolean holds) {
        if (!holds) {
            throw new AssertionError("self-check failed: " + claim);
        }
        outcomes.add(new Outcome(claim, true, ""));
        return this;
    }

    /** Checks that {@code actual} equals {@code expected}. */
    public SelfCheck and(String claim, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError("self-check failed: " + claim + ": expected " + expected + " but was " + actual);
        }
        outcomes.add(new Outcome(claim + " (" + actual + ")", true, ""));
        return this;
    }

    /** Checks one more claim that needs {@code needs}; see {@link #when}. */
    public SelfCheck andWhen(Precondition needs, String claim, BooleanSupplier holds) {
        if (!needs.yes()) {
            return andNotChecked(claim, "needs what is missing here: " + needs.reason() + "; " + needs.remedy());
        }
        return and(claim, holds.getAsBoolean());
    }

    /** Checks that {@code actual} equals {@code expected} when {@code needs.yes()}; see {@link #when}. */
    public SelfCheck andWhen(Precondition needs, String claim, Object expected, Supplier<?> actual) {
        if (!needs.yes()) {
            return andNotChecked(claim, "needs what is missing here: " + needs.reason() + "; " + needs.remedy());
        }
        return and(claim, expected, actual.get());
    }

    /** One more claim that cannot be checked here, with why and how to get it checked. */
    public SelfCheck andNotChecked(String claim, String why) {
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("say why \"" + claim + "\" is not checked here, and how to get it checked");
        }
        outcomes.add(new Outcome(claim, false, why.strip()));
        return this;
    }

    /** The claims that were checked and hold, in order. */
    public List<String> passed() {
        return outcomes.stream().filter(Outcome::holds).map(Outcome::claim).toList();
    }

    /** The claims that were not checked here, in order. */
    public List<String> notChecked() {
        return outcomes.stream().filter(o -> !o.holds()).map(Outcome::claim).toList();
    }

    /** Every claim's outcome, in order. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<ul class=\"wl-selfcheck\">");
        for (Outcome o : outcomes) {
            if (o.holds()) {
                html.append("<li><span class=\"wl-pass\">").append(PASS).append("</span> ")
                        .append(Html.escape(o.claim())).append("</li>");
            } else {
                html.append("<li class=\"wl-unchecked\"><span class=\"wl-skip\">").append(NOT_CHECKED)
                        .append("</span> <em>not checked here:</em> ").append(Html.escape(o.claim()))
                        .append(" <small>(").append(Html.escape(o.note())).append(")</small></li>");
            }
        }
        html.append("</ul>");
        return MimeBundle.text(toString()).html(html.toString()).build();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Outcome o : outcomes) {
            out.append(o).append('\n');
        }
        return out.toString();
    }
}

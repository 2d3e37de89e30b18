package org.wirelab.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Tracks everything a notebook cell starts (servers, taps, captures, threads) so that running the
 * cell again replaces the previous instance and a kernel shutdown closes all of them.
 *
 * <p>A resource is keyed by the statement that created it: the same cell run twice closes the
 * first server before the second one binds, while two different statements keep two servers. In a
 * kernel, the adapter tells {@link #snippetSource(Function)} how to read a JShell snippet's source;
 * elsewhere the key is the calling class and line.
 *
 * <pre>{@code
 * var server = Lifecycle.track("echo", EchoServer.start());   // re-run: old one is closed first
 * }</pre>
 */
public final class Lifecycle {

    private static final Map<String, AutoCloseable> OPEN = new LinkedHashMap<>();
    private static final Map<String, String> STATEMENTS = new LinkedHashMap<>();
    private static final Map<String, AutoCloseable> SHARED = new LinkedHashMap<>();
    private static volatile Function<String, String> snippetSource = id -> null;
    private static volatile Duration timeout = Duration.ofSeconds(5);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Lifecycle::closeAll, "wirelab-shutdown"));
    }

    private Lifecycle() {
    }

    /**
     * Tracks {@code resource} under the calling statement plus {@code kind}; a resource tracked
     * earlier under the same key is closed first.
     */
    public static <T extends AutoCloseable> T track(String kind, T resource) {
        String[] site = callSite();
        String key = kind + "@" + site[0];
        trackKey(key, resource);
        synchronized (OPEN) {
            if (OPEN.get(key) == resource) {
                STATEMENTS.put(key, site[1]);
            }
        }
        return resource;
    }

    /**
     * Tracks a background activity of the notebook's own, e.g. a scheduled sender:
     * {@code Lifecycle.activity("heartbeats", beats::shutdownNow)}; it counts as active until it is
     * closed (a re-run of its cell, or the kernel stopping).
     */
    public static Activity activity(String kind, AutoCloseable stop) {
        Objects.requireNonNull(stop, "stop");
        Activity activity = new Activity() {
            private volatile boolean active = true;

            @Override
            public boolean active() {
                return active;
            }

            @Override
            public void close() throws Exception {
                active = false;
                untrack(this);
                stop.close();
            }

            @Override
            public String toString() {
                return kind + (active ? " (active)" : " (stopped)");
            }
        };
        return track(kind, activity);
    }

    /** One tracked resource: its kind, the statement that started it, and whether it is an active {@link Activity}. */
    public record Tracked(String kind, String statement, boolean active) {

        /** {@code tcp-watch | var watch = TcpStates.watch(Duration.ofMillis(2), echo.port()); | active}. */
        @Override
        public String toString() {
            return kind + " | " + statement.replaceAll("\\s+", " ").strip() + " | " + (active ? "active" : "idle");
        }
    }

    /**
     * What the notebook's cells have started and not yet closed, oldest first, e.g. a server as
     * {@code http-demo | var server = HttpDemoServer.start(); | idle} and a running sampler as
     * {@code tcp-watch | var watch = TcpStates.watch(...); | active}.
     */
    public static List<Tracked> open() {
        List<Tracked> out = new ArrayList<>();
        synchronized (OPEN) {
            for (Map.Entry<String, AutoCloseable> e : OPEN.entrySet()) {
                String key = e.getKey();
                String kind = key.contains("@") ? key.substring(0, key.indexOf('@')) : key;
                boolean active = e.getValue() instanceof Activity a && a.active();
                out.add(new Tracked(kind, STATEMENTS.getOrDefault(key, key), active));
            }
        }
        return out;
    }

    /**
     * Tracks {@code resource} as {@link #track(String, AutoCloseable)} does, then starts it with
     * {@code start} (e.g. binds its port); if starting fails the resource is closed and the error
     * passed on, so a failed start leaves nothing open.
     */
    public static <T extends AutoCloseable> T start(String kind, T resource, java.util.function.Consumer<T> start) {
        track(kind, resource);
        try {
            start.accept(resource);
        } catch (RuntimeException | Error e) {
            closeQuietly(resource);
            untrack(resource);
            throw e;
        }
        return resource;
    }

    /** Tracks {@code resource} under an explicit key, e.g. {@code "tap:8080"}, closing the previous one. */
    public static <T extends AutoCloseable> T trackKey(String key, T resource) {
        Objects.requireNonNull(resource, "resource");
        AutoCloseable previous;
        synchronized (OPEN) {
            previous = OPEN.remove(key);
            STATEMENTS.remove(key);
        }
        if (previous != null && previous != resource) {
            closeQuietly(previous);
        }
        synchronized (OPEN) {
            OPEN.put(key, resource);
        }
        return resource;
    }

    /** Forgets {@code resource} (it closed itself); a no-op when it is not tracked. */
    public static void untrack(AutoCloseable resource) {
        synchronized (OPEN) {
            OPEN.entrySet().removeIf(e -> {
                if (e.getValue() == resource) {
                    STATEMENTS.remove(e.getKey());
                    return true;
                }
                return false;
            });
        }
    }

    /**
     * Tracks {@code resource} as shared by everything cells start, e.g. the one Netty event-loop
     * group: no cell owns it, so re-running a cell leaves it alone and {@link #openCount()} does not
     * count it; {@link #closeAll()} closes it after everything that may use it. A shared resource
     * tracked earlier under the same key is closed first.
     */
    public static <T extends AutoCloseable> T shared(String key, T resource) {
        Objects.requireNonNull(resource, "resource");
        AutoCloseable previous;
        synchronized (OPEN) {
            previous = SHARED.put(key, resource);
        }
        if (previous != null && previous != resource) {
            closeQuietly(previous);
        }
        return resource;
    }

    /** Closes everything tracked, newest first, then the shared resources; called on kernel shutdown. */
    public static void closeAll() {
        List<AutoCloseable> all;
        synchronized (OPEN) {
            all = new ArrayList<>(SHARED.values());
            all.addAll(OPEN.values());
            OPEN.clear();
            STATEMENTS.clear();
            SHARED.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            closeQuietly(all.get(i));
        }
    }

    /** How many resources are open now, e.g. {@code 2}. */
    public static int openCount() {
        synchronized (OPEN) {
            return OPEN.size();
        }
    }

    /** The timeout of every blocking call in wirelab; default 5 seconds. */
    public static Duration timeout() {
        return timeout;
    }

    /** Sets the timeout of every blocking call, e.g. {@code Duration.ofSeconds(10)}. */
    public static void timeout(Duration value) {
        timeout = Settings.positive("timeout", value);
    }

    /** Installed by a kernel adapter: snippet id (as in {@code REPL.$JShell$12}) to its source. */
    public static void snippetSource(Function<String, String> lookup) {
        snippetSource = Objects.requireNonNull(lookup, "lookup");
    }

    // The first frame outside this library, Netty and the JDK is the notebook's statement:
    // {key, the statement's source (or the class and line outside a kernel)}.
    static String[] callSite() {
        StackWalker.StackFrame caller = WALKER.walk(frames -> frames.filter(f -> !isLibrary(f.getDeclaringClass()))
                .findFirst().orElse(null));
        if (caller == null) {
            return new String[] {"unknown", "unknown"};
        }
        String cls = caller.getClassName();
        String snippet = snippetId(cls);
        if (snippet != null) {
            String source = snippetSource.apply(snippet);
            if (source != null) {
                return new String[] {"snippet:" + Integer.toHexString(source.strip().hashCode()) + ":" + caller.getLineNumber(),
                        source.strip()};
            }
        }
        String site = cls + ":" + caller.getLineNumber();
        return new String[] {site, site};
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private static boolean isLibrary(Class<?> cls) {
        String name = cls.getName();
        if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("io.netty.")) {
            return true;
        }
        java.security.CodeSource own = Lifecycle.class.getProtectionDomain().getCodeSource();
        java.security.CodeSource theirs = cls.getProtectionDomain().getCodeSource();
        return own != null && theirs != null && own.getLocation().equals(theirs.getLocation());
    }

    // JShell wraps each snippet in a class named REPL.$JShell$<id>, nested classes add $Name.
    static String snippetId(String className) {
        String marker = "$JShell$";
        int at = className.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int start = at + marker.length();
        int end = start;
        while (end < className.length() && Character.isDigit(className.charAt(end))) {
            end++;
        }
        return end > start ? className.substring(start, end) : null;
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("wirelab: closing " + resource + " failed: " + e.getMessage());
        }
    }
}

package org.wirelab.kernel;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the two kernel adapters share: a process-wide "installed" mark that survives the jar being
 * loaded twice, and the JShell lookup that lets {@code Lifecycle} key resources by statement.
 */
public final class KernelBridge {

    private static final String MARK = "org.wirelab.renderers.installed";

    private KernelBridge() {
    }

    /**
     * Claims the one installation for this JVM; {@code false} when some adapter (from any class
     * loader) installed wirelab's renderers already.
     */
    public static boolean claim(String kernelName) {
        synchronized (System.getProperties()) {
            if (System.getProperty(MARK) != null) {
                return false;
            }
            System.setProperty(MARK, kernelName);
            return true;
        }
    }

    /** The kernel that installed the renderers, e.g. {@code "jjava"}; empty before any did. */
    public static Optional<String> installedBy() {
        return Optional.ofNullable(System.getProperty(MARK));
    }

    /** Releases the mark on kernel shutdown. */
    public static void release() {
        System.clearProperty(MARK);
    }

    /**
     * Maps a snippet id to its source through the kernel's {@code jdk.jshell.JShell}, found by the
     * kernel's own getter ({@code getJShell} in JJava, {@code getShell} in IJava).
     */
    public static Function<String, String> snippetSource(Object kernel) {
        Object shell = null;
        for (String getter : new String[] {"getJShell", "getShell"}) {
            try {
                Method m = kernel.getClass().getMethod(getter);
                shell = m.invoke(kernel);
                break;
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // try the other kernel's name
            }
        }
        if (!(shell instanceof jdk.jshell.JShell js)) {
            return id -> null;
        }
        return id -> {
            try {
                return js.snippets().filter(s -> s.id().equals(id)).map(jdk.jshell.Snippet::source)
                        .findFirst().orElse(null);
            } catch (RuntimeException e) {
                return null;
            }
        };
    }
}

package org.wirelab.kernel.ijava;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import org.wirelab.display.Display;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.kernel.KernelBridge;
import org.wirelab.lifecycle.Lifecycle;

/**
 * The IJava 1.3.0 adapter. IJava has no extension mechanism, so a notebook calls it once:
 *
 * <pre>{@code
 * %jars /path/to/kernel-ext/target/kernel-ext.jar
 * org.wirelab.kernel.ijava.IJava.install();
 * }</pre>
 *
 * Calling it again, or under JJava (which installs wirelab by itself), changes nothing.
 */
public final class IJava {

    private IJava() {
    }

    /** Registers wirelab's renderers with the running IJava kernel; returns the kernel that owns them, e.g. {@code "ijava"}. */
    public static String install() {
        return install(runningKernel());
    }

    /** Registers wirelab's renderers with {@code kernel}, any kernel built on jupyter-jvm-basekernel 2.3. */
    public static String install(BaseKernel kernel) {
        if (KernelBridge.claim("ijava")) {
            kernel.getRenderer().createRegistration(Rich.class)
                    .preferring(MimeBundle.TEXT, MimeBundle.HTML, MimeBundle.MERMAID, MimeBundle.VEGA_LITE,
                            MimeBundle.SVG, MimeBundle.JSON)
                    .register((rich, context) -> rich.mimeBundle().forEach(context.getOutputContainer()::putData));
            Display.install((bundle, id, update) -> {
                DisplayData data = new DisplayData();
                bundle.forEach(data::putData);
                if (update) {
                    kernel.getIO().display.updateDisplay(id, data);
                } else {
                    // putTransientData has one signature in every kernel version; setDisplayId does not.
                    data.putTransientData("display_id", id);
                    kernel.display(data);
                }
            });
            Lifecycle.snippetSource(KernelBridge.snippetSource(kernel));
        }
        return KernelBridge.installedBy().orElse("none");
    }

    // IJava keeps its kernel in a static field of io.github.spencerpark.ijava.IJava.
    private static BaseKernel runningKernel() {
        try {
            Class<?> ijava = Class.forName("io.github.spencerpark.ijava.IJava");
            Object kernel = ijava.getMethod("getKernelInstance").invoke(null);
            if (kernel instanceof BaseKernel base) {
                return base;
            }
        } catch (ReflectiveOperationException | LinkageError ignored) {
            // fall through to the message below
        }
        throw new IllegalStateException("not running in IJava: io.github.spencerpark.ijava.IJava has no kernel "
                + "instance (under JJava, wirelab installs itself; nothing to call)");
    }
}

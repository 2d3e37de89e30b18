package org.wirelab.kernel.jjava;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.wirelab.display.Display;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.kernel.KernelBridge;
import org.wirelab.lifecycle.Lifecycle;

/**
 * The JJava adapter, found by JJava through {@code META-INF/services/org.dflib.jjava.jupyter.Extension}
 * when kernel-ext.jar is on the kernel's classpath: registers one renderer for {@link Rich}, the
 * live-display sink, and closes every tracked resource on kernel shutdown.
 *
 * <p>On shutdown it also lets the JVM end once JJava has answered: JJava's {@code main} returns when
 * its sockets close, but an idle, non-daemon worker thread of JJava's would keep the JVM alive, and
 * the notebook server would wait for it and then send SIGTERM (about 2.5 s with jupyter_client's
 * defaults, on every kernel stop and restart).
 */
public final class WirelabExtension implements Extension {

    /** The thread that runs JJava's {@code main}: it returns once the kernel's sockets are closed. */
    private volatile Thread kernelMain;

    @Override
    public void install(BaseKernel kernel) {
        if (!KernelBridge.claim("jjava")) {
            return;
        }
        kernelMain = Thread.currentThread();
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
                // putTransientData has one signature in every JJava version; setDisplayId does not.
                data.putTransientData("display_id", id);
                kernel.display(data);
            }
        });
        Lifecycle.snippetSource(KernelBridge.snippetSource(kernel));
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        Lifecycle.closeAll();
        KernelBridge.release();
        exitAfter(kernelMain);
    }

    /** Ends the JVM once {@code main} has returned, that is after the shutdown reply has gone out. */
    private static void exitAfter(Thread main) {
        if (main == null || !"main".equals(main.getName())) {
            return;
        }
        Thread exit = new Thread(() -> {
            try {
                main.join();
            } catch (InterruptedException e) {
                return;
            }
            System.exit(0);
        }, "wirelab-exit-after-shutdown");
        exit.setDaemon(true);
        exit.start();
    }
}

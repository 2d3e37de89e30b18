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
 */
public final class WirelabExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        if (!KernelBridge.claim("jjava")) {
            return;
        }
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
    }
}

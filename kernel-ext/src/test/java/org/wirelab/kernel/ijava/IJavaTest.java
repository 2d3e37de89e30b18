package org.wirelab.kernel.ijava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wirelab.display.MimeBundle;
import org.wirelab.display.Rich;
import org.wirelab.kernel.KernelBridge;

/**
 * The IJava adapter against jupyter-jvm-basekernel 2.3.0, the library IJava 1.3.0 is built on:
 * a minimal kernel of that library stands in for IJava's own, whose jar no registry here carries.
 */
class IJavaTest {

    /** The smallest real kernel of jupyter-jvm-basekernel: evaluates nothing. */
    static final class QuietKernel extends BaseKernel {
        @Override
        public DisplayData eval(String expr) {
            return null;
        }

        @Override
        public LanguageInfo getLanguageInfo() {
            return new LanguageInfo.Builder("java").version("17").build();
        }
    }

    record Frame(String hex) implements Rich {
        @Override
        public Map<String, Object> mimeBundle() {
            return MimeBundle.text(hex).html("<pre class=\"wl-hex\">" + hex + "</pre>").build();
        }
    }

    @AfterEach
    void release() {
        KernelBridge.release();
    }

    @Test
    void installRegistersTheRichRendererWithTheKernel() {
        QuietKernel kernel = new QuietKernel();
        assertEquals("ijava", IJava.install(kernel));
        DisplayData shown = kernel.getRenderer().render(new Frame("81 05 48 65 6c 6c 6f"));
        assertEquals("81 05 48 65 6c 6c 6f", shown.getData(MIMEType.TEXT_PLAIN));
        assertEquals("<pre class=\"wl-hex\">81 05 48 65 6c 6c 6f</pre>", shown.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void secondInstallRegistersNothingMore() {
        QuietKernel first = new QuietKernel();
        IJava.install(first);
        QuietKernel second = new QuietKernel();
        assertEquals("ijava", IJava.install(second));
        DisplayData shown = second.getRenderer().render(new Frame("89 00"));
        assertTrue(shown.getData(MIMEType.TEXT_HTML) == null, "the second kernel got a renderer: " + shown.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void installOutsideIJavaSaysSoInOneLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, IJava::install);
        assertTrue(e.getMessage().startsWith("not running in IJava"), e.getMessage());
    }
}

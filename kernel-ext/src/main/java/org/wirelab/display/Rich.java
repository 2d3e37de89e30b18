package org.wirelab.display;

import java.util.Map;

/**
 * An object that draws itself in a notebook: the last expression of a cell that implements this
 * is shown through {@link #mimeBundle()} by the kernel adapters.
 *
 * <p>The bundle always holds {@code text/plain}; most views add {@code text/html}, diagrams add
 * {@code text/vnd.mermaid}, charts add {@code application/vnd.vegalite.v5+json}.
 */
public interface Rich {

    /** The MIME bundle, e.g. {@code {"text/plain": "GET / HTTP/1.1", "text/html": "<pre>..."}}. */
    Map<String, Object> mimeBundle();
}

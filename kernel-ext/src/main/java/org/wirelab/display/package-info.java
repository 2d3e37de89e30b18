/**
 * How a value shows itself in a notebook: {@link org.wirelab.display.Rich} values give a MIME
 * bundle (text, HTML without {@code <style>} or SVG, Vega-Lite, Mermaid), the one stylesheet
 * ({@link org.wirelab.display.WirelabCss}), self-checks, and {@link org.wirelab.display.Views}, by
 * which a model offers a view drawn by a package above it.
 *
 * <pre>{@code
 * MimeBundle.text("GET / HTTP/1.1").html("<pre>GET / HTTP/1.1</pre>").build()
 * }</pre>
 */
package org.wirelab.display;

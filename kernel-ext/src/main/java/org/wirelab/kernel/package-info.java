/**
 * The notebook kernel's side: the imports every notebook starts with and the bridge that shows a
 * {@link org.wirelab.display.Rich} value as the cell's output, for JJava and IJava.
 *
 * <pre>{@code
 * // imports.jsh, run once when the kernel starts
 * import org.wirelab.wire.*;
 * }</pre>
 */
package org.wirelab.kernel;

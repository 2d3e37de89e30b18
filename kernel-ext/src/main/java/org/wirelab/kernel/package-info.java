/**
 * The notebook kernel's side: the imports every notebook starts with, the bridge that shows a
 * {@link org.wirelab.display.Rich} value as the cell's output, for JJava and IJava, and
 * {@link org.wirelab.kernel.Warmup}, the run from which {@code ./lab} writes the kernel's class-data archive.
 *
 * <pre>{@code
 * // imports.jsh, run once when the kernel starts
 * import org.wirelab.wire.*;
 * }</pre>
 */
package org.wirelab.kernel;

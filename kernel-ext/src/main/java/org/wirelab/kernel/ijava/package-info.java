/**
 * The IJava kernel's hook: renders {@link org.wirelab.display.Rich} values and closes what cells
 * started when the kernel shuts down.
 *
 * <pre>{@code
 * IJava.install();   // from the kernel's startup script
 * }</pre>
 */
package org.wirelab.kernel.ijava;

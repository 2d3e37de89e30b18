/**
 * The JJava kernel's extension: renders {@link org.wirelab.display.Rich} values, runs the imports
 * and closes what cells started when the kernel shuts down.
 *
 * <pre>{@code
 * // found by JJava through META-INF/services, no call needed
 * }</pre>
 */
package org.wirelab.kernel.jjava;

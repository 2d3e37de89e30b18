/**
 * Everything a cell starts is closed on re-run and on kernel shutdown:
 * {@link org.wirelab.lifecycle.Lifecycle} tracks servers, taps, captures and files by the cell that
 * made them, {@link org.wirelab.lifecycle.Listeners} binds the demo servers on loopback and
 * closes them, {@link org.wirelab.lifecycle.Settings} refuses a bad builder setting in the same
 * words everywhere, and {@link org.wirelab.lifecycle.Waits} is how a cell waits for what a peer
 * sends: bounded by a timeout, ended by an interrupt.
 *
 * <pre>{@code
 * Lifecycle.openCount()   // what cells started and has not been closed yet, e.g. 2
 * }</pre>
 */
package org.wirelab.lifecycle;

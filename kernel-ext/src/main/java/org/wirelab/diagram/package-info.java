/**
 * Views over time: sequence diagrams of who sent what to whom, time lines of states and of both
 * directions of a connection, and charts; each drawn from a model of a package below
 * ({@code SequenceDiagram.of(capture)}, {@code Timeline.of(history)}).
 *
 * <pre>{@code
 * SequenceDiagram.of(Capture.recorded("tcp-handshake").dissect())
 * }</pre>
 */
package org.wirelab.diagram;

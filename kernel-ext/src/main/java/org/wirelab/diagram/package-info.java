/**
 * Views over time: sequence diagrams of who sent what to whom, time lines of states and of both
 * directions of a connection, and charts; and figures of one thing seen: a packet's layers
 * ({@code Encapsulation}), a WebSocket frame on RFC 6455's layout ({@code FrameLayout}) and the
 * RFC 9293 state diagram with the states a watch saw ({@code TcpStateMachine}). Each is drawn from
 * a model of a package below ({@code SequenceDiagram.of(capture)}, {@code Timeline.of(history)}).
 *
 * <pre>{@code
 * SequenceDiagram.of(Capture.recorded("tcp-handshake").dissect())
 * }</pre>
 */
package org.wirelab.diagram;

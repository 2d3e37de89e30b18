package org.wirelab.display;

/**
 * What a claim needs before it can be checked here, such as live packet capture. When it is
 * missing, {@link SelfCheck} prints the claim as "not checked here", with {@link #reason()} and
 * {@link #remedy()}, instead of a pass mark.
 *
 * <pre>{@code
 * var live = Capture.available();        // a Precondition: "no: dumpcap: You don't have permission ..."
 * SelfCheck.when(live, "the datagram has ip.proto 17", () -> datagram.value("ip.proto").equals("17"))
 * }</pre>
 */
public interface Precondition {

    /** Whether the claim can be checked here. */
    boolean yes();

    /** One line saying why not, e.g. {@code dumpcap: You don't have permission to capture on that device}. */
    String reason();

    /** How a reader gets the claim checked, e.g. {@code run JupyterLab as root}. */
    String remedy();
}

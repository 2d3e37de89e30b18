/**
 * Capture files: live capture of loopback ports by dumpcap or tcpdump
 * ({@link org.wirelab.pcap.Capture}), the captures shipped with wirelab, and synthesized TCP
 * connections written as a pcap ({@link org.wirelab.pcap.PcapWriter}) that Wireshark reads
 * without complaint.
 *
 * <pre>{@code
 * Capture.recorded("tcp-handshake").summaries()   // one line per packet
 * }</pre>
 */
package org.wirelab.pcap;

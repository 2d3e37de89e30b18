/**
 * The kernel's network counters, read from {@code /proc/net/snmp} and {@code /proc/net/netstat}
 * without privileges: what the kernel dropped or refused and counted, such as UDP datagrams lost to
 * a full receive buffer ({@code Udp RcvbufErrors}) or SYNs dropped by a full accept queue
 * ({@code TcpExt ListenOverflows}).
 *
 * <pre>{@code
 * var before = Counters.udp();
 * // ... a burst of datagrams to a receiver that does not read ...
 * Counters.udp().minus(before).get("RcvbufErrors")     // 994
 * }</pre>
 */
package org.wirelab.netstat;

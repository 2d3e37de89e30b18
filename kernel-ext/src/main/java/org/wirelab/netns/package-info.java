/**
 * A small real network on this machine: three network namespaces (client, router, server) joined by
 * veth pairs with an MTU of 1500 and offloads off, the router doing NAT with nftables and
 * conntrack, captures taken with dumpcap (Wireshark's capture engine) on the router's two interfaces, link conditions made by
 * real mechanisms (nftables drops, a TBF queue; {@link org.wirelab.netns.Network#netem()} says whether
 * the kernel has netem, which this one lacks), and peers that run as
 * child JVMs inside the namespaces, driven over Unix-domain sockets: plain sockets for the TCP
 * experiments, or kernel-ext's own demo servers ({@code serve http2|http|echo PORT}, see
 * {@link org.wirelab.netns.Peer}).
 *
 * <p>It needs no root where the kernel allows unprivileged user namespaces ({@code unshare -Urn});
 * as root it works either way. Everything lives in one process tree under {@code unshare}: closing
 * the {@link org.wirelab.netns.Network} (a re-run, or kernel shutdown through
 * {@link org.wirelab.lifecycle.Lifecycle}) ends it, and the kernel then frees the namespaces, their
 * nftables tables and every process in them. Where no namespace can be made (Binder),
 * {@link org.wirelab.netns.RealNetwork} shows outcomes recorded by the same code.
 */
package org.wirelab.netns;

package org.wirelab.dissect;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.wirelab.testing.Tools;

/** tshark's PDML for a capture file: per packet, every field element (hidden ones too). */
final class Pdml {

    /** One PDML field element: name, pos, size, show, and how deep it sits among the packet's fields (0: a protocol's top fields). */
    record Item(String name, int pos, int size, String show, int depth) {
    }

    final List<List<Item>> packets = new ArrayList<>();

    static Pdml of(Path pcap) throws Exception {
        return of(pcap, List.of());
    }

    /** With more tshark options before {@code -T pdml}, e.g. {@code List.of("-d", "tcp.port==8080,http2")}. */
    static Pdml of(Path pcap, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Tools.require("tshark").toString(), "-r", pcap.toString()));
        command.addAll(options);
        command.addAll(List.of("-T", "pdml"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] xml = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("tshark -T pdml failed on " + pcap);
        }
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        NodeList packets = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getElementsByTagName("packet");
        Pdml pdml = new Pdml();
        for (int i = 0; i < packets.getLength(); i++) {
            List<Item> items = new ArrayList<>();
            collect(packets.item(i), items, -1);
            pdml.packets.add(items);
        }
        return pdml;
    }

    private static void collect(Node node, List<Item> out, int depth) {
        NodeList kids = node.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element e) {
                boolean field = e.getTagName().equals("field");
                if (field && !e.getAttribute("name").isEmpty() && e.hasAttribute("pos")) {
                    out.add(new Item(e.getAttribute("name"), Integer.parseInt(e.getAttribute("pos")),
                            Integer.parseInt(e.getAttribute("size")), e.getAttribute("show"), depth + 1));
                }
                collect(e, out, field ? depth + 1 : depth);
            }
        }
    }
}

package org.wirelab.dissect;

import java.util.ArrayList;
import java.util.List;

/** A field under construction: children can still be added. */
final class Node {

    final String name;
    final int offset;
    int length;
    String value;
    final List<Node> children = new ArrayList<>();

    Node(String name, int offset, int length, String value) {
        this.name = name;
        this.offset = offset;
        this.length = Math.max(0, length);
        this.value = value == null ? "" : value;
    }

    Node add(String name, int offset, int length, String value) {
        Node child = new Node(name, offset, length, value);
        children.add(child);
        return child;
    }

    Field toField(int shift) {
        List<Field> kids = new ArrayList<>(children.size());
        for (Node c : children) {
            kids.add(c.toField(shift));
        }
        return new Field(name, offset + shift, length, value, kids);
    }

    static List<Field> fields(List<Node> nodes, int shift) {
        List<Field> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            out.add(n.toField(shift));
        }
        return out;
    }
}

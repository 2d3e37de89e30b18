package org.wirelab.cli;

import java.util.Arrays;

/**
 * {@code java -jar kernel-ext.jar COMMAND ...}: {@code tap} forwards and records a connection,
 * {@code dissect} prints the fields of a pcap file.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one command and returns its exit code: 0 done, 1 failed, 2 bad usage. */
    public static int run(String... args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "tap" -> TapCommand.run(rest);
            case "dissect" -> DissectCommand.run(rest);
            default -> {
                System.err.println("wirelab: unknown command '" + args[0] + "'\n" + USAGE);
                yield 2;
            }
        };
    }

    static final String USAGE = """
            usage: java -jar kernel-ext.jar tap --listen 127.0.0.1:PORT --to HOST:PORT [--pcap FILE] [--seconds N]
                   java -jar kernel-ext.jar dissect FILE.pcap [--json]""";
}

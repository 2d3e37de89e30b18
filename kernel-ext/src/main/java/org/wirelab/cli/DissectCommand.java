package org.wirelab.cli;

final class DissectCommand {

    private DissectCommand() {
    }

    static int run(String... args) {
        System.err.println("wirelab: 'dissect' is not available in this build");
        return 1;
    }
}

package org.wirelab.cli;

final class TapCommand {

    private TapCommand() {
    }

    static int run(String... args) {
        System.err.println("wirelab: 'tap' is not available in this build");
        return 1;
    }
}

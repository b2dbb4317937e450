package io.hotadd.agent.demo;

import java.nio.file.Path;

/**
 * The README's demo, run by {@code sudo bash .ci/demo} (after the build) or directly on the test class path:
 * {@code java -cp ... io.hotadd.agent.demo.DemoMain [work folder, default target/demo-run]}. The work folder
 * must allow O_DIRECT (not tmpfs). Exits 0 when every check held, 1 otherwise.
 */
public final class DemoMain {
    private DemoMain() {
    }

    public static void main(String[] args) {
        Path work = Path.of(args.length > 0 ? args[0] : "target/demo-run");
        int status;
        try {
            new Demo(System.out, System.console() != null, work).run();
            status = 0;
        } catch (DemoFailure e) {
            System.out.println();
            System.out.println("DEMO FAILED: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            System.out.println();
            System.out.println("DEMO FAILED: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }
}

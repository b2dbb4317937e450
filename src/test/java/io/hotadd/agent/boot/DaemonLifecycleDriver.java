package io.hotadd.agent.boot;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonController;

/**
 * Plays jsvc in a child JVM for {@link AgentDaemonIT}: init, start, then waits for "stop" on stdin and calls
 * stop and destroy, printing each step. A child process because Quarkus can run only once per JVM and only
 * from the packaged application's class path.
 */
public final class DaemonLifecycleDriver {

    private DaemonLifecycleDriver() {
    }

    public static void main(String[] args) throws Exception {
        AgentDaemon daemon = new AgentDaemon();
        daemon.init(new DaemonContext() {
            @Override
            public DaemonController getController() {
                return null;
            }

            @Override
            public String[] getArguments() {
                return args;
            }
        });
        say("INIT");
        daemon.start();
        say("STARTED");
        try {
            daemon.start();
            say("SECOND-START-ACCEPTED");
        } catch (IllegalStateException expected) {
            say("SECOND-START-REFUSED");
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("stop")) {
            say("IGNORED " + line);
        }
        long begin = System.nanoTime();
        daemon.stop();
        daemon.destroy();
        say("STOPPED ms=" + (System.nanoTime() - begin) / 1_000_000 + " exit=" + daemon.exitCode());
    }

    private static void say(String line) {
        System.out.println("DRIVER " + line);
        System.out.flush();
    }
}

package io.hotadd.agent.boot;

import io.quarkus.runtime.Quarkus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.daemon.Daemon;
import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonInitException;

/**
 * Entry point for Apache Commons Daemon (jsvc), the alternative to running {@code java -jar} under systemd
 * (see systemd/hotadd-agent-jsvc.service and docs/appliance.md).
 *
 * <p>jsvc calls {@link #init} as root, switches to {@code -user}, then calls {@link #start}, and on SIGTERM
 * {@link #stop} and {@link #destroy}. The agent opens nothing privileged in {@code init}: its privileged
 * operations go through the root helper at run time, so the daemon model has nothing to hand over.
 *
 * <p>{@link #start} must return; Quarkus runs on its own thread until {@link #stop} asks it to exit. If
 * Quarkus ends by itself (a failed start), the JVM exits with Quarkus' code so that the service manager sees
 * the failure and restarts the agent; jsvc alone would keep an empty JVM alive.
 */
public final class AgentDaemon implements Daemon {

    /** Longer than Quarkus' own shutdown timeout (30 s by default), so a clean stop is never cut short. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicReference<Integer> exitCode = new AtomicReference<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private String[] args = new String[0];
    private Thread runner;

    @Override
    public void init(DaemonContext context) throws DaemonInitException {
        String[] given = context.getArguments();
        args = given == null ? new String[0] : given.clone();
    }

    @Override
    public synchronized void start() {
        if (runner != null) {
            throw new IllegalStateException("the agent was already started by this daemon instance; jsvc starts"
                    + " a daemon once, so a second start() is a bug in the caller");
        }
        runner = new Thread(() -> Quarkus.run(AgentApplication.class, this::exited, args), "quarkus-main");
        runner.start();
    }

    /**
     * Asks Quarkus to shut down and waits up to {@link #STOP_TIMEOUT} for it.
     *
     * @throws IllegalStateException when Quarkus is still running after the timeout, so that jsvc reports
     *                               the failed stop instead of pretending it worked
     */
    @Override
    public void stop() throws InterruptedException {
        Thread thread;
        synchronized (this) {
            thread = runner;
        }
        if (thread == null) {
            return;
        }
        stopping.set(true);
        Quarkus.asyncExit();
        if (!exited.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Quarkus did not stop within " + STOP_TIMEOUT + " after asyncExit();"
                    + " a thread dump (jstack or kill -3) shows what it waits for");
        }
        thread.join(STOP_TIMEOUT.toMillis());
    }

    @Override
    public synchronized void destroy() {
        runner = null;
        args = new String[0];
    }

    /** The code Quarkus ended with, once it has ended. */
    Integer exitCode() {
        return exitCode.get();
    }

    /** Quarkus' exit handler: record the end; if nobody asked for it, end the JVM with its code. */
    private void exited(int code, Throwable failure) {
        exitCode.set(code);
        exited.countDown();
        if (!stopping.get()) {
            if (failure != null) {
                failure.printStackTrace();
            }
            // Outside stop() this is a failed start or an exit the agent asked for itself: end the JVM with
            // Quarkus' code (what its default exit handler does), so the service manager sees it.
            System.exit(code);
        }
    }
}

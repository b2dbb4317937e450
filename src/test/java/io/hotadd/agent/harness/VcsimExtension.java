package io.hotadd.agent.harness;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One harness per test class:
 * <pre>
 * &#64;RegisterExtension
 * static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy("DC0_H0_VM0"));
 * </pre>
 * Test methods may also take a {@link Vcsim} parameter. When a test fails, the tail of the harness log is
 * printed; the process, its loop devices and its data folder are always released after the class.
 */
public final class VcsimExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {
    private final VcsimOptions options;
    private VcsimProcess process;

    public VcsimExtension() {
        this(VcsimOptions.defaults());
    }

    public VcsimExtension(VcsimOptions options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        process = VcsimProcess.start(options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (process != null) {
            System.err.println("---- vcsim log (" + process.log() + ") after " + context.getDisplayName()
                    + " failed ----\n" + VcsimProcess.tail(process.log()));
        }
    }

    public Vcsim vcsim() {
        if (process == null) {
            throw new IllegalStateException("the harness runs only between beforeAll and afterAll");
        }
        return process.vcsim();
    }

    public VcsimControl control() {
        return vcsim().control();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Vcsim.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return vcsim();
    }
}

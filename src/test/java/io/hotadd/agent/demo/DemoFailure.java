package io.hotadd.agent.demo;

/** Something in the demo went wrong or did not match: the demo stops and exits non-zero. */
final class DemoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoFailure(String message) {
        super(message);
    }
}

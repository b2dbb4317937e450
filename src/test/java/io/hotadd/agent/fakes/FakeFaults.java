package io.hotadd.agent.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fault rules for fakes, in the spirit of the harness's POST /faults: "the next N calls of operation M
 * (optionally on object X) throw F". Thread-safe.
 */
public final class FakeFaults {
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();

    private static final class Rule {
        final String operation;
        final String object;
        final Supplier<RuntimeException> fault;
        int remaining;

        Rule(String operation, String object, int count, Supplier<RuntimeException> fault) {
            this.operation = operation;
            this.object = object;
            this.remaining = count;
            this.fault = fault;
        }
    }

    /** The next {@code count} calls of {@code operation} (on {@code object}, or any when null) throw. */
    public synchronized void failNext(String operation, String object, int count, Supplier<RuntimeException> fault) {
        rules.add(new Rule(operation, object, count, fault));
    }

    public synchronized void clear() {
        rules.clear();
    }

    /** Operations called so far, as "operation object", in order. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** Records the call and throws if a rule matches. Fakes call this first in every operation. */
    public synchronized void check(String operation, String object) {
        calls.add(operation + " " + object);
        for (Rule r : rules) {
            if (r.remaining > 0 && r.operation.equals(operation) && (r.object == null || r.object.equals(object))) {
                r.remaining--;
                throw r.fault.get();
            }
        }
    }
}

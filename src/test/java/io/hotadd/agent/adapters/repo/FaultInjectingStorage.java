package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a storage and fails the next N calls of chosen operations (kopia's "N remaining errors"), with a
 * retriable error unless told otherwise; every other call goes through to the real storage.
 */
final class FaultInjectingStorage implements Storage {
    enum Op { PUT, GET, LIST, DELETE }

    private final Storage inner;
    private final Map<Op, AtomicInteger> remaining = new EnumMap<>(Op.class);
    private final Map<Op, String> onlyNamesStartingWith = new EnumMap<>(Op.class);
    private volatile boolean retriable = true;

    FaultInjectingStorage(Storage inner) {
        this.inner = inner;
        for (Op op : Op.values()) {
            remaining.put(op, new AtomicInteger());
        }
    }

    /** Fails the next {@code count} calls of {@code op} on objects whose names start with {@code prefix}. */
    FaultInjectingStorage failNext(Op op, int count, String prefix) {
        onlyNamesStartingWith.put(op, prefix);
        remaining.get(op).set(count);
        return this;
    }

    FaultInjectingStorage permanent() {
        retriable = false;
        return this;
    }

    private void maybeFail(Op op, String name) {
        String prefix = onlyNamesStartingWith.getOrDefault(op, "");
        if (name.startsWith(prefix) && remaining.get(op).getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StorageException(name, "injected " + op + " failure on " + name, retriable, null);
        }
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void put(String name, ByteBuffer content) {
        maybeFail(Op.PUT, name);
        inner.put(name, content);
    }

    @Override
    public byte[] get(String name) {
        maybeFail(Op.GET, name);
        return inner.get(name);
    }

    @Override
    public byte[] getRange(String name, long offset, int length) {
        maybeFail(Op.GET, name);
        return inner.getRange(name, offset, length);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        maybeFail(Op.LIST, prefix);
        return inner.list(prefix);
    }

    @Override
    public void delete(String name) {
        maybeFail(Op.DELETE, name);
        inner.delete(name);
    }

    @Override
    public int removeLeftovers() {
        return inner.removeLeftovers();
    }
}

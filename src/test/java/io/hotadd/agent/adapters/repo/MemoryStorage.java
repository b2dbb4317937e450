package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A storage in memory, for tests only: atomic puts by construction, read-after-write, idempotent delete. */
final class MemoryStorage implements Storage {
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public String location() {
        return "memory";
    }

    @Override
    public void put(String name, ByteBuffer content) {
        byte[] b = new byte[content.remaining()];
        content.get(b);
        objects.put(name, b);
    }

    @Override
    public byte[] get(String name) {
        byte[] b = objects.get(name);
        if (b == null) {
            throw new ObjectNotFoundException(name, "memory");
        }
        return b.clone();
    }

    @Override
    public byte[] getRange(String name, long offset, int length) {
        byte[] b = get(name);
        if (offset + length > b.length) {
            throw new StorageException(name, "range beyond the end of " + name, false, null);
        }
        return java.util.Arrays.copyOfRange(b, (int) offset, (int) offset + length);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        List<StoredObject> out = new ArrayList<>();
        objects.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.add(new StoredObject(k, v.length));
            }
        });
        return out;
    }

    @Override
    public void delete(String name) {
        objects.remove(name);
    }
}

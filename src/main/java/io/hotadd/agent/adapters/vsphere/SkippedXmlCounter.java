package io.hotadd.agent.adapters.vsphere;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Counts what the tolerant deserializer skipped because yavijava's 6.0 model does not know it: elements
 * newer vCenters send (fields), data types (xsi:type) and enum values. For metrics: a steadily growing count
 * of a new key after a vCenter upgrade shows which part of the model to extend.
 *
 * <p>Each distinct key is logged once at DEBUG; counting goes on silently. Thread-safe.
 */
public final class SkippedXmlCounter {

    private static final Logger LOG = Logger.getLogger(SkippedXmlCounter.class);

    /** What kind of thing was skipped. */
    public enum Kind {
        UNKNOWN_FIELD("field"), UNKNOWN_TYPE("type"), UNKNOWN_ENUM_VALUE("enum");

        private final String keyPrefix;

        Kind(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }

    private final Map<Kind, LongAdder> byKind = new EnumMap<>(Kind.class);
    private final ConcurrentHashMap<String, LongAdder> byKey = new ConcurrentHashMap<>();

    public SkippedXmlCounter() {
        for (Kind kind : Kind.values()) {
            byKind.put(kind, new LongAdder());
        }
    }

    /** An element with no matching field in {@code owner}, e.g. {@code VirtualMachineConfigInfo.keyId}. */
    void unknownField(Class<?> owner, String element) {
        record(Kind.UNKNOWN_FIELD, owner.getSimpleName() + "." + element, null);
    }

    /** An xsi:type (or fault type) the model lacks; {@code handledAs} says what was done instead. */
    void unknownType(String typeName, String handledAs) {
        record(Kind.UNKNOWN_TYPE, typeName, handledAs);
    }

    /** A value of a known enum type that the enum does not list. */
    void unknownEnumValue(Class<?> enumType, String value) {
        record(Kind.UNKNOWN_ENUM_VALUE, enumType.getSimpleName() + "=" + value, null);
    }

    public long count(Kind kind) {
        return byKind.get(kind).sum();
    }

    public long total() {
        return byKind.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Counts per key, e.g. {@code field:ServiceContent.vStorageObjectManager -> 3}, sorted by key. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        byKey.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }

    private void record(Kind kind, String what, String handledAs) {
        byKind.get(kind).increment();
        String key = kind.keyPrefix + ":" + what;
        LongAdder perKey = byKey.get(key);
        if (perKey == null) {
            LongAdder fresh = new LongAdder();
            perKey = byKey.putIfAbsent(key, fresh);
            if (perKey == null) {
                perKey = fresh;
                LOG.debugf("Skipped unknown %s in a vCenter response%s (logged once, counted always)",
                        key, handledAs == null ? "" : "; " + handledAs);
            }
        }
        perKey.increment();
    }
}

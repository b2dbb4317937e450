package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.domain.SnapshotInfo;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mutable state of one VM inside {@link FakeVSphere}; tests may change fields directly to set a scene. */
public final class FakeVm {
    public final String moref;
    public String name;
    public String instanceUuid;
    public String biosUuid;
    public String datacenter = "datacenter-1";
    public String host = "host-1";
    public String resourcePool = "resgroup-1";
    public String folder = "group-v1";
    public String datastore = "datastore-1";
    public PowerState power = PowerState.POWERED_ON;
    public boolean template;
    public boolean cbt;
    public String cbtTrackId;
    public int hardwareVersion = 19;
    public boolean encrypted;
    public boolean consolidationNeeded;
    public boolean isClone;
    public final List<ControllerInfo> controllers = new ArrayList<>();
    public final List<Disk> disks = new ArrayList<>();
    public final List<Snap> rootSnapshots = new ArrayList<>();
    public Snap currentSnapshot;
    public final List<String> disabledMethods = new ArrayList<>();
    public final Map<String, String> disabledBy = new LinkedHashMap<>();
    public final Map<String, String> extraConfig = new LinkedHashMap<>();
    /** Description ids of tasks a test pretends are running on this VM. */
    public final List<String> activeTasks = new ArrayList<>();

    FakeVm(String moref, String name) {
        this.moref = moref;
        this.name = name;
    }

    /** One virtual disk; {@code content} is shared with every disk that points at the same file. */
    public static final class Disk {
        public int key;
        public int controllerKey;
        public int unit;
        public long capacity;
        public String uuid;
        public String fileName;
        public String parentFileName;
        public DiskMode mode = DiskMode.PERSISTENT;
        public DiskBacking backing = DiskBacking.FLAT;
        public Provisioning provisioning = Provisioning.THIN;
        public String changeId;
        FakeDiskContent content;

        Disk copy() {
            Disk d = new Disk();
            d.key = key;
            d.controllerKey = controllerKey;
            d.unit = unit;
            d.capacity = capacity;
            d.uuid = uuid;
            d.fileName = fileName;
            d.parentFileName = parentFileName;
            d.mode = mode;
            d.backing = backing;
            d.provisioning = provisioning;
            d.changeId = changeId;
            d.content = content;
            return d;
        }

        DiskInfo info(String datastore) {
            return new DiskInfo(key, "Hard disk " + (key - 1999), capacity, uuid, fileName, datastore, controllerKey,
                    unit, mode, backing, provisioning, changeId, parentFileName, false);
        }
    }

    /** A snapshot: the disks as they were, frozen, and the CBT sequence number at that moment. */
    public static final class Snap {
        public final String moref;
        public final String name;
        public final String description;
        public final boolean quiesced;
        public final Instant created;
        final List<Disk> disks = new ArrayList<>();
        final List<Snap> children = new ArrayList<>();
        Snap parent;

        Snap(String moref, String name, String description, boolean quiesced, Instant created) {
            this.moref = moref;
            this.name = name;
            this.description = description;
            this.quiesced = quiesced;
            this.created = created;
        }

        SnapshotInfo info() {
            return new SnapshotInfo(new SnapshotRef(moref), name, description, created, quiesced,
                    children.stream().map(Snap::info).toList());
        }
    }

    List<Snap> allSnapshots() {
        List<Snap> all = new ArrayList<>();
        java.util.ArrayDeque<Snap> todo = new java.util.ArrayDeque<>(rootSnapshots);
        while (!todo.isEmpty()) {
            Snap s = todo.removeFirst();
            all.add(s);
            todo.addAll(s.children);
        }
        return all;
    }

    Disk disk(int key) {
        return disks.stream().filter(d -> d.key == key).findFirst().orElse(null);
    }

    String vmPathName() {
        return "[" + datastore + "] " + name + "/" + name + ".vmx";
    }

    VmInfo info() {
        return new VmInfo(new VmRef(moref), name, instanceUuid, biosUuid, datacenter, host, resourcePool, folder,
                vmPathName(), power, template, cbt, hardwareVersion, encrypted, consolidationNeeded, controllers,
                disks.stream().map(d -> d.info(datastore)).toList(),
                rootSnapshots.stream().map(Snap::info).toList(),
                currentSnapshot == null ? null : new SnapshotRef(currentSnapshot.moref), disabledMethods,
                List.of(datastore), extraConfig);
    }
}

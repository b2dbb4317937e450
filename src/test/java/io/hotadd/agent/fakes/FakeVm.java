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
import io.hotadd.agent.port.VmConfigSummary;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Mutable state of one VM inside {@link FakeVSphere}; tests may change fields directly to set a scene. */
public final class FakeVm {
    /** The vSphere extraConfig keys the real adapter reports besides the agent's own markers. */
    private static final List<String> VSPHERE_KEYS = List.of("disk.EnableUUID", "encryption.bundle");

    public final String moref;
    public String name;
    public String instanceUuid;
    public String biosUuid;
    /** The datacenter's inventory path (its name), as the real adapter reports it. */
    public String datacenter = "dc1";
    public String host = "host-1";
    public String resourcePool = "resgroup-1";
    /** Moref of the VM folder the VM is in; VM names are unique per folder. */
    public String folder = FakeVSphere.VM_FOLDER;
    /** Moref of the datastore holding the VM's configuration (and its disks, unless they say otherwise). */
    public String datastore = "datastore-1";
    public PowerState power = PowerState.POWERED_ON;
    public boolean template;
    public boolean cbt;
    /** The CBT tracking id; a new one every time tracking is switched on, so older change ids are refused. */
    public String cbtTrackId;
    public int hardwareVersion = 19;
    public boolean encrypted;
    public boolean consolidationNeeded;
    public boolean isClone;
    public String annotation = "";
    public String guestId = "otherGuest";
    public String firmware = "bios";
    public int numCpu = 1;
    public long memoryMb = 512;
    /** The VM's encryption key (config.keyId); null when it is not encrypted. Keep {@link #encrypted} in step. */
    public VmConfigSummary.KeyId keyId;
    public boolean vtpm;
    /** The storage policy CreateVM applied (a restore's request), null otherwise. */
    public String storagePolicyId;
    public final List<Nic> nics = new ArrayList<>();
    public final List<ControllerInfo> controllers = new ArrayList<>();
    public final List<Disk> disks = new ArrayList<>();
    public final List<Snap> rootSnapshots = new ArrayList<>();
    public Snap currentSnapshot;
    public final List<String> disabledMethods = new ArrayList<>();
    /** Who disabled each method: it stays disabled until every source that disabled it enables it. */
    public final Map<String, Set<String>> disabledBy = new LinkedHashMap<>();
    /** All of the VM's extraConfig; {@link VmInfo} shows only the keys the real adapter reports. */
    public final Map<String, String> extraConfig = new LinkedHashMap<>();
    /** Description ids of tasks others run on this VM now (see {@link FakeVSphere#startTask}). */
    public final List<String> activeTasks = new ArrayList<>();
    /** Sequence number of the VM's last guest write: the CBT position of its current disks. */
    long writeSeq;

    FakeVm(String moref, String name) {
        this.moref = moref;
        this.name = name;
    }

    /** One virtual disk; {@code content} is shared with every disk that points at the same file. */
    public static final class Disk {
        public int key;
        public String label;
        public int controllerKey;
        public int unit;
        public long capacity;
        public String uuid;
        public String fileName;
        /** Moref of the datastore holding the file; null: the owning VM's datastore. */
        public String datastore;
        public String parentFileName;
        public DiskMode mode = DiskMode.PERSISTENT;
        public DiskBacking backing = DiskBacking.FLAT;
        public Provisioning provisioning = Provisioning.THIN;
        /** The change id frozen with a snapshot's disk; a VM's current disks report the VM's CBT position. */
        public String changeId;
        /** Another VM's disk file attached to this VM (hot-add): this VM does not own the file. */
        boolean hotAdded;
        FakeDiskContent content;

        Disk copy() {
            Disk d = new Disk();
            d.key = key;
            d.label = label;
            d.controllerKey = controllerKey;
            d.unit = unit;
            d.capacity = capacity;
            d.uuid = uuid;
            d.fileName = fileName;
            d.datastore = datastore;
            d.parentFileName = parentFileName;
            d.mode = mode;
            d.backing = backing;
            d.provisioning = provisioning;
            d.changeId = changeId;
            d.hotAdded = hotAdded;
            d.content = content;
            return d;
        }

        DiskInfo info(String vmDatastore, String currentChangeId) {
            return new DiskInfo(key, label, capacity, uuid, fileName, datastore != null ? datastore : vmDatastore,
                    controllerKey, unit, mode, backing, provisioning, currentChangeId, parentFileName, false);
        }

        DiskInfo info(String vmDatastore) {
            return info(vmDatastore, changeId);
        }
    }

    /** One network adapter. */
    public record Nic(int key, String label, String adapterType, String network, String macAddress) {
    }

    /** A snapshot: the disks as they were, frozen, with their change ids. */
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

    /** Every snapshot in the tree, parents before children. */
    List<Snap> allSnapshots() {
        List<Snap> all = new ArrayList<>();
        ArrayDeque<Snap> todo = new ArrayDeque<>(rootSnapshots);
        while (!todo.isEmpty()) {
            Snap s = todo.removeFirst();
            all.add(s);
            todo.addAll(s.children);
        }
        return all;
    }

    /** The VM's current disks and every snapshot's frozen disks. */
    List<Disk> allDisks() {
        List<Disk> all = new ArrayList<>(disks);
        allSnapshots().forEach(s -> all.addAll(s.disks));
        return all;
    }

    Disk disk(int key) {
        return disks.stream().filter(d -> d.key == key).findFirst().orElse(null);
    }

    /** The change id of the current disks: moves on with every write while CBT is on, null when it is off. */
    String currentChangeId() {
        return cbt && cbtTrackId != null ? cbtTrackId + "/" + writeSeq : null;
    }

    /** The VM's folder on its datastore, e.g. {@code [ds1] web/}. */
    String folderPath(String datastoreName) {
        return "[" + datastoreName + "] " + name + "/";
    }

    /** What the real adapter reads: datastores hold the name in paths, extraConfig only the reported keys. */
    VmInfo info(String datastoreName) {
        String changeId = currentChangeId();
        return new VmInfo(new VmRef(moref), name, instanceUuid, biosUuid, datacenter, host, resourcePool, folder,
                folderPath(datastoreName) + name + ".vmx", power, template, cbt, hardwareVersion, encrypted,
                consolidationNeeded, controllers, disks.stream().map(d -> d.info(datastore, changeId)).toList(),
                rootSnapshots.stream().map(Snap::info).toList(),
                currentSnapshot == null ? null : new SnapshotRef(currentSnapshot.moref), disabledMethods,
                datastores(), reportedExtraConfig());
    }

    /** vCenter's {@code datastore} property: the VM's own, then any other its disks live on. */
    private List<String> datastores() {
        Set<String> all = new LinkedHashSet<>();
        all.add(datastore);
        disks.stream().filter(d -> d.datastore != null).forEach(d -> all.add(d.datastore));
        return List.copyOf(all);
    }

    private Map<String, String> reportedExtraConfig() {
        Map<String, String> kept = new TreeMap<>();
        extraConfig.forEach((key, value) -> {
            if (key.startsWith(VmInfo.AGENT_KEY_PREFIX)) {
                kept.put(key, value);
            }
            VSPHERE_KEYS.stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT)))
                    .forEach(k -> kept.put(k, value));
        });
        return kept;
    }
}

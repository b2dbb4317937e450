package io.hotadd.agent.engine;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.ScsiSlot;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.engine.SlotAllocator.ProxySlots;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The proxy VM's SCSI layout at one moment: controllers by bus, which slots are taken, and which disks are
 * its own (OS disk, dummies: files in its own folder) as opposed to hot-added ones.
 */
public record ProxyView(VmInfo vm, SortedMap<Integer, ControllerInfo> scsiByBus, Set<ScsiSlot> occupied,
                        List<DiskInfo> ownDisks, List<DiskInfo> foreignDisks) {

    static ProxyView of(VmInfo proxy) {
        SortedMap<Integer, ControllerInfo> byBus = new TreeMap<>();
        Map<Integer, ControllerInfo> byKey = new HashMap<>();
        for (ControllerInfo c : proxy.controllers()) {
            if (c.type().isScsi()) {
                byBus.put(c.busNumber(), c);
                byKey.put(c.key(), c);
            }
        }
        Set<ScsiSlot> occupied = new HashSet<>();
        for (DiskInfo d : proxy.disks()) {
            ControllerInfo c = byKey.get(d.controllerKey());
            if (c != null && d.unitNumber() != ScsiSlot.CONTROLLER_UNIT) {
                occupied.add(new ScsiSlot(c.busNumber(), d.unitNumber()));
            }
        }
        String folder = folderOf(proxy.vmPathName());
        List<DiskInfo> own = proxy.disks().stream().filter(d -> d.fileName().startsWith(folder)).toList();
        List<DiskInfo> foreign = proxy.disks().stream().filter(d -> !d.fileName().startsWith(folder)).toList();
        return new ProxyView(proxy, byBus, occupied, own, foreign);
    }

    /** "[ds1] proxy/proxy.vmx" → "[ds1] proxy/": where the proxy's own files (and dummies) live. */
    static String folderOf(String vmPathName) {
        int slash = vmPathName.lastIndexOf('/');
        return slash < 0 ? vmPathName.substring(0, vmPathName.indexOf(']') + 1) + " " : vmPathName.substring(0, slash + 1);
    }

    public ProxySlots slots() {
        return new ProxySlots(new TreeSet<>(scsiByBus.keySet()), occupied);
    }

    /** A disk of the proxy's own on that bus (OS disk or dummy), used to find the bus's SCSI host for rescans. */
    public Optional<String> anchorUuid(int bus) {
        ControllerInfo c = scsiByBus.get(bus);
        if (c == null) {
            return Optional.empty();
        }
        return ownDisks.stream().filter(d -> d.controllerKey() == c.key()).map(DiskInfo::uuid).findFirst();
    }

    public int controllerKey(int bus) {
        ControllerInfo c = scsiByBus.get(bus);
        if (c == null) {
            throw new IllegalStateException("the proxy has no SCSI controller at bus " + bus);
        }
        return c.key();
    }
}

package io.hotadd.agent.engine;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.port.VmInventory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything that can be known to make HotAdd fail, checked before any side effect. Each refusal names the
 * VM (and disk) and the remedy; disks that cannot be backed up by design (independent, physical RDM) are
 * skipped with a warning instead, as backup products do.
 */
public final class Preflight {
    /** VMFS-3 caps a file at 256 GiB per MiB of block size (minus 512 bytes). */
    private static final long VMFS3_BYTES_PER_BLOCK_MB = 256L << 30;

    private final VmInventory inventory;
    private final int slotCapacity;

    public Preflight(VmInventory inventory, int slotCapacity) {
        this.inventory = inventory;
        this.slotCapacity = slotCapacity;
    }

    /** The disks to back up and the warnings about the ones left out. */
    public record Checked(List<DiskInfo> disks, List<String> warnings) {
    }

    public Checked check(VmInfo target, ProxyView proxy) {
        refuseWholeVm(target, proxy.vm());
        List<String> warnings = new ArrayList<>();
        List<DiskInfo> disks = selectDisks(target, warnings);
        if (disks.isEmpty()) {
            throw new PreflightRefused("no-disks", "VM '" + target.name() + "' has no disk that can be backed up"
                    + (warnings.isEmpty() ? "." : ": " + String.join("; ", warnings)));
        }
        if (disks.size() > slotCapacity) {
            throw new PreflightRefused("too-many-disks", "VM '" + target.name() + "' has " + disks.size()
                    + " disks but the proxy can hold at most " + slotCapacity + " at once; add spare controllers "
                    + "(hotadd.proxy.spare-controllers) or raise units per controller on virtual hardware 14+.");
        }
        checkStorage(target, proxy.vm(), disks);
        return new Checked(disks, warnings);
    }

    private static void refuseWholeVm(VmInfo target, VmInfo proxy) {
        String vm = "VM '" + target.name() + "' (" + target.ref() + ")";
        if (target.ref().equals(proxy.ref())) {
            refuse("target-is-proxy", vm + " is this backup proxy itself; back it up with another proxy.");
        }
        if (target.template()) {
            refuse("template", vm + " is a template, which cannot be snapshotted; back up a VM deployed from it.");
        }
        if (!target.datacenter().equals(proxy.datacenter())) {
            refuse("other-datacenter", vm + " is in datacenter " + target.datacenter() + " but this proxy is in "
                    + proxy.datacenter() + "; HotAdd needs both in one datacenter. Use a proxy deployed there.");
        }
        if (target.encrypted() && !proxy.encrypted()) {
            refuse("encrypted-vm", vm + " is encrypted; hot-adding encrypted disks needs an encrypted proxy VM and "
                    + "the Cryptographer.AddDisk privilege. Encrypt the proxy VM, or back this VM up over NBDSSL.");
        }
        if (target.consolidationNeeded()) {
            refuse("consolidation-needed", vm + " needs disk consolidation from an earlier snapshot; consolidate it "
                    + "(Snapshots > Consolidate) before backing it up.");
        }
    }

    private static List<DiskInfo> selectDisks(VmInfo target, List<String> warnings) {
        List<DiskInfo> selected = new ArrayList<>();
        for (DiskInfo d : target.disks()) {
            String disk = "disk '" + d.label() + "' (key " + d.key() + ") of VM '" + target.name() + "'";
            ControllerInfo c = target.controller(d.controllerKey()).orElse(null);
            if (c == null || !c.type().isScsi()) {
                refuse("non-scsi-disk", disk + " is on a " + (c == null ? "unknown" : c.type()) + " controller; HotAdd "
                        + "works only with SCSI disks. Move the disk to a SCSI controller (PVSCSI recommended).");
            }
            if (d.mode().isIndependent()) {
                warnings.add(disk + " is independent (" + d.mode().wire() + ") and not captured by snapshots; skipped");
            } else if (d.backing() == DiskBacking.RDM_PHYSICAL) {
                warnings.add(disk + " is a physical-mode RDM, which snapshots cannot capture; skipped");
            } else if (!d.backing().canHotAdd()) {
                warnings.add(disk + " has a backing HotAdd cannot attach; skipped");
            } else {
                selected.add(d);
            }
        }
        return selected;
    }

    private void checkStorage(VmInfo target, VmInfo proxy, List<DiskInfo> disks) {
        Set<String> morefs = new LinkedHashSet<>(proxy.datastores());
        disks.forEach(d -> morefs.add(d.datastore()));
        Map<String, DatastoreInfo> byMoref = inventory.datastores(List.copyOf(morefs)).stream()
                .collect(Collectors.toMap(DatastoreInfo::moref, Function.identity()));
        DatastoreInfo home = byMoref.get(proxy.datastores().get(0));
        for (DiskInfo d : disks) {
            DatastoreInfo ds = byMoref.get(d.datastore());
            String disk = "disk '" + d.label() + "' of VM '" + target.name() + "' on datastore '" + ds.name() + "'";
            if (!ds.accessible()) {
                refuse("datastore-inaccessible", disk + ": the datastore is inaccessible; fix its storage first.");
            }
            if (!ds.hosts().contains(proxy.host())) {
                refuse("datastore-not-visible", disk + ": the datastore is not mounted on host " + proxy.host()
                        + " where the proxy runs; mount it there, or use a proxy on a host that sees it.");
            }
            checkVmfsRule(disk, d, ds, home);
        }
    }

    /** VDDK: the target's VMFS version and block size must match the proxy's datastore. */
    private static void checkVmfsRule(String disk, DiskInfo d, DatastoreInfo ds, DatastoreInfo home) {
        if (!"VMFS".equalsIgnoreCase(ds.type()) || !"VMFS".equalsIgnoreCase(home.type())) {
            return;
        }
        if (ds.vmfsMajorVersion() != home.vmfsMajorVersion() || ds.blockSizeMb() != home.blockSizeMb()) {
            refuse("vmfs-mismatch", disk + " is VMFS-" + ds.vmfsMajorVersion() + " with " + ds.blockSizeMb()
                    + " MB blocks but the proxy's datastore '" + home.name() + "' is VMFS-" + home.vmfsMajorVersion()
                    + " with " + home.blockSizeMb() + " MB blocks; HotAdd needs them equal. Move the proxy to a "
                    + "datastore like the target's (VMFS-5/6 recommended).");
        }
        long max = home.blockSizeMb() * VMFS3_BYTES_PER_BLOCK_MB - 512;
        if (home.vmfsMajorVersion() == 3 && d.capacityBytes() > max) {
            refuse("vmfs3-block-size", disk + " has " + d.capacityBytes() + " bytes, more than the " + max
                    + " a VMFS-3 datastore with " + home.blockSizeMb() + " MB blocks can hold for the proxy's redo "
                    + "log; put the proxy on VMFS-5/6 or on VMFS-3 with a larger block size.");
        }
    }

    private static void refuse(String reason, String message) {
        throw new PreflightRefused(reason, message);
    }
}

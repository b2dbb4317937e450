package io.hotadd.agent.engine;

import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.port.CapturedConfig;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VSphereException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The backup's record of the VM for a later restore as a new VM (VDDK: keep the ConfigInfo from the
 * PropertyCollector, never a copy of the .vmx): the snapshot's configuration, so it matches the disks read
 * from that snapshot, and the NVRAM through vCenter's file service. Neither is worth failing the backup over:
 * what cannot be captured is a warning, and the restore point can still restore disks.
 */
final class ConfigCapture {
    private static final Logger LOG = Logger.getLogger(ConfigCapture.class);

    private final VSphere vsphere;
    private final Clock clock;

    ConfigCapture(VSphere vsphere, Clock clock) {
        this.vsphere = vsphere;
        this.clock = clock;
    }

    /** The restore point's VM configuration blob, or empty (with a warning) when it could not be read. */
    Optional<byte[]> capture(VmInfo vm, SnapshotRef snapshot, Consumer<String> warn) {
        CapturedConfig config;
        try {
            config = vsphere.captureConfig(vm.ref(), snapshot);
        } catch (VSphereException e) {
            warn.accept("the configuration of VM '" + vm.name() + "' was not captured (" + e.getMessage() + "); this"
                    + " restore point can restore its disks, but not a new VM");
            return Optional.empty();
        }
        List<String> notes = new ArrayList<>();
        Optional<VmConfigDocument.Nvram> nvram = nvram(vm, config.summary().nvramPath(), notes, warn);
        VmConfigDocument.Source source = new VmConfigDocument.Source(vm.ref().moref(), vm.name(), vm.instanceUuid(),
                vm.datacenter(), vm.folder(), vm.resourcePool(), vm.host(), vm.datastores(), snapshot.moref());
        VmConfigDocument doc = VmConfigDocument.of(clock.instant(), source, config, nvram, notes);
        LOG.debugf("Captured %s", doc); // the document's toString leaves out the XML and the NVRAM (secrets)
        return Optional.of(doc.toBytes());
    }

    private Optional<VmConfigDocument.Nvram> nvram(VmInfo vm, String path, List<String> notes,
                                                   Consumer<String> warn) {
        if (path == null) {
            notes.add("the configuration names no NVRAM file");
            return Optional.empty();
        }
        try {
            return Optional.of(new VmConfigDocument.Nvram(path, vsphere.download(vm.datacenter(), path)));
        } catch (VSphereException.NotFound e) {
            notes.add("VM '" + vm.name() + "' had no NVRAM file at " + path + " (a VM never powered on has none)");
        } catch (VSphereException e) {
            String note = "the NVRAM of VM '" + vm.name() + "' (" + path + ") was not captured: " + e.getMessage();
            notes.add(note);
            warn.accept(note + "; a VM restored from this point gets a fresh NVRAM (EFI boot entries, Secure Boot"
                    + " keys and a vTPM's state are lost)");
        }
        return Optional.empty();
    }
}

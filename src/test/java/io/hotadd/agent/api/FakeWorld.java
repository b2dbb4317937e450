package io.hotadd.agent.api;

import io.hotadd.agent.fakes.FakeGuestDisks;
import io.hotadd.agent.fakes.FakeVSphere;
import io.hotadd.agent.fakes.FakeVcenterActivity;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.fakes.MemoryRepository;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Random;

/**
 * The outside world of the agent under @QuarkusTest: an in-memory vCenter with a proxy VM, the proxy's
 * guest, and an in-memory repository. One per application start; tests add VMs with unique names.
 */
@Singleton
public class FakeWorld {
    public static final long MIB = 1 << 20;
    public final FakeVSphere vc = new FakeVSphere();
    /** The vCenter tasks, events, attributes and extension the agent makes visible to administrators. */
    public final FakeVcenterActivity activity = new FakeVcenterActivity();
    public final FakeVm proxy;
    public final FakeGuestDisks guest;
    public final MemoryRepository repo = new MemoryRepository(64 << 10);

    public FakeWorld() {
        proxy = vc.addVm("proxy", 16 * MIB);
        proxy.extraConfig.put("disk.EnableUUID", "TRUE");
        guest = new FakeGuestDisks(vc, proxy.moref);
    }

    /** A VM with CBT on, {@code disks} disks of {@code mib} MiB, each with its first MiB written. */
    public synchronized FakeVm vm(String name, int disks, int mib) {
        long[] caps = new long[disks];
        java.util.Arrays.fill(caps, mib * MIB);
        FakeVm vm = vc.addVm(name, caps);
        vm.cbt = true;
        vm.cbtTrackId = "52 " + name;
        Random random = new Random(name.hashCode());
        for (int d = 0; d < disks; d++) {
            for (int m = 0; m < mib; m++) {
                byte[] data = new byte[(int) MIB];
                random.nextBytes(data);
                vc.guestWrite(vm, 2000 + d, m * MIB, data);
            }
        }
        return vm;
    }

    /** Every call so far that creates or changes something in vCenter (snapshot, clone, attach, CBT, locks). */
    public List<String> changingCalls() {
        return vc.faults().calls().stream().filter(c -> CHANGING.contains(c.split(" ")[0])).toList();
    }

    private static final java.util.Set<String> CHANGING = java.util.Set.of("createSnapshot", "removeSnapshot",
            "createLinkedClone", "destroy", "attachDisks", "detachDisks", "addSpareController", "setChangeTracking",
            "disableMethods", "enableMethods", "consolidateDisks");

    /** Calls that would create or change something in vCenter, made on this VM (moref) so far. */
    public List<String> changesOn(FakeVm vm) {
        return vc.faults().calls().stream().filter(c -> c.endsWith(" " + vm.moref) || c.contains(" " + vm.moref + "/"))
                .filter(c -> !c.startsWith("read") && !c.startsWith("activeTasks") && !c.startsWith("find"))
                .toList();
    }
}

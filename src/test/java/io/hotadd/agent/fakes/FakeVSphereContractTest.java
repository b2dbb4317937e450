package io.hotadd.agent.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VSphereRestoreContract;
import java.time.Duration;
import java.util.List;

/**
 * The VSphere contracts (backup and restore) against the in-memory fake the engine tests run on, so that what those tests show
 * holds for the real adapter too (YavijavaVSphereHarnessTest runs the same contract on the harness). Each
 * test gets a fresh fake vCenter with a proxy VM and its guest, as {@code EngineFixture} sets them up.
 */
class FakeVSphereContractTest extends VSphereRestoreContract {

    private static final long CBT_BLOCK = 64 * 1024;

    private final FakeVSphere vc = new FakeVSphere();
    private final FakeVm proxy = vc.addVm("proxy", 16 * MIB);
    private final FakeGuestDisks guest = new FakeGuestDisks(vc, proxy.moref);
    private final String otherFolder = vc.addVmFolder("contract-elsewhere");

    FakeVSphereContractTest() {
        proxy.extraConfig.put("disk.EnableUUID", "TRUE");
        vc.cbtBlock(CBT_BLOCK);
    }

    @Override
    protected VSphere vsphere() {
        return vc;
    }

    @Override
    protected VmRef createVm(String name, List<Long> diskBytes, boolean cbt) {
        FakeVm vm = vc.addVm(name, diskBytes.stream().mapToLong(Long::longValue).toArray());
        if (cbt) {
            vc.setChangeTracking(new VmRef(vm.moref), true);
        }
        return new VmRef(vm.moref);
    }

    @Override
    protected void writeGuest(VmRef vm, int diskKey, long offset, byte[] data) {
        vc.guestWrite(vc.vm(vm.moref()), diskKey, offset, data);
    }

    @Override
    protected VmRef proxy() {
        return new VmRef(proxy.moref);
    }

    /** A path in the proxy's own folder on its datastore, as the harness world makes it. */
    @Override
    protected String newFileOnProxyDatastore(String fileName) {
        String vmx = vc.read(proxy()).orElseThrow().vmPathName();
        return vmx.substring(0, vmx.lastIndexOf('/') + 1) + fileName;
    }

    @Override
    protected String otherVmFolder() {
        return otherFolder;
    }

    @Override
    protected void releaseInGuest(DiskInfo attached) {
        guest.release(attached.uuid(), Duration.ofSeconds(10));
    }

    @Override
    protected Runnable startForeignTask(VmRef vm, String descriptionId) {
        return vc.startTask(vm, descriptionId);
    }

    @Override
    protected long changeGranularity() {
        return CBT_BLOCK;
    }

    @Override
    protected void powerOffForCleanup(VmRef vm) {
        vc.vm(vm.moref()).power = io.hotadd.agent.domain.PowerState.POWERED_OFF;
    }

    @Override
    protected void deleteFile(String datastorePath) {
        vc.deleteFile(vc.read(proxy()).orElseThrow().datacenter(), datastorePath);
    }

    /** Nothing the test made is left, and no ordering rule was broken (the harness's leftovers and violations). */
    @Override
    protected void afterCleanup() {
        assertEquals(List.of(), vc.leftovers(proxy), "leftovers");
        assertEquals(List.of(), vc.violations(), "violations");
    }
}

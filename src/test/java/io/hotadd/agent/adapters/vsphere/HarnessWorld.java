package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.ManagedObjectReference;
import io.hotadd.agent.adapters.blockdev.GuestDisksConfig;
import io.hotadd.agent.adapters.blockdev.SysfsGuestDisks;
import io.hotadd.agent.adapters.blockdev.WaitClock;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.harness.Vcsim;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimModel;

import java.time.Duration;
import java.util.List;

/**
 * The yavijava adapter connected to a running simulator harness, plus what tests need around it: test VMs
 * and guest writes through the control API, the proxy's guest block layer (the production sysfs code
 * pointed at the harness's folders), and the leftover check.
 */
final class HarnessWorld implements AutoCloseable {

    static final String PROXY = "DC0_H0_VM0";

    final Vcsim vcsim;
    final VSphereSession session;
    final YavijavaVSphere vsphere;
    final SysfsGuestDisks guest;

    private HarnessWorld(Vcsim vcsim, VSphereSession session, YavijavaVSphere vsphere, SysfsGuestDisks guest) {
        this.vcsim = vcsim;
        this.session = session;
        this.vsphere = vsphere;
        this.guest = guest;
    }

    static HarnessWorld open(Vcsim vcsim, VSphereAdapterOptions options) {
        VSphereSession session = VSphereSession.open(
                VSphereSettings.of(vcsim.url(), ServerTrust.pinned(vcsim.sha256())),
                new VSphereCredentials(vcsim.username(), vcsim.password().toCharArray()));
        SysfsGuestDisks guest = new SysfsGuestDisks(GuestDisksConfig.underRoots(vcsim.devDir(), vcsim.byIdDir(),
                vcsim.sysfsRoot()), WaitClock.system());
        return new HarnessWorld(vcsim, session, new YavijavaVSphere(session, options), guest);
    }

    VcsimControl control() {
        return vcsim.control();
    }

    VmRef createVm(String name, List<Long> diskBytes, boolean cbt) {
        List<VcsimModel.NewDisk> disks = diskBytes.stream().map(VcsimModel.NewDisk::thin).toList();
        VcsimModel.Vm vm = control().createVm(new VcsimModel.NewVm(name, null, null, cbt, true, disks));
        return new VmRef(vm.moref());
    }

    void writeGuest(VmRef vm, int diskKey, long offset, byte[] data) {
        control().write(vm.moref(), diskKey, offset, data);
    }

    VmRef proxy() {
        return new VmRef(control().vm(PROXY).moref());
    }

    /** A path in the proxy's own folder on its datastore. */
    String newFileOnProxyDatastore(String fileName) {
        VmInfo proxy = vsphere.read(proxy()).orElseThrow();
        String vmx = proxy.vmPathName();
        return vmx.substring(0, vmx.lastIndexOf('/') + 1) + fileName;
    }

    /** A new VM folder beside the one the harness creates VMs in. */
    String createVmFolder(String name) {
        VmRef probe = proxy();
        String parent = vsphere.read(probe).orElseThrow().folder();
        ManagedObjectReference folder = session.call("create a folder", "Folder:" + parent,
                (vim, content) -> vim.createFolder(VSphereSession.mor("Folder", parent), name));
        return folder.val;
    }

    /** Powers a VM off with PowerOffVM_Task (the agent itself never powers VMs off). */
    void powerOff(VmRef vm) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachine", vm.moref());
        runTask("power off", "VirtualMachine:" + vm.moref(), (vim, content) -> vim.powerOffVM_Task(mor));
    }

    /** Deletes a datastore file with FileManager.DeleteDatastoreFile_Task. */
    void deleteFile(String datastorePath) {
        ManagedObjectReference datacenter = session.call("find the datacenter", "SearchIndex",
                (vim, content) -> vim.findByInventoryPath(content.searchIndex, vsphere.read(proxy()).orElseThrow()
                        .datacenter()));
        runTask("delete " + datastorePath, "FileManager",
                (vim, content) -> vim.deleteDatastoreFile_Task(content.fileManager, datastorePath, datacenter));
    }

    private void runTask(String action, String object, VSphereSession.VimCall<ManagedObjectReference> start) {
        try (PropertyCollectorPool collectors = new PropertyCollectorPool(session)) {
            new TaskWaiter(session, collectors, DeadlineClock.system(), TaskProgressListener.NONE)
                    .run(new TaskWaiter.TaskRun(action, object, Duration.ofMinutes(1)), start);
        }
    }

    /** What the agent does before detaching: the guest deletes the SCSI device. */
    void releaseInGuest(DiskInfo attached) {
        guest.release(attached.uuid(), Duration.ofSeconds(10));
    }

    /** Nothing the agent made is left (clones, snapshots, proxy disks, method locks), and no protocol slips. */
    void assertClean() {
        VcsimModel.Leftovers leftovers = control().leftovers();
        assertTrue(leftovers.clean(), "leftovers: " + leftovers);
        assertEquals(List.of(), control().violations());
    }

    @Override
    public void close() {
        vsphere.close();
        session.close();
    }
}

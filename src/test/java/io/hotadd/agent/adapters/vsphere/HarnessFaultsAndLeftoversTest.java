package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.ManagedObjectReference;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.FaultRule;
import io.hotadd.agent.harness.VcsimModel.Leftovers;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.port.VSphereException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness's fault injection and leftover audit, as the agent's crash and fault tests will use them. */
class HarnessFaultsAndLeftoversTest {
    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy("DC0_H0_VM0"));

    private static HarnessSoap soap;

    @BeforeAll
    static void connect() {
        soap = new HarnessSoap(VCSIM.vcsim());
    }

    @AfterAll
    static void disconnect() {
        soap.close();
    }

    @AfterEach
    void clearFaults() {
        control().clearFaults();
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    private static Vm newVm(String name) {
        return control().createVm(new NewVm(name, null, null, false, true, List.of(NewDisk.thin(1 << 20))));
    }

    @Test
    void aFaultRuleFailsExactlyCountCallsWithTheNamedFaultOnlyOnItsObject() {
        Vm target = newVm("f1");
        Vm other = newVm("f2");
        control().addFault(FaultRule.fault("CreateSnapshot_Task", "InvalidState", 2).on(target.moref()));

        ManagedObjectReference onOther = soap.snapshot(other.moref(), "not targeted");
        for (int i = 0; i < 2; i++) {
            assertThrows(VSphereException.InvalidState.class, () -> soap.snapshot(target.moref(), "x"));
        }
        ManagedObjectReference third = soap.snapshot(target.moref(), "third works");
        FaultRule rule = control().faults().get(0);
        assertEquals(0, rule.remaining());
        assertEquals(2, rule.hits());
        soap.removeSnapshot(third);
        soap.removeSnapshot(onOther);
    }

    @Test
    void aFaultDeliveredInTheTaskEndsTheTaskInError() {
        Vm vm = newVm("f3");
        control().addFault(FaultRule.fault("CreateSnapshot_Task", "FileLocked", 1).deliveredInTask());
        assertThrows(VSphereException.FileLocked.class, () -> soap.snapshot(vm.moref(), "locked"));
        assertTrue(control().vm("f3").snapshots().isEmpty(), "a failed task changes nothing");
    }

    @Test
    void aDroppedConnectionIsATransportErrorAfterTheCallWasCarriedOut() {
        Vm vm = newVm("f4");
        control().addFault(new FaultRule(null, "CreateSnapshot_Task", vm.moref(), 1, "drop", null, null, null, null,
                null, null));
        VSphereException e = assertThrows(VSphereException.class, () -> soap.snapshot(vm.moref(), "dropped"));
        assertTrue(e instanceof VSphereException.Transport || e instanceof VSphereException.Timeout, e.toString());
        assertEquals(1, control().vm("f4").snapshots().size(), "dropped after the work was done, as documented");
        soap.removeSnapshot(HarnessSoap.mor("VirtualMachineSnapshot", control().vm("f4").snapshots().get(0).moref()));
    }

    @Test
    void leftoversNameEverySnapshotCloneAndDisabledMethodUntilCleanedUp() throws Exception {
        Vm vm = newVm("l1");
        ManagedObjectReference snap = soap.snapshot(vm.moref(), "forgotten");
        ManagedObjectReference clone = soap.linkedClone(vm.moref(), snap, "l1-clone");
        disableRelocate(vm.moref(), true);

        Leftovers left = control().leftovers();
        assertFalse(left.clean());
        assertEquals(1, left.snapshots().size(), left.toString());
        assertEquals(1, left.clones().size(), left.toString());
        assertEquals(1, left.disabledMethods().size(), left.toString());

        disableRelocate(vm.moref(), false);
        soap.destroy(clone);
        soap.removeSnapshot(snap);
        assertTrue(control().leftovers().clean(), control().leftovers().toString());
    }

    private static void disableRelocate(String vmMoref, boolean disable) {
        soap.session.call("disable methods", vmMoref, (vim, sc) -> {
            ManagedObjectReference[] entity = {HarnessSoap.vm(vmMoref)};
            String[] methods = {"RelocateVM_Task"};
            if (disable) {
                AuthorizationMethods.disable(vim.getWsc(), sc.getAuthorizationManager(), entity, methods, "test");
            } else {
                AuthorizationMethods.enable(vim.getWsc(), sc.getAuthorizationManager(), entity, methods, "test");
            }
            return null;
        });
    }
}

package io.hotadd.agent.port;

import io.hotadd.agent.domain.VmInfo;
import java.util.List;

/** All VMs of the inventory at once, for the orphan sweep (which trusts vCenter, not the journal). */
public interface VmCatalog {

    /**
     * Every VM (templates included) as {@link VmInventory#read} would answer it, but without its datacenter,
     * in one PropertyCollector call.
     */
    List<VmInfo> allVms();
}

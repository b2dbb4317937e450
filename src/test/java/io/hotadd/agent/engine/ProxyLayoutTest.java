package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.VmRef;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyLayoutTest {
    private final EngineFixture f = new EngineFixture();
    private final ProxyLayout layout = new ProxyLayout(f.vc, EngineSettings.defaults(), new ReentrantLock());

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void addsSpareControllersInBusOrderEachWithADummyInTheProxysFolder() {
        ProxyView view = layout.ensure(new VmRef(f.proxy.moref));
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(view.scsiByBus().keySet()));
        assertEquals(List.of("addSpareController", "addSpareController", "addSpareController"),
                f.vc.faults().calls().stream().map(c -> c.split(" ")[0]).filter(c -> c.startsWith("add")).toList());
        assertEquals(4, view.ownDisks().size(), "the OS disk and three dummies");
        assertTrue(view.ownDisks().stream().skip(1).allMatch(d -> d.fileName().startsWith("[ds1] proxy/"
                + ProxyLayout.DUMMY_PREFIX)));
        assertTrue(view.anchorUuid(2).isPresent(), "bus 2's dummy anchors rescans of its SCSI host");
    }

    @Test
    void rebuildsAControllerThatVanishedWithItsLastDisk() {
        layout.ensure(new VmRef(f.proxy.moref));
        ControllerInfo bus2 = f.proxy.controllers.stream().filter(c -> c.busNumber() == 2).findFirst().orElseThrow();
        f.proxy.controllers.remove(bus2); // someone removed bus 2's dummy in the vSphere Client
        f.proxy.disks.removeIf(d -> d.controllerKey == bus2.key());

        ProxyView view = layout.ensure(new VmRef(f.proxy.moref));
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(view.scsiByBus().keySet()));
        assertTrue(f.vc.faults().calls().get(f.vc.faults().calls().size() - 2).startsWith("addSpareController"));
    }

    @Test
    void neverTouchesAProxyWithoutBusZero() {
        f.proxy.controllers.clear();
        ProxySetupException e = assertThrows(ProxySetupException.class, () -> layout.ensure(new VmRef(f.proxy.moref)));
        assertTrue(e.getMessage().contains("bus 0"), e.getMessage());
        assertTrue(f.vc.faults().calls().stream().noneMatch(c -> c.startsWith("addSpare")));
    }
}

package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.VSphereException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyIdentityTest {
    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void findsItselfByBiosUuidEvenWhenLinuxShowsTheOtherByteOrder() {
        f.proxy.biosUuid = "421c2f6e-8f2a-1b3c-9d4e-5f60718293a4";
        String asLinuxShowsIt = "6e2f1c42-2a8f-3c1b-9d4e-5f60718293a4";
        ProxyIdentity id = new ProxyIdentity(f.vc, () -> Optional.of(asLinuxShowsIt), Optional.empty());
        assertEquals(f.proxy.moref, id.resolve().ref().moref());
    }

    @Test
    void aConfiguredProxyWins() {
        ProxyIdentity id = new ProxyIdentity(f.vc, Optional::empty, Optional.of(new VmSelector.ByName("proxy")));
        assertEquals("proxy", id.resolve().name());
    }

    @Test
    void refusesAProxyWithoutEnableUuidAndSaysHowToFixIt() {
        f.proxy.extraConfig.remove("disk.EnableUUID");
        ProxyIdentity id = new ProxyIdentity(f.vc, () -> Optional.of(f.proxy.biosUuid), Optional.empty());
        ProxySetupException e = assertThrows(ProxySetupException.class, id::resolve);
        assertTrue(e.getMessage().contains("disk.EnableUUID = TRUE"), e.getMessage());
    }

    @Test
    void aMachineThisVcenterDoesNotManageIsRefused() {
        ProxyIdentity id = new ProxyIdentity(f.vc, () -> Optional.of("00000000-0000-0000-0000-000000000001"),
                Optional.empty());
        ProxySetupException e = assertThrows(ProxySetupException.class, id::resolve);
        assertTrue(e.getMessage().contains("same vCenter"), e.getMessage());
    }

    @Test
    void onceFoundTheProxyIsReadByItsMorefInsteadOfSearchedForEachJob() {
        AtomicReference<String> biosUuid = new AtomicReference<>(f.proxy.biosUuid);
        ProxyIdentity id = new ProxyIdentity(f.vc, () -> Optional.of(biosUuid.get()), Optional.empty());
        id.resolve();
        biosUuid.set("00000000-0000-0000-0000-000000000001"); // a search now would fail
        assertEquals(f.proxy.moref, id.resolve().ref().moref());
        f.proxy.extraConfig.remove("disk.EnableUUID");
        assertThrows(ProxySetupException.class, id::resolve, "every resolve still checks disk.EnableUUID");
    }

    @Test
    void aProxyGoneFromItsMorefIsSearchedForAgain() {
        ProxyIdentity id = new ProxyIdentity(f.vc, () -> Optional.of("00000000-0000-0000-0000-000000000001"),
                Optional.of(new VmSelector.ByName("proxy")));
        id.resolve();
        f.proxy.power = PowerState.POWERED_OFF;
        f.vc.destroy(new VmRef(f.proxy.moref));
        VSphereException.NotFound e = assertThrows(VSphereException.NotFound.class, id::resolve);
        assertTrue(e.getMessage().contains("'proxy'"), e.getMessage());
    }

    @Test
    void byteOrderCandidates() {
        assertEquals(List.of("01020304-0506-0708-090a-0b0c0d0e0f10", "04030201-0605-0807-090a-0b0c0d0e0f10"),
                ProxyIdentity.candidates("01020304-0506-0708-090A-0B0C0D0E0F10"));
    }
}

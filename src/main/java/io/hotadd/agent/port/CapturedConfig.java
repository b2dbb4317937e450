package io.hotadd.agent.port;

import java.util.Objects;

/**
 * A VM's configuration as vCenter's PropertyCollector returned it ({@code VirtualMachineConfigInfo} of a
 * snapshot, never a copy of the .vmx, as VDDK advises), kept verbatim so fields newer than the agent's model
 * survive, plus the {@link VmConfigSummary} the engine plans with.
 *
 * <p>The XML holds secrets (the {@code encryption.bundle} extraConfig entry, vApp property values), so
 * {@link #toString()} never shows it.
 *
 * @param vimConfigXml a standalone XML document whose root element is the {@code config} value (namespace
 *                     {@code urn:vim25}, {@code xsi:type="VirtualMachineConfigInfo"}), as the adapter that
 *                     captured it can read it back
 */
public record CapturedConfig(String vimConfigXml, VmConfigSummary summary) {

    public CapturedConfig {
        Objects.requireNonNull(vimConfigXml, "vimConfigXml");
        Objects.requireNonNull(summary, "summary");
    }

    @Override
    public String toString() {
        return "CapturedConfig[" + summary + ", " + vimConfigXml.length() + " characters of XML]";
    }
}

package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.VirtualDevice;

/**
 * vim25 {@code VirtualTPM} (API 6.7+), the virtual Trusted Platform Module of a VM; yavijava 6.0.05 lacks it.
 * The agent needs to recognise it in a VM's device list: a VM with a vTPM is encrypted, and a linked clone
 * of it cannot be made without the key provider.
 */
public class VirtualTPM extends VirtualDevice {

    /** Endorsement key certificate signing requests, DER, one per key (xsd:base64Binary on the wire). */
    public byte[][] endorsementKeyCertificateSigningRequest;

    /** Endorsement key certificates, DER, one per key (xsd:base64Binary on the wire). */
    public byte[][] endorsementKeyCertificate;
}

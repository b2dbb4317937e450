package io.hotadd.agent.domain;

/**
 * The VM a job works on, as resolved when the job was accepted: the moref is what keeps two jobs off one
 * VM, the instance UUID is the VM's identity in the repository.
 */
public record JobTarget(String moref, String name, String instanceUuid) {
}

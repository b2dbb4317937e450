package io.hotadd.agent.domain;

/** A disk controller of a VM: device key, bus number and kind. */
public record ControllerInfo(int key, int busNumber, ControllerType type) {
}

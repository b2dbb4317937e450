package io.hotadd.agent.domain;

public enum PowerState {
    POWERED_ON, POWERED_OFF, SUSPENDED
}

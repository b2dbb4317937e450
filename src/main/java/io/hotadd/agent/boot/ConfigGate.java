package io.hotadd.agent.boot;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Checks the configuration before anything else is built from it: this observer runs first, and depends
 * on nothing but the configuration, so a bad value stops the agent with {@link ConfigInvalid}'s message
 * instead of an obscure failure in whatever bean happened to read it first.
 */
@ApplicationScoped
public class ConfigGate {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, AgentConfig config) {
        ConfigValidation.validate(config);
    }
}

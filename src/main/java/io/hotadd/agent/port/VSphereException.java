package io.hotadd.agent.port;

import io.hotadd.agent.domain.AgentException;

import java.util.List;
import java.util.Optional;

/**
 * What can go wrong when the agent talks to vCenter, as types the job engine can act on.
 *
 * <p>Messages are written for a vSphere administrator: they name the operation, the managed object
 * (type:moref) and what to do. {@link #vCenterMessage()} keeps vCenter's own fault text, {@link #faultType()}
 * the vSphere fault type name (for metrics and logs). The vim25 fault object, when there is one, is the
 * {@linkplain #getCause() cause}.
 *
 * <p>Part of the port: the engine catches these (e.g. {@link NotFound} during cleanup means done) without
 * depending on the adapter that raises them, and fakes raise the same types.
 */
public abstract class VSphereException extends AgentException {

    private static final long serialVersionUID = 1L;

    private final String faultType;
    private final String vCenterMessage;

    protected VSphereException(String message, String faultType, String vCenterMessage, Throwable cause) {
        super(message, cause);
        this.faultType = faultType;
        this.vCenterMessage = vCenterMessage;
    }

    /** The vSphere fault type, e.g. {@code InvalidPowerState}, or a transport kind such as {@code Timeout}. */
    public String faultType() {
        return faultType;
    }

    /** vCenter's own text for the fault (SOAP faultstring or localized message), if it sent one. */
    public Optional<String> vCenterMessage() {
        return Optional.ofNullable(vCenterMessage);
    }

    /** The object does not exist (any more): for cleanup steps this means the work is already done. */
    public static final class NotFound extends VSphereException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message, String faultType, String vCenterMessage, Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /** The object is in a state that does not allow the operation (powered off, being consolidated...). */
    public static final class InvalidState extends VSphereException {
        private static final long serialVersionUID = 1L;

        public InvalidState(String message, String faultType, String vCenterMessage, Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /** Another task is running on the object; it usually finishes on its own. */
    public static final class TaskInProgress extends VSphereException {
        private static final long serialVersionUID = 1L;

        public TaskInProgress(String message, String faultType, String vCenterMessage, Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** A file of the VM is locked, typically by a host or another backup product for a while. */
    public static final class FileLocked extends VSphereException {
        private static final long serialVersionUID = 1L;

        public FileLocked(String message, String faultType, String vCenterMessage, Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** The agent's vCenter user lacks a privilege; an administrator has to grant it. */
    public static final class NoPermission extends VSphereException {
        private static final long serialVersionUID = 1L;
        private final String privilegeId;

        public NoPermission(String message, String privilegeId, String faultType, String vCenterMessage,
                            Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
            this.privilegeId = privilegeId;
        }

        /** The missing privilege, e.g. {@code VirtualMachine.State.CreateSnapshot}, when vCenter named it. */
        public Optional<String> privilegeId() {
            return Optional.ofNullable(privilegeId);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /** Logging in failed, or the session was rejected again right after a fresh login. */
    public static final class NotAuthenticated extends VSphereException {
        private static final long serialVersionUID = 1L;

        public NotAuthenticated(String message, String faultType, String vCenterMessage, Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /**
     * The method is disabled on the object (DisableMethods), usually by a backup product while it works;
     * retriable because such locks are normally lifted when that product finishes.
     */
    public static final class MethodDisabled extends VSphereException {
        private static final long serialVersionUID = 1L;
        private final String source;

        public MethodDisabled(String message, String source, String faultType, String vCenterMessage,
                              Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
            this.source = source;
        }

        /** Who disabled the method (the sourceId given to DisableMethods), when vCenter said. */
        public Optional<String> source() {
            return Optional.ofNullable(source);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /**
     * vCenter does not accept a CBT change id (tracking was reset, disabled or the id is malformed): the
     * caller falls back to reading all allocated areas, i.e. a full backup of that disk.
     */
    public static final class ChangeIdRejected extends VSphereException {
        private static final long serialVersionUID = 1L;

        public ChangeIdRejected(String message, String faultType, String vCenterMessage, Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /**
     * A selector names several objects (VM names are unique only within a folder): the caller must pick one
     * by moref or instance UUID. Not retriable: asking again gives the same answer.
     */
    public static final class Ambiguous extends VSphereException {
        private static final long serialVersionUID = 1L;
        private final List<String> candidates;

        public Ambiguous(String message, List<String> candidates) {
            super(message, "Ambiguous", null, null);
            this.candidates = List.copyOf(candidates);
        }

        /** The morefs of every object the selector matched. */
        public List<String> candidates() {
            return candidates;
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /**
     * vCenter cannot get a VM encryption key from its key provider (KMS unreachable, key unknown there), so it
     * cannot create or power on an encrypted VM. Retriable: key providers come back; the message names the
     * key and provider.
     */
    public static final class KeyProviderUnavailable extends VSphereException {
        private static final long serialVersionUID = 1L;
        private final String providerId;

        public KeyProviderUnavailable(String message, String providerId, String faultType, String vCenterMessage,
                                      Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
            this.providerId = providerId;
        }

        /** The key provider (KMS cluster) named by the key, when it names one. */
        public Optional<String> providerId() {
            return Optional.ofNullable(providerId);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** vCenter (or the network) did not answer in time. */
    public static final class Timeout extends VSphereException {
        private static final long serialVersionUID = 1L;

        public Timeout(String message, Throwable cause) {
            super(message, "Timeout", null, cause);
        }

        /** A timeout vCenter itself reported (fault {@code Timedout}). */
        public Timeout(String message, String faultType, String vCenterMessage, Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** The exchange with vCenter failed below the vSphere API: connection, HTTP or XML level. */
    public static final class Transport extends VSphereException {
        private static final long serialVersionUID = 1L;
        private final boolean retriable;

        public Transport(String message, boolean retriable, Throwable cause) {
            super(message, "Transport", null, cause);
            this.retriable = retriable;
        }

        @Override
        public boolean isRetriable() {
            return retriable;
        }
    }

    /** vCenter presented a certificate the agent was not told to trust. Never retried: it could be an attack. */
    public static final class UntrustedCertificate extends VSphereException {
        private static final long serialVersionUID = 1L;

        public UntrustedCertificate(String message, Throwable cause) {
            super(message, "UntrustedCertificate", null, cause);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /** Any other vSphere fault; {@link #faultType()} says which. */
    public static final class Fault extends VSphereException {
        private static final long serialVersionUID = 1L;
        private final boolean retriable;

        public Fault(String message, String faultType, String vCenterMessage, boolean retriable, Throwable cause) {
            super(message, faultType, vCenterMessage, cause);
            this.retriable = retriable;
        }

        @Override
        public boolean isRetriable() {
            return retriable;
        }
    }

    /** The agent's vSphere settings are unusable (bad pin, unreadable CA bundle, unsupported API version). */
    public static final class InvalidSettings extends VSphereException {
        private static final long serialVersionUID = 1L;

        public InvalidSettings(String message, Throwable cause) {
            super(message, "InvalidSettings", null, cause);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }
}

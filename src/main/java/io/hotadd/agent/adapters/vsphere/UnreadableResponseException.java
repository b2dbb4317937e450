package io.hotadd.agent.adapters.vsphere;

/**
 * The response is not a vSphere SOAP message the agent can read: not XML, truncated, not an envelope, or a
 * value that does not fit its field. Checked, so the SOAP client cannot forget to turn it into a
 * {@link io.hotadd.agent.port.VSphereException.Transport} that names the call and the server.
 */
final class UnreadableResponseException extends Exception {

    private static final long serialVersionUID = 1L;

    UnreadableResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}

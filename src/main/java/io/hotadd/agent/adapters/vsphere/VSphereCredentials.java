package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The vCenter account the agent logs in with. The password is kept as a char[] copy, never logged or
 * printed ({@link #toString()} masks it), and wiped by {@link #close()}. It is turned into a String only
 * for the moment of a Login call, because yavijava's serializer takes Strings.
 */
public final class VSphereCredentials implements AutoCloseable {

    private final String user;
    private final char[] password;

    /** Copies {@code password}; the caller may wipe its own array afterwards. */
    public VSphereCredentials(String user, char[] password) {
        if (user == null || user.isBlank()) {
            throw new VSphereException.InvalidSettings("No vCenter user name is configured for the agent.", null);
        }
        this.user = user;
        this.password = Objects.requireNonNull(password, "password").clone();
    }

    public String user() {
        return user;
    }

    /** A fresh String of the password, for the Login call only. */
    String passwordForLogin() {
        synchronized (password) {
            return new String(password);
        }
    }

    /** Overwrites the password in memory; later logins fail with NotAuthenticated. */
    @Override
    public void close() {
        synchronized (password) {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public String toString() {
        return "VSphereCredentials[user=" + user + ", password=(hidden)]";
    }
}

package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ws.Argument;
import com.vmware.vim25.ws.Client;

import java.rmi.RemoteException;
import java.util.Arrays;

/**
 * {@code AuthorizationManager.DisableMethods} and {@code EnableMethods}, which yavijava's VimStub lacks.
 * A backup product disables e.g. {@code RelocateVM_Task} on the VM it backs up so nobody migrates it
 * meanwhile, and enables it again with the same {@code sourceId} when done.
 *
 * <p>Use inside {@link VSphereSession#call}: {@code AuthorizationMethods.disable(vim.getWsc(), ...)}.
 */
public final class AuthorizationMethods {

    private AuthorizationMethods() {
    }

    /**
     * Disables {@code methods} (wire names such as {@code RelocateVM_Task}) on {@code entities}.
     *
     * @param sourceId who disables them; vCenter shows it to users and in MethodDisabled faults
     */
    public static void disable(Client client, ManagedObjectReference authorizationManager,
                               ManagedObjectReference[] entities, String[] methods, String sourceId)
            throws RemoteException {
        DisabledMethodRequest[] requests = Arrays.stream(methods)
                .map(DisabledMethodRequest::new)
                .toArray(DisabledMethodRequest[]::new);
        client.invoke("DisableMethods", new Argument[] {
            new Argument("_this", "ManagedObjectReference", authorizationManager),
            new Argument("entity", "ManagedObjectReference[]", entities),
            new Argument("method", "DisabledMethodRequest[]", requests),
            new Argument("sourceId", "String", sourceId),
        }, null);
    }

    /** Enables {@code methods} on {@code entities} again; only the disabler's {@code sourceId} may do so. */
    public static void enable(Client client, ManagedObjectReference authorizationManager,
                              ManagedObjectReference[] entities, String[] methods, String sourceId)
            throws RemoteException {
        client.invoke("EnableMethods", new Argument[] {
            new Argument("_this", "ManagedObjectReference", authorizationManager),
            new Argument("entity", "ManagedObjectReference[]", entities),
            new Argument("method", "String[]", methods),
            new Argument("sourceId", "String", sourceId),
        }, null);
    }
}

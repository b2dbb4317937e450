package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.MethodFault;
import com.vmware.vim25.ServiceContent;
import com.vmware.vim25.VimPortType;

import java.net.MalformedURLException;
import java.net.URI;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * One logged-in vCenter session, shared by all concurrent jobs.
 *
 * <p>{@link #call} runs vSphere calls through yavijava's typed stub and turns every failure into a
 * {@link VSphereException}. When vCenter rejects the session (NotAuthenticated, e.g. after an idle
 * timeout or a vCenter restart), the SOAP client asks this session to log in again: concurrent callers
 * that were rejected together cause one login, the old cookie is really dropped, and each rejected call is
 * sent once more with the new cookie. {@link #close()} logs out.
 */
public final class VSphereSession implements AutoCloseable {

    /** What a job does with the session: one or more vim25 calls. */
    @FunctionalInterface
    public interface VimCall<T> {
        T call(VimPortType vim, ServiceContent content) throws RemoteException;
    }

    private static final Logger LOG = Logger.getLogger(VSphereSession.class);
    private static final ManagedObjectReference SERVICE_INSTANCE = mor("ServiceInstance", "ServiceInstance");

    private final VimSoapClient client;
    private final VimPortType vim;
    private final VSphereCredentials credentials;
    private final String server;
    private final Object loginLock = new Object();
    private final LongAdder logins = new LongAdder();
    private volatile ServiceContent content;
    private volatile boolean closed;

    private VSphereSession(VimSoapClient client, VSphereCredentials credentials) {
        this.client = client;
        this.credentials = credentials;
        this.server = client.sdkUrl().toString();
        try {
            this.vim = new VimPortType(client);
        } catch (MalformedURLException e) {
            throw new IllegalStateException("yavijava rejected the SDK URL " + server, e);
        }
    }

    /**
     * Connects, negotiates the API version, logs in.
     *
     * @throws VSphereException.NotAuthenticated if the credentials are refused; other
     *         {@link VSphereException}s for transport, certificate and settings problems
     */
    public static VSphereSession open(VSphereSettings settings, VSphereCredentials credentials) {
        VimSoapClient client = new VimSoapClient(settings.sdkUrl(), settings.trust(), settings.connectTimeout(),
                settings.readTimeout(), ApiVersionNegotiator.BASELINE, VimTypeRegistry.withProjectTypes(),
                new SkippedXmlCounter());
        VSphereSession session = new VSphereSession(client, credentials);
        session.negotiateApiVersion(settings.apiVersion());
        session.content = session.call("read the vCenter service content", "ServiceInstance",
                (vim, ignored) -> vim.retrieveServiceContent(SERVICE_INSTANCE));
        synchronized (session.loginLock) {
            session.login();
        }
        client.setSessionRenewal(session::renewAfterRejectionOf);
        LOG.infof("Logged in to vCenter %s (%s, API %s) as %s", session.server, session.content.about.fullName,
                client.apiVersion(), credentials.user());
        return session;
    }

    /**
     * Runs {@code call} and maps failures: vim25 faults through {@link FaultTranslator}, transport problems
     * are already {@link VSphereException}s.
     *
     * @param action what the call does, in words, for error messages ("create snapshot 'hotadd-42'")
     * @param object the managed object it acts on ("VirtualMachine:vm-42"), or null
     */
    public <T> T call(String action, String object, VimCall<T> call) {
        if (closed) {
            throw new IllegalStateException("the vCenter session to " + server + " is closed; cannot " + action);
        }
        try {
            return call.call(vim, content);
        } catch (MethodFault fault) {
            throw FaultTranslator.translate(fault, action, object, null);
        } catch (RemoteException e) {
            throw new VSphereException.Transport("Cannot " + action + (object == null ? "" : " on " + object)
                    + ": the call to vCenter " + server + " failed (" + e + ").", false, e);
        }
    }

    /** The ServiceContent read at login: managers' references and {@code about}. */
    public ServiceContent serviceContent() {
        return content;
    }

    /** The vSphere API version the session speaks. */
    public String apiVersion() {
        return client.apiVersion();
    }

    /** SOAP round trips since the session was opened, logins and retries included. */
    public long soapRoundTrips() {
        return client.roundTrips();
    }

    /** Successful logins, the first one included: more than one means the session was renewed. */
    public long logins() {
        return logins.sum();
    }

    /** The longest one SOAP call may take; long-polls such as WaitForUpdatesEx must stay below it. */
    public Duration readTimeout() {
        return client.readTimeout();
    }

    /** The SDK endpoint, {@code https://<vcenter>/sdk}. */
    URI sdkUrl() {
        return client.sdkUrl();
    }

    /** The session's TLS context, so plain HTTPS calls (datastore files) trust exactly what SOAP trusts. */
    SSLContext tlsContext() {
        return client.tlsContext();
    }

    Duration connectTimeout() {
        return client.connectTimeout();
    }

    /** The {@code vmware_soap_session=...} cookie pair of the current login, or null when logged out. */
    String sessionCookie() {
        return client.getCookie();
    }

    /** What the deserializer skipped because the model lacks it, for metrics. */
    public SkippedXmlCounter skippedXml() {
        return client.skippedXml();
    }

    /** Logs out (best effort: a session that cannot be logged out expires on vCenter by itself). */
    @Override
    public void close() {
        synchronized (loginLock) {
            if (closed) {
                return;
            }
            closed = true;
            client.setSessionRenewal(null);
            try {
                vim.logout(content.sessionManager);
            } catch (RemoteException | VSphereException e) {
                LOG.debugf("Logout from vCenter %s failed (%s); the session will expire on its own", server, e);
            } finally {
                client.clearCookie();
            }
        }
    }

    private void negotiateApiVersion(ApiVersionPolicy policy) {
        List<String> offered = client.sdkFile("vimServiceVersions.xml")
                .map(ApiVersionNegotiator::offeredVersions)
                .orElse(List.of());
        if (offered.isEmpty()) {
            ServiceContent about = call("read the vCenter API version", "ServiceInstance",
                    (vim, ignored) -> vim.retrieveServiceContent(SERVICE_INSTANCE));
            offered = List.of(about.about.apiVersion);
        }
        client.setSoapActionOnApiVersion(ApiVersionNegotiator.choose(offered, policy, server));
    }

    /** Logs in on the current cookie (a new one if it was cleared). Caller holds {@link #loginLock}. */
    private void login() {
        String action = "log in as '" + credentials.user() + "'";
        try {
            vim.login(content.sessionManager, credentials.user(), credentials.passwordForLogin(), null);
        } catch (MethodFault fault) {
            throw FaultTranslator.translate(fault, action, server, null);
        } catch (RemoteException e) {
            throw new VSphereException.Transport("Cannot " + action + " at vCenter " + server + " (" + e + ").",
                    false, e);
        }
        if (client.getCookie() == null) {
            throw new VSphereException.NotAuthenticated("vCenter " + server + " accepted the login of '"
                    + credentials.user() + "' but sent no session cookie, so the session cannot be used. Check that"
                    + " no proxy strips the vmware_soap_session cookie.", "NoSessionCookie", null, null);
        }
        logins.increment();
    }

    private void renewAfterRejectionOf(String rejectedCookie) {
        synchronized (loginLock) {
            if (closed || !Objects.equals(client.getCookie(), rejectedCookie)) {
                return; // closed meanwhile, or another caller already logged in again
            }
            LOG.infof("vCenter %s rejected the session (expired or terminated); logging in again as %s",
                    server, credentials.user());
            client.clearCookie();
            login();
        }
    }

    static ManagedObjectReference mor(String type, String value) {
        ManagedObjectReference mor = new ManagedObjectReference();
        mor.type = type;
        mor.val = value;
        return mor;
    }
}

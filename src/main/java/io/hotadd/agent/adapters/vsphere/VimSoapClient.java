package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.MethodFault;
import com.vmware.vim25.NotAuthenticated;
import com.vmware.vim25.ws.Argument;
import com.vmware.vim25.ws.Client;
import com.vmware.vim25.ws.XmlGen;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * yavijava's {@link Client} for one vCenter, on {@link java.net.http.HttpClient}, hardened for Java 17 and
 * vCenter 6.5-8.0. Plug it into {@code new VimPortType(client)}.
 *
 * <ul>
 *   <li>TLS: its own SSLContext from a {@link ServerTrust}; nothing JVM-wide is changed.</li>
 *   <li>Cookie: the {@code vmware_soap_session} cookie is replaced whenever a response sets one, unless the
 *       request carried an older cookie than the current one (a late answer must not undo a re-login).</li>
 *   <li>SOAPAction {@code urn:vim25/<apiVersion>}.</li>
 *   <li>A NotAuthenticated fault is answered once by the {@link SessionRenewal} (log in again), then the
 *       same call is sent again with the new cookie.</li>
 *   <li>Faults are thrown as the vim25 fault object (the RemoteException subclasses VimStub declares);
 *       transport problems as unchecked {@link VSphereException}s.</li>
 * </ul>
 * Thread-safe; one instance serves all jobs of a session.
 */
public final class VimSoapClient implements Client {

    /** yavijava's namespace suffix for the method element (it closes the start tag). */
    static final String VIM25_NAMESPACE = " xmlns=\"urn:vim25\">";

    /** Calls that must never trigger a re-login (they are part of it, or happen without a session). */
    private static final Set<String> SESSION_METHODS = Set.of("RetrieveServiceContent", "Login", "LoginByToken",
            "LoginExtensionByCertificate", "LoginExtensionBySubjectName", "Logout");

    /** Logs in again after vCenter rejected a session; implemented by {@link VSphereSession}. */
    @FunctionalInterface
    interface SessionRenewal {
        /**
         * Makes sure the session is usable again. Does nothing if the cookie already differs from
         * {@code rejectedCookie} (another thread renewed it meanwhile).
         */
        void renewAfterRejectionOf(String rejectedCookie);
    }

    private final X509ExtendedTrustManager trustManager;
    private final SSLContext tls;
    private final TolerantVimDeserializer deserializer;
    private final VimRequestWriter requestWriter;
    private final SkippedXmlCounter skippedXml;
    private final LongAdder roundTrips = new LongAdder();
    private final AtomicReference<String> cookie = new AtomicReference<>();
    private volatile SoapHttpTransport transport;
    private volatile String apiVersion;
    private volatile String vimNamespace = VIM25_NAMESPACE;
    private volatile SessionRenewal renewal;

    /**
     * @param sdkUrl the SDK endpoint, {@code https://<vcenter>/sdk}
     * @param apiVersion the API version for SOAPAction until {@link #setSoapActionOnApiVersion} changes it
     */
    public VimSoapClient(URI sdkUrl, ServerTrust trust, Duration connectTimeout, Duration readTimeout,
                         String apiVersion, VimTypeRegistry types, SkippedXmlCounter skippedXml) {
        this.trustManager = trust.trustManager();
        this.tls = ServerTrust.newSslContext(trustManager);
        this.transport = new SoapHttpTransport(sdkUrl, tls, connectTimeout, readTimeout);
        this.apiVersion = apiVersion;
        this.skippedXml = skippedXml;
        this.deserializer = new TolerantVimDeserializer(types, skippedXml);
        this.requestWriter = new VimRequestWriter(types);
    }

    @Override
    public Object invoke(String methodName, Argument[] paras, String returnType) throws RemoteException {
        return invokeKeepingBody(methodName, paras, returnType).value();
    }

    /** A call's deserialized answer together with the response body it came from. */
    record Answer(Object value, byte[] body) {
    }

    /**
     * Like {@link #invoke} (re-login, faults thrown as vim25 faults), but also answers vCenter's raw response,
     * for callers that keep part of it verbatim (a VM's configuration, with fields the model lacks).
     */
    Answer invokeKeepingBody(String methodName, Argument[] paras, String returnType) throws RemoteException {
        Argument[] arguments = paras == null ? new Argument[0] : paras;
        String envelope = marshall(methodName, arguments);
        String cookieSent = cookie.get();
        try {
            return exchange(methodName, arguments, envelope, returnType, cookieSent);
        } catch (NotAuthenticated rejected) {
            SessionRenewal renew = renewal;
            if (renew == null || SESSION_METHODS.contains(methodName)) {
                throw rejected;
            }
            renew.renewAfterRejectionOf(cookieSent);
            return exchange(methodName, arguments, envelope, returnType, cookie.get());
        }
    }

    private Answer exchange(String methodName, Argument[] arguments, String envelope, String returnType,
                            String cookieSent) throws RemoteException {
        String what = describe(methodName, arguments);
        roundTrips.increment();
        SoapHttpTransport http = transport;
        SoapHttpTransport.Response response = http.post(soapAction(), cookieSent, envelope, what);
        acceptCookie(methodName, cookieSent, response.sessionCookie());
        try {
            return new Answer(deserializer.fromXML(returnType, new ByteArrayInputStream(response.body())),
                    response.body());
        } catch (MethodFault fault) {
            throw fault;
        } catch (UnreadableResponseException e) {
            throw unreadable(what, http, response, e);
        }
    }

    private void acceptCookie(String methodName, String cookieSent, String cookieReceived) {
        if (cookieReceived == null) {
            return;
        }
        if (cookieSent == null && SESSION_METHODS.contains(methodName)) {
            cookie.set(cookieReceived); // a session being established: this is the session from now on
        } else {
            cookie.compareAndSet(cookieSent, cookieReceived);
        }
    }

    private VSphereException unreadable(String what, SoapHttpTransport http, SoapHttpTransport.Response response,
                                        UnreadableResponseException e) {
        int status = response.status();
        // A proxy or an overloaded vCenter answering for it (HTML error page) may do better later;
        // garbage with 200 or 500 comes from vCenter itself and will not.
        boolean serverTrouble = status == 429 || status == 502 || status == 503 || status == 504;
        return new VSphereException.Transport("vCenter at " + http.sdkUrl() + " answered " + what + " with HTTP "
                + status + " and a body the agent cannot read as a vSphere SOAP response: " + e.getMessage()
                + ". Body starts with: '" + VimValueReader.abbreviate(bodyStart(response.body())) + "'."
                + " Check that the URL points at vCenter's /sdk endpoint and that no proxy rewrites the traffic.",
                serverTrouble, e);
    }

    private static String bodyStart(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return text.replaceAll("\\s+", " ").trim();
    }

    /** "RetrievePropertiesEx on PropertyCollector:propertyCollector", for messages. */
    static String describe(String methodName, Argument[] arguments) {
        for (Argument argument : arguments) {
            if ("_this".equals(argument.getName()) && argument.getValue() instanceof ManagedObjectReference mor) {
                return methodName + " on " + mor.type + ":" + mor.val;
            }
        }
        return methodName;
    }

    private String soapAction() {
        return "urn:vim25/" + apiVersion;
    }

    /** Installs (or removes, with null) the re-login strategy. */
    void setSessionRenewal(SessionRenewal renewal) {
        this.renewal = renewal;
    }

    /** Forgets the session cookie: the next request starts a new session. */
    void clearCookie() {
        cookie.set(null);
    }

    /** SOAP round trips made so far (every POST, including retries and re-logins). */
    public long roundTrips() {
        return roundTrips.sum();
    }

    public SkippedXmlCounter skippedXml() {
        return skippedXml;
    }

    public String apiVersion() {
        return apiVersion;
    }

    URI sdkUrl() {
        return transport.sdkUrl();
    }

    /** The session's own TLS context (pinned certificate or CA bundle), for the datastore file service. */
    SSLContext tlsContext() {
        return tls;
    }

    Duration connectTimeout() {
        return transport.connectTimeout();
    }

    Duration readTimeout() {
        return transport.readTimeout();
    }

    /** A file served next to /sdk, such as vimServiceVersions.xml; empty if the server does not serve it. */
    java.util.Optional<byte[]> sdkFile(String name) {
        return transport.getSdkFile(name);
    }

    @Override
    public StringBuffer invokeAsString(String methodName, Argument[] paras) {
        Argument[] arguments = paras == null ? new Argument[0] : paras;
        roundTrips.increment();
        String cookieSent = cookie.get();
        SoapHttpTransport.Response response = transport.post(soapAction(), cookieSent,
                marshall(methodName, arguments), describe(methodName, arguments));
        acceptCookie(methodName, cookieSent, response.sessionCookie());
        return new StringBuffer(new String(response.body(), StandardCharsets.UTF_8));
    }

    @Override
    public String marshall(String methodName, Argument[] paras) {
        return requestWriter.isNeededFor(paras)
                ? requestWriter.write(methodName, paras, vimNamespace)
                : XmlGen.toXML(methodName, paras, vimNamespace);
    }

    @Override
    public Object unMarshall(String returnType, InputStream is) throws Exception {
        return deserializer.fromXML(returnType, is);
    }

    @Override
    public StringBuffer readStream(InputStream is) throws IOException {
        return new StringBuffer(new String(is.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Override
    public URL getBaseUrl() {
        try {
            return transport.sdkUrl().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("the SDK URL " + transport.sdkUrl() + " is not a URL", e);
        }
    }

    @Override
    public synchronized void setBaseUrl(URL baseUrl) {
        SoapHttpTransport current = transport;
        transport = new SoapHttpTransport(URI.create(baseUrl.toString()), tls, current.connectTimeout(),
                current.readTimeout());
    }

    @Override
    public String getCookie() {
        return cookie.get();
    }

    @Override
    public void setCookie(String cookie) {
        this.cookie.set(cookie);
    }

    @Override
    public String getVimNameSpace() {
        return vimNamespace;
    }

    @Override
    public void setVimNameSpace(String vimNameSpace) {
        this.vimNamespace = vimNameSpace;
    }

    @Override
    public int getConnectTimeout() {
        return (int) transport.connectTimeout().toMillis();
    }

    @Override
    public synchronized void setConnectTimeout(int millis) {
        SoapHttpTransport current = transport;
        transport = new SoapHttpTransport(current.sdkUrl(), tls, Duration.ofMillis(millis), current.readTimeout());
    }

    @Override
    public int getReadTimeout() {
        return (int) transport.readTimeout().toMillis();
    }

    @Override
    public synchronized void setReadTimeout(int millis) {
        SoapHttpTransport current = transport;
        transport = new SoapHttpTransport(current.sdkUrl(), tls, current.connectTimeout(), Duration.ofMillis(millis));
    }

    @Override
    public TrustManager getTrustManager() {
        return trustManager;
    }

    @Override
    public void setSoapActionOnApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }
}

package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.DatastoreFiles;
import io.hotadd.agent.port.VSphereException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Objects;

/**
 * {@link DatastoreFiles} on vCenter's HTTP file service,
 * {@code https://<vcenter>/folder/<path>?dcPath=<datacenter>&dsName=<datastore>}, with the SOAP session's
 * cookie and TLS context (so it trusts exactly the certificate the SOAP calls trust). Meant for small files
 * such as NVRAM; virtual disks are read through HotAdd, never through here.
 */
final class YavijavaDatastoreFiles implements DatastoreFiles {

    /** A download bigger than this is not an NVRAM or VMX file but a mistake (a -flat.vmdk, say). */
    static final long MAX_DOWNLOAD_BYTES = 64L * 1024 * 1024;

    private final VSphereSession session;
    private final HttpClient http;

    YavijavaDatastoreFiles(VSphereSession session) {
        this.session = session;
        this.http = HttpClient.newBuilder()
                .sslContext(session.tlsContext())
                .connectTimeout(session.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public byte[] download(String datacenterName, String datastorePath) {
        DatastorePath file = DatastorePath.parse(datastorePath);
        String action = "download " + file + " of datacenter '" + datacenterName + "'";
        HttpResponse<InputStream> response = send(action, get(datacenterName, file));
        if (response.statusCode() == 401 && renewSession()) {
            response = send(action, get(datacenterName, file)); // a GET can simply be sent again
        }
        try (InputStream body = response.body()) {
            requireSuccess(response.statusCode(), action, file);
            byte[] content = body.readNBytes((int) MAX_DOWNLOAD_BYTES + 1);
            if (content.length > MAX_DOWNLOAD_BYTES) {
                throw new VSphereException.Fault("Refusing to " + action + ": it is larger than "
                        + MAX_DOWNLOAD_BYTES / (1024 * 1024) + " MiB. The file service is for small files such as"
                        + " NVRAM; check the path.", "FileTooLarge", null, false, null);
            }
            return content;
        } catch (IOException e) {
            throw new VSphereException.Transport("The connection broke while the agent tried to " + action + " ("
                    + e.getMessage() + "). The step can be retried.", true, e);
        }
    }

    @Override
    public void upload(String datacenterName, String datastorePath, InputStream content, long length) {
        DatastorePath file = DatastorePath.parse(datastorePath);
        String action = "upload " + length + " bytes to " + file + " of datacenter '" + datacenterName + "'";
        HttpRequest request = request(datacenterName, file)
                .header("Content-Type", "application/octet-stream")
                // an empty file (an NVRAM a VM never wrote) is a PUT with no body: the JDK refuses a publisher of length 0
                .PUT(length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> content), length))
                .build();
        HttpResponse<InputStream> response = send(action, request);
        try (InputStream ignored = response.body()) {
            if (response.statusCode() == 401 && renewSession()) {
                // the content stream is spent, so the caller has to send it again
                throw new VSphereException.Transport("vCenter had ended the agent's session when it tried to "
                        + action + "; the agent has logged in again. Run the step again.", true, null);
            }
            requireSuccess(response.statusCode(), action, file);
        } catch (IOException e) {
            throw new VSphereException.Transport("Could not " + action + ": " + e.getMessage(), true, e);
        }
    }

    private HttpRequest get(String datacenterName, DatastorePath file) {
        return request(datacenterName, file).GET().build();
    }

    private HttpRequest.Builder request(String datacenterName, DatastorePath file) {
        URI sdk = session.sdkUrl();
        URI uri = URI.create("https://" + sdk.getRawAuthority() + "/folder/" + file.encodedPath()
                + "?dcPath=" + DatastorePath.encode(datacenterName) + "&dsName=" + DatastorePath.encode(file.datastore()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(session.readTimeout())
                .header("User-Agent", "hotadd-agent");
        String cookie = session.sessionCookie();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request;
    }

    private HttpResponse<InputStream> send(String action, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new VSphereException.Timeout("vCenter did not answer within " + session.readTimeout().toSeconds()
                    + " s when the agent tried to " + action + ". The step can be retried.", e);
        } catch (IOException e) {
            throw new VSphereException.Transport("Could not " + action + " at " + request.uri().getAuthority()
                    + " (" + e.getMessage() + "). Check that vCenter is reachable; the step can be retried.", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VSphereException.Transport("Interrupted while trying to " + action + " (the agent is"
                    + " stopping or the job was cancelled).", false, e);
        }
    }

    /** Re-logs in through a cheap SOAP call if vCenter rejects the cookie; true when the cookie changed. */
    private boolean renewSession() {
        String before = session.sessionCookie();
        session.call("check the vCenter session", "ServiceInstance",
                (vim, content) -> vim.currentTime(VSphereSession.mor("ServiceInstance", "ServiceInstance")));
        return !Objects.equals(before, session.sessionCookie());
    }

    private static void requireSuccess(int status, String action, DatastorePath file) {
        if (status >= 200 && status < 300) {
            return;
        }
        String why = "vCenter's file service answered HTTP " + status + " when the agent tried to " + action + ".";
        switch (status) {
            case 404 -> throw new VSphereException.NotFound(why + " The file or its datastore or datacenter does"
                    + " not exist.", "FileNotFound", null, null);
            case 401 -> throw new VSphereException.NotAuthenticated(why + " The session was refused even after"
                    + " logging in again; check the agent's vCenter account.", "NotAuthenticated", null, null);
            case 403 -> throw new VSphereException.NoPermission(why + " Grant the agent's role Datastore.Browse"
                    + " and Datastore.FileManagement on datastore '" + file.datastore() + "'.", null,
                    "NoPermission", null, null);
            default -> throw new VSphereException.Transport(why + (status >= 500 ? " vCenter may be busy; the step"
                    + " can be retried." : " Check the datacenter name and the path."), status >= 500, null);
        }
    }
}

package io.hotadd.agent.fakes;

import io.hotadd.agent.port.VSphereException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** vCenter's file service in memory: files by datacenter and datastore path. Called under the fake's lock. */
final class FakeDatastoreFiles {
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    void put(String datacenter, String datastorePath, byte[] content) {
        files.put(datacenter + "|" + datastorePath, content.clone());
    }

    Optional<byte[]> get(String datacenter, String datastorePath) {
        return Optional.ofNullable(files.get(datacenter + "|" + datastorePath)).map(byte[]::clone);
    }

    byte[] download(String datacenter, String datastorePath) {
        return get(datacenter, datastorePath).orElseThrow(() -> new VSphereException.NotFound("vCenter's file"
                + " service has no " + datastorePath + " in datacenter '" + datacenter + "'.", "FileNotFound", null,
                null));
    }

    void upload(String datacenter, String datastorePath, InputStream content, long length) {
        try {
            put(datacenter, datastorePath, content.readNBytes(Math.toIntExact(length)));
        } catch (IOException e) {
            throw new VSphereException.Transport("upload of " + datastorePath + " failed: " + e, true, e);
        }
    }

    /** Destroying a VM deletes the files in its folder, as Destroy_Task does. */
    void deleteUnder(String datacenter, String folderPath) {
        files.keySet().removeIf(k -> k.startsWith(datacenter + "|" + folderPath));
    }
}

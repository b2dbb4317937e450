package io.hotadd.agent.port;

import java.io.InputStream;

/**
 * vCenter's HTTP file service ({@code /folder/<path>?dcPath=&dsName=}), with the session's cookie: for
 * files that must be copied as bytes, such as a VM's NVRAM.
 */
public interface DatastoreFiles {

    /** Downloads {@code [datastore] path} of the datacenter; a not-found error if it does not exist. */
    byte[] download(String datacenterName, String datastorePath);

    /** Uploads bytes to {@code [datastore] path}, replacing what is there. */
    void upload(String datacenterName, String datastorePath, InputStream content, long length);
}

package io.hotadd.agent.port;

import java.net.URI;
import java.time.Duration;

/** Tells the central server that a job ended, at the callback URL the job named. */
public interface CallbackSender {

    /**
     * POSTs {@code json} ({@code application/json}) and answers the HTTP status code.
     *
     * @throws java.io.UncheckedIOException when no answer came (connection refused, timeout): worth retrying
     */
    int post(URI url, byte[] json, Duration timeout);
}

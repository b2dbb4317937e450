package io.hotadd.agent.port;

/**
 * A claim on a buffer handed to {@link BlockSink#data(long, java.nio.ByteBuffer, BufferHold)}: the buffer is
 * not reused while any claim is held. A sink that reads the buffer on other threads after returning takes
 * one claim per such reader before returning and releases each exactly once, also when its work fails.
 */
public interface BufferHold {

    /** Takes one more claim; only valid while the caller's own claim is held, that is during the data() call. */
    void retain();

    /** Gives back one claim; the buffer may be overwritten once the last one is gone. */
    void release();
}

package io.hotadd.agent.port;

import io.hotadd.agent.domain.Undo;
import java.util.List;
import java.util.Map;

/**
 * The intent journal: before a job makes a side effect, it records how to undo it; after the undo is done
 * (or the job ended cleanly), it records that. Every record is durable (fsync) when the call returns, so
 * after a crash {@link #unfinished()} lists exactly what may be left in vCenter or the guest.
 */
public interface Journal {

    void jobStarted(String jobId, String vmMoref);

    /** Records the undo of the side effect about to happen; {@code seq} orders a job's undos. */
    void intent(String jobId, int seq, Undo undo);

    /** The undo with this seq was carried out (or is moot). */
    void undone(String jobId, int seq);

    /** The job finished and left nothing behind; its records may be compacted away. */
    void jobEnded(String jobId);

    /** Jobs without an end record, each with its pending undos in the order they were recorded. */
    Map<String, List<Pending>> unfinished();

    /** Rewrites the journal keeping only unfinished jobs' pending records. */
    void compact();

    record Pending(int seq, Undo undo) {
    }
}

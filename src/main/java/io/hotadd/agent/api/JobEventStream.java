package io.hotadd.agent.api;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.engine.jobs.JobListener.Change;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Locale;

/**
 * One client's server-sent event stream of one job: an event per change (progress already rate-limited by
 * the engine), named after what changed, and the end of the stream right after the terminal state. Emits
 * are serialised: the job's own changes and the first snapshot come from different threads.
 */
final class JobEventStream {
    private final MultiEmitter<? super OutboundSseEvent> emitter;
    private final Sse sse;
    private long nextId = 1;
    private boolean ended;

    JobEventStream(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
        this.emitter = emitter;
        this.sse = sse;
    }

    /**
     * The job as it is when the client subscribes, unless a change came first: that change's version is at
     * least as new, since listeners are told under the same lock that makes the change.
     */
    synchronized void current(Job job) {
        if (nextId == 1) {
            changed(job, Change.STATE);
        }
    }

    synchronized void changed(Job job, Change change) {
        if (ended) {
            return;
        }
        emitter.emit(sse.newEventBuilder().id(Long.toString(nextId++)).name(change.name().toLowerCase(Locale.ROOT))
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(JobDocument.class, JobDocument.of(job)).build());
        if (job.state().isTerminal()) {
            ended = true;
            emitter.complete();
        }
    }
}

package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobTarget;
import io.hotadd.agent.engine.jobs.JobQuery.Position;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Filters, orders and pages jobs; pure. Positions (not offsets) keep pages stable while jobs are added. */
final class JobListing {
    static final Comparator<Job> NEWEST_FIRST = Comparator.comparing(Job::createdAt).reversed()
            .thenComparing(Comparator.comparing(Job::id).reversed());

    private JobListing() {
    }

    static JobPage page(Collection<Job> all, JobQuery q) {
        List<Job> matching = all.stream()
                .filter(j -> q.states().isEmpty() || q.states().contains(j.state()))
                .filter(j -> q.vm().map(vm -> concerns(j.target(), vm)).orElse(true))
                .filter(j -> q.after().map(p -> isAfter(j, p)).orElse(true))
                .sorted(NEWEST_FIRST)
                .limit(q.limit() + 1L)
                .toList();
        if (matching.size() <= q.limit()) {
            return new JobPage(matching, Optional.empty());
        }
        List<Job> page = matching.subList(0, q.limit());
        Job last = page.get(page.size() - 1);
        return new JobPage(page, Optional.of(new Position(last.createdAt(), last.id())));
    }

    private static boolean concerns(JobTarget t, String vm) {
        return t != null && (vm.equals(t.moref()) || vm.equals(t.name()) || vm.equalsIgnoreCase(t.instanceUuid()));
    }

    /** Whether the job comes after the position in newest-first order. */
    private static boolean isAfter(Job j, Position p) {
        int byTime = j.createdAt().compareTo(p.createdAt());
        return byTime < 0 || (byTime == 0 && j.id().compareTo(p.jobId()) < 0);
    }
}

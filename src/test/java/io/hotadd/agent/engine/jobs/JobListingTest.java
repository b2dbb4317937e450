package io.hotadd.agent.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.JobTarget;
import io.hotadd.agent.domain.JobType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobListingTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static Job job(int n, String vm, boolean done) {
        Job j = Job.queued(String.format("job-%02d", n), JobType.BACKUP, new JobTarget("vm-" + vm, vm, "uuid-" + vm),
                new JobRequest(null, false, Map.of(), Optional.empty(), Optional.empty(), "f"),
                T0.plusSeconds(n / 2)); // two jobs per second: ties are broken by id
        return done ? j.started(T0).succeeded(T0, "rp", null) : j;
    }

    @Test
    void pagesWalkEveryMatchingJobOnceNewestFirst() {
        List<Job> all = new ArrayList<>();
        for (int n = 0; n < 25; n++) {
            all.add(job(n, n % 2 == 0 ? "web" : "db", n % 3 == 0));
        }
        List<String> seen = new ArrayList<>();
        Optional<JobQuery.Position> after = Optional.empty();
        do {
            JobPage page = JobListing.page(all, new JobQuery(Set.of(), Optional.of("web"), 4, after));
            page.jobs().forEach(j -> seen.add(j.id()));
            after = page.next();
        } while (after.isPresent());
        List<String> expected = all.stream().filter(j -> j.target().name().equals("web"))
                .sorted(JobListing.NEWEST_FIRST).map(Job::id).toList();
        assertEquals(expected, seen);
        assertEquals("job-24", seen.get(0));
    }

    @Test
    void stateFilterAndTheLastPageHasNoNext() {
        List<Job> all = List.of(job(1, "a", true), job(2, "a", false), job(3, "b", true));
        JobPage page = JobListing.page(all, new JobQuery(Set.of(JobState.SUCCEEDED), Optional.empty(), 2,
                Optional.empty()));
        assertEquals(List.of("job-03", "job-01"), page.jobs().stream().map(Job::id).toList());
        assertEquals(Optional.empty(), page.next());
    }
}

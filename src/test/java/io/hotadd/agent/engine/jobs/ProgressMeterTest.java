package io.hotadd.agent.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotadd.agent.domain.JobProgress;
import io.hotadd.agent.fakes.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final ProgressMeter meter = new ProgressMeter(clock, Duration.ofSeconds(10));

    @Test
    void rateFollowsTheLastWindowNotTheWholeJob() {
        meter.planned(1000_000_000L);
        for (int s = 0; s < 20; s++) { // 20 s at 10 MB/s
            clock.advance(Duration.ofSeconds(1));
            meter.add(10_000_000);
        }
        for (int s = 0; s < 10; s++) { // then 10 s at 50 MB/s: the window holds only these
            clock.advance(Duration.ofSeconds(1));
            meter.add(50_000_000);
        }
        JobProgress p = meter.now();
        assertEquals(700_000_000L, p.bytesDone());
        assertEquals(50_000_000L, p.rateBytesPerSec());
        assertEquals(6, p.etaSeconds(), "300 MB left at 50 MB/s");
        assertEquals(70.0, p.percent());
    }

    @Test
    void rateDropsToZeroAndEtaIsUnknownWhenReadsStall() {
        meter.planned(100);
        clock.advance(Duration.ofSeconds(1));
        meter.add(10);
        clock.advance(Duration.ofSeconds(30));
        JobProgress p = meter.now();
        assertEquals(0, p.rateBytesPerSec());
        assertEquals(-1, p.etaSeconds());
        assertEquals(10.0, p.percent());
    }

    @Test
    void nothingPlannedReadsAsZeroPercentUntilComplete() {
        meter.planned(0);
        assertEquals(new JobProgress(0, 0, 0, -1, 0), meter.now());
        assertEquals(new JobProgress(0, 0, 0, 0, 100.0), meter.complete());
    }

    @Test
    void percentHasOneDecimalAndNeverPassesHundred() {
        assertEquals(33.3, ProgressMeter.percent(1, 3));
        assertEquals(100.0, ProgressMeter.percent(5, 4));
    }
}

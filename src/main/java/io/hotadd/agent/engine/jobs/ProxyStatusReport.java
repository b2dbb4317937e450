package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.AgentException;
import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ScsiSlot;
import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.EngineSettings;
import io.hotadd.agent.engine.ProxyView;
import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.port.RepositoryMaintenance;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the proxy looks like now, for GET /api/v1/proxy: the proxy VM and its controllers with used,
 * reserved and free slots (read from vCenter, so the answer says so when vCenter cannot be reached), the
 * jobs, the limits, the repository and the readiness conditions. Reads only.
 */
public final class ProxyStatusReport {
    private final BackupWorkflow workflow;
    private final JobEngine engine;
    private final RepositoryMaintenance repository;
    private final Readiness readiness;
    private final EngineSettings settings;

    public ProxyStatusReport(BackupWorkflow workflow, JobEngine engine, RepositoryMaintenance repository,
                             Readiness readiness, EngineSettings settings) {
        this.workflow = workflow;
        this.engine = engine;
        this.repository = repository;
        this.readiness = readiness;
        this.settings = settings;
    }

    /** One SCSI controller of the proxy and its slots. */
    public record Controller(int bus, int key, String type, int capacity, int used, int reserved, int free) {
    }

    /**
     * @param vmError    why the proxy VM could not be read (vCenter down, not found), if so
     * @param repository null when the repository could not even be asked, with repositoryError saying why
     */
    public record ProxyStatus(Optional<String> vmName, Optional<String> vmMoref, Optional<String> vmError,
                              List<Controller> controllers, int runningJobs, int queuedJobs, int maxJobs,
                              EngineSettings limits, RepositoryMaintenance.Status repository,
                              Optional<String> repositoryError, Map<Readiness.Condition, Readiness.Status> readiness) {
    }

    public ProxyStatus read() {
        Optional<ProxyView> view;
        Optional<String> vmError = Optional.empty();
        try {
            view = Optional.of(workflow.inspectProxy());
        } catch (AgentException | IllegalStateException e) {
            view = Optional.empty();
            vmError = Optional.of(e.getMessage());
        }
        RepositoryMaintenance.Status repo = null;
        Optional<String> repoError = Optional.empty();
        try {
            repo = repository.status();
        } catch (AgentException | IllegalStateException | java.io.UncheckedIOException e) {
            repoError = Optional.of(e.getMessage());
        }
        Map<Readiness.Condition, Readiness.Status> ready = new EnumMap<>(Readiness.Condition.class);
        for (Readiness.Condition c : Readiness.Condition.values()) {
            ready.put(c, readiness.status(c));
        }
        return new ProxyStatus(view.map(v -> v.vm().name()), view.map(v -> v.vm().ref().moref()), vmError,
                view.map(this::controllers).orElse(List.of()), engine.runningJobs(), engine.queuedJobs(),
                engine.maxJobs(), settings, repo, repoError, ready);
    }

    private List<Controller> controllers(ProxyView view) {
        Set<ScsiSlot> reserved = workflow.slots().reserved();
        int capacity = workflow.slots().units().size();
        List<Controller> out = new ArrayList<>();
        for (ControllerInfo c : view.scsiByBus().values()) {
            Set<Integer> taken = new HashSet<>();
            int used = 0;
            int held = 0;
            for (ScsiSlot s : view.occupied()) {
                if (s.bus() == c.busNumber() && taken.add(s.unit())) {
                    used++;
                }
            }
            for (ScsiSlot s : reserved) {
                if (s.bus() == c.busNumber() && taken.add(s.unit())) {
                    held++;
                }
            }
            out.add(new Controller(c.busNumber(), c.key(), c.type().name(), capacity, used, held,
                    Math.max(0, capacity - used - held)));
        }
        return out;
    }
}

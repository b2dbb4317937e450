package io.hotadd.agent.domain;

import java.util.List;

/**
 * What a repository verification found.
 *
 * @param problems one sentence per damaged or missing object, naming it and the restore points it affects
 */
public record RepositoryCheck(int restorePoints, long objectsChecked, List<String> problems) {
    public RepositoryCheck {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}

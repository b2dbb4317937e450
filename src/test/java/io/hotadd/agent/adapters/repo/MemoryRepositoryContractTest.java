package io.hotadd.agent.adapters.repo;

/** The contract on the in-memory storage: the repository logic alone, no I/O. */
class MemoryRepositoryContractTest extends RepositoryMaintenanceContract {
    @Override
    protected Storage newStorage() {
        return new MemoryStorage();
    }
}

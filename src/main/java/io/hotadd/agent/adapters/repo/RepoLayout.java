package io.hotadd.agent.adapters.repo;

/** Object names of the repository format; see docs/repository-format.md. */
final class RepoLayout {
    static final String CONFIG = "config";
    static final String KEYS = "keys/";
    static final String LOCKS = "locks/";
    static final String DATA = "data/";
    static final String INDEX = "index/";
    static final String POINTS = "points/";
    static final String MAPS = "maps/";

    private RepoLayout() {
    }

    static String point(String restorePointId) {
        return POINTS + restorePointId;
    }

    /** A disk map belongs to one restore point; its name starts with the point's id so prune finds orphans. */
    static String map(String restorePointId, int diskKey) {
        return MAPS + restorePointId + "-" + diskKey;
    }

    static String vmConfig(String restorePointId) {
        return MAPS + restorePointId + "-vmconfig";
    }

    /** The restore point a {@code maps/} object belongs to. */
    static String pointOfMap(String mapName) {
        String last = lastSegment(mapName);
        int dash = last.indexOf('-');
        return dash < 0 ? last : last.substring(0, dash);
    }

    static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}

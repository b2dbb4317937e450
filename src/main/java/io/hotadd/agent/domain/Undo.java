package io.hotadd.agent.domain;

import java.util.List;

/**
 * How to take back one side effect of a job, described as data so it can be journaled before the side
 * effect happens and carried out again after a crash. Every undo is idempotent: what is already gone counts
 * as done. Objects are named the way the job named them (deterministic names), not only by moref, because a
 * crash can come between vCenter creating an object and the agent learning its moref.
 */
public sealed interface Undo {

    /** One line for logs, events and dry-run listings. */
    String describe();

    /** Delete the hot-added devices from the proxy's guest (echo 1 > .../delete). */
    record ReleaseGuestDevices(List<String> diskUuids) implements Undo {
        public ReleaseGuestDevices {
            diskUuids = List.copyOf(diskUuids);
        }

        public String describe() {
            return "delete " + diskUuids.size() + " hot-added device(s) in the proxy's guest";
        }
    }

    /** Detach from the proxy VM whatever disks with these backing files are still attached. */
    record DetachFiles(String proxyMoref, List<String> files) implements Undo {
        public DetachFiles {
            files = List.copyOf(files);
        }

        public String describe() {
            return "detach " + files.size() + " disk(s) from proxy VM " + proxyMoref;
        }
    }

    /** Destroy the job's linked clone, found by its moref when known, else by its name. */
    record DestroyClone(String name, String moref) implements Undo {
        public String describe() {
            return "destroy linked clone '" + name + "'";
        }
    }

    /** Remove the job's snapshot from the VM (by name) and consolidate if vCenter asks for it. */
    record RemoveSnapshot(String vmMoref, String snapshotName) implements Undo {
        public String describe() {
            return "remove snapshot '" + snapshotName + "' of VM " + vmMoref;
        }
    }

    /** Re-enable the methods the job disabled on the VM. */
    record EnableMethods(String vmMoref, List<String> methods, String sourceId) implements Undo {
        public EnableMethods {
            methods = List.copyOf(methods);
        }

        public String describe() {
            return "re-enable " + methods + " on VM " + vmMoref;
        }
    }

    /** Turn change tracking of the VM back on (a restore over an existing VM turned it off for its writes). */
    record EnableChangeTracking(String vmMoref) implements Undo {
        public String describe() {
            return "turn change tracking of VM " + vmMoref + " back on";
        }
    }

    /**
     * Destroy the VM a restore to a new VM created, found by its name and destroyed only if it carries this
     * job's marker; recorded moot (undone) once the restore's data is all written, so a finished restore's VM
     * is never destroyed.
     */
    record DestroyRestoredVm(String name, String jobId) implements Undo {
        public String describe() {
            return "destroy the partially restored VM '" + name + "' of job " + jobId;
        }
    }
}

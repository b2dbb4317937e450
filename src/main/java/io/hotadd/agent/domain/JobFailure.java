package io.hotadd.agent.domain;

/**
 * Why a job did not succeed, in the shape of an RFC 9457 problem so the API can show it as is.
 *
 * @param type      a stable slug naming the kind of failure, e.g. {@code preflight/non-scsi-disk},
 *                  {@code vsphere/FileLocked}, {@code cancelled}; the API turns it into a problem type URI
 * @param title     a short, fixed summary of that kind
 * @param detail    what happened to this job: the object involved and what to do
 * @param retriable whether running the same job again unchanged may succeed
 */
public record JobFailure(String type, String title, String detail, boolean retriable) {
    public JobFailure {
        if (type == null || !type.matches("[a-z0-9][a-zA-Z0-9/_-]*")) {
            throw new IllegalArgumentException("a failure type is a slug like 'preflight/ide-disk', got '" + type + "'");
        }
    }
}

package io.hotadd.agent.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem: every error the API answers, as {@code application/problem+json}.
 *
 * @param type      a stable URI per kind of error, {@value #TYPE_BASE} + a slug such as {@code preflight/non-scsi-disk}
 * @param retriable an extension member: whether the same request may succeed later unchanged
 */
@Schema(name = "Problem", description = "RFC 9457 problem details")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDocument(
        @Schema(example = "https://hotadd.io/problems/preflight/non-scsi-disk") String type,
        @Schema(example = "The backup was refused before it changed anything") String title,
        @Schema(example = "422") int status,
        String detail,
        @Schema(example = "/api/v1/backups") String instance,
        Boolean retriable) {

    public static final String TYPE_BASE = "https://hotadd.io/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";

    public static ProblemDocument of(int status, String slug, String title, String detail, String instance,
                                     Boolean retriable) {
        return new ProblemDocument(TYPE_BASE + slug, title, status, detail, instance, retriable);
    }
}

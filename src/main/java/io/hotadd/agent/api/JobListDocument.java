package io.hotadd.agent.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of jobs, newest first. */
@Schema(name = "JobList")
public record JobListDocument(List<JobDocument> jobs,
                              @Schema(description = "Cursor of the next page (also in the Link header); null on the "
                                      + "last page") String next) {
}

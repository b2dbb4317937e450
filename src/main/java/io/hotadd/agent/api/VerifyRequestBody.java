package io.hotadd.agent.api;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** POST /api/v1/repository/verify; the body is optional. */
@Schema(name = "VerifyRequest")
public record VerifyRequestBody(Map<String, String> tags,
                                @Schema(description = "http(s) URL the final job document is POSTed to") String callbackUrl) {
}

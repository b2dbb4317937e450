package io.hotadd.agent.api;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI document's header; the document itself is generated from the resources (docs/openapi.yaml). */
@OpenAPIDefinition(
        info = @Info(title = "HotAdd appliance agent API", version = "v1",
                description = "Jobs a central backup server gives this backup proxy: backups of vSphere VMs through "
                        + "SCSI HotAdd, repository verification, restore points. Every error is an RFC 9457 problem "
                        + "(application/problem+json) with a stable type URI. Every call needs a bearer token, or a "
                        + "client certificate when mTLS is enabled. Health, metrics and this document are served on "
                        + "the separate management port under /q.",
                license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        security = @SecurityRequirement(name = "bearer"),
        tags = {
            @Tag(name = "backups", description = "Start backups"),
            @Tag(name = "restores", description = "Restores (not implemented yet)"),
            @Tag(name = "jobs", description = "Follow and cancel jobs"),
            @Tag(name = "restore-points", description = "What the repository holds"),
            @Tag(name = "repository", description = "The repository as a whole"),
            @Tag(name = "proxy", description = "This proxy")
        })
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The token whose SHA-256 is configured in hotadd.api.auth.token-sha256")
public final class ApiDocumentation {
    private ApiDocumentation() {
    }
}

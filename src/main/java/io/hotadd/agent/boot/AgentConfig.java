package io.hotadd.agent.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the agent, under {@code hotadd.}; documented key by key in docs/configuration.md. Read
 * only here in boot: {@link ConfigValidation} checks it at start and {@link EngineProducers} maps it onto
 * the plain records the engine and adapters take. Secrets are never values here, only files holding them.
 */
@ConfigMapping(prefix = "hotadd")
public interface AgentConfig {

    /** Where the agent keeps its own state: job history, the API's TLS certificate, the cursor key. */
    @WithDefault("/var/lib/hotadd-agent")
    Path stateDir();

    Vcenter vcenter();

    Proxy proxy();

    Repository repository();

    Limits limits();

    Jobs jobs();

    Api api();

    Paths paths();

    Health health();

    Blockdev blockdev();

    Visibility visibility();

    interface Vcenter {
        /** https://vcenter.example.com (the /sdk path is added). */
        Optional<String> url();

        Optional<String> user();

        /** A file holding the vCenter password (first line). */
        Optional<Path> passwordFile();

        /**
         * The password itself, as the appliance's first boot writes it into its 0600 properties file; used when
         * no password file is set.
         */
        Optional<String> password();

        /** SHA-256 fingerprint (or SHA-1 thumbprint) of vCenter's certificate; or use ca-bundle. */
        Optional<String> thumbprint();

        /** PEM file of CAs that issue vCenter's certificate; used when no thumbprint is set. */
        Optional<Path> caBundle();

        @WithDefault("10s")
        Duration connectTimeout();

        @WithDefault("120s")
        Duration readTimeout();
    }

    interface Proxy {
        /** The proxy VM's moref (vm-123) or name, when it cannot be found by its BIOS UUID. */
        Optional<String> vm();

        /** The proxy VM's moref as the appliance's first boot writes it (vCenterId of the OVF environment). */
        Optional<String> vmMoref();

        @WithDefault("3")
        int spareControllers();

        @WithDefault("15")
        int unitsPerController();
    }

    interface Repository {
        /** A local or NFS folder, or s3://bucket/prefix. */
        Optional<String> location();

        /** The folder, as the appliance's first boot writes it; used when no location is set. */
        Optional<String> path();

        /** A file of at least 32 random bytes that opens the repository. */
        Optional<Path> keyFile();

        /** A file holding the repository passphrase (first line); used when no key file is set. */
        Optional<Path> passphraseFile();

        /** The passphrase itself, as the appliance's first boot writes it; used when no file is set. */
        Optional<String> passphrase();

        /** Create the repository when the location holds none (first start of an appliance). */
        @WithDefault("false")
        boolean initIfMissing();

        /**
         * Pack size of a repository the agent creates (an existing one keeps its own). Each backup holds up
         * to parallelism + 1 packs in memory while it writes, so this bounds the agent's heap.
         */
        @WithDefault("4194304")
        int packSize();

        /** Chunks hashed, compressed and encrypted at once; memory is about 3 x this many chunks. */
        @WithDefault("2")
        int parallelism();

        S3 s3();
    }

    /** For a location s3://bucket/prefix/. */
    interface S3 {
        /** The S3 server, e.g. https://s3.eu-west-1.amazonaws.com or a MinIO address. */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<Path> accessKeyFile();

        Optional<Path> secretKeyFile();

        /** Path-style bucket addressing, which most S3-compatible servers need. */
        @WithDefault("true")
        boolean pathStyle();
    }

    interface Limits {
        @WithDefault("4")
        int maxJobs();

        @WithDefault("2")
        int parallelDisks();

        @WithDefault("4194304")
        int readBufferBytes();

        /** 4 x 4 MiB keeps a disk busy (bench/read-stage.sh) and the agent within its memory budget. */
        @WithDefault("4")
        int readBuffers();

        @WithDefault("30m")
        Duration slotWait();

        @WithDefault("60s")
        Duration locateTimeout();

        @WithDefault("60s")
        Duration releaseTimeout();
    }

    interface Jobs {
        @WithDefault("P7D")
        Duration retention();

        @WithDefault("1s")
        Duration progressInterval();

        @WithDefault("10s")
        Duration rateWindow();

        /** How long a stopping agent waits for running jobs to clean up. */
        @WithDefault("120s")
        Duration shutdownGrace();

        /** How often the agent looks for what a job's own cleanup could not take back, and retries it. */
        @WithDefault("10m")
        Duration cleanupRetryInterval();
    }

    interface Api {
        Auth auth();

        /** The bearer token itself, as the appliance's first boot writes it; hashed at start. */
        Optional<String> token();

        Tls tls();

        Mtls mtls();

        Callbacks callbacks();
    }

    interface Auth {
        /** Hex SHA-256 of the bearer token (e.g. {@code printf %s "$TOKEN" | sha256sum}). */
        @WithName("token-sha256")
        Optional<String> tokenSha256();

        /** A file holding the bearer token itself (first line); used when no hash is set. */
        Optional<Path> tokenFile();
    }

    interface Tls {
        /** TLS on the API port; when no key store is given a self-signed one is made in the state dir. */
        @WithDefault("true")
        boolean enabled();

        /** PKCS#12 key store with the API's certificate and key. */
        Optional<Path> keyStore();

        /** A file holding the key store's password. */
        Optional<Path> keyStorePasswordFile();
    }

    interface Mtls {
        /** Accept client certificates issued by trust-certs as an alternative to the bearer token. */
        @WithDefault("false")
        boolean enabled();

        /** PEM file of the CA certificates client certificates must chain to. */
        Optional<Path> trustCerts();

        /** Subject DNs (RFC 2253) accepted; empty accepts every certificate the CAs issued. */
        Optional<List<String>> allowedSubjects();
    }

    interface Callbacks {
        @WithDefault("6")
        int attempts();

        @WithDefault("2s")
        Duration initialDelay();

        @WithDefault("5m")
        Duration maxDelay();

        @WithDefault("10s")
        Duration timeout();
    }

    /** The proxy's block layer. */
    interface Blockdev {
        /**
         * The root helper's socket (the appliance: /run/hotadd-helper.sock): SCSI rescans and device deletes
         * go through it, so the agent itself needs no root. Unset: the agent writes sysfs itself.
         */
        Optional<Path> helperSocket();
    }

    /** How the agent shows its work in vCenter (docs/vcenter-privileges.md lists what it needs). */
    interface Visibility {
        /** Extension, tasks, events, the attribute and managedBy; off: the agent shows nothing of its own. */
        @WithDefault("true")
        boolean enabled();

        /** The agent's extension key; its task and event type ids start with it. */
        @WithDefault("io.hotadd.agent")
        String extensionKey();

        /** The VM custom attribute set after each successful backup (time, restore point, job). */
        @WithDefault("Last backup")
        String attribute();

        /** A job's vCenter task gets progress at most this often, unless it moved progress-step percent. */
        @WithDefault("5s")
        Duration progressInterval();

        @WithDefault("5")
        int progressStep();

        /** How often the tasks of running jobs are checked for a cancel asked in the vSphere Client. */
        @WithDefault("5s")
        Duration cancelPoll();
    }

    interface Health {
        /** How often vCenter, the proxy layout and the repository are probed for readiness. */
        @WithDefault("60s")
        Duration probeInterval();
    }

    /** Where Linux shows the proxy's disks; changed only to point the agent at the test harness. */
    interface Paths {
        @WithDefault("/dev")
        Path dev();

        @WithDefault("/dev/disk/by-id")
        Path devDiskById();

        @WithDefault("/sys")
        Path sys();
    }
}

package io.hotadd.agent.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The API's own certificate when none is configured: made once, at first start, into the state directory
 * with the JDK's keytool (the JDK has no public API to sign a certificate), and reused afterwards so the
 * fingerprint the central server pinned stays valid. The key store's password is random and kept in a
 * file beside it; both are readable by the agent's user only.
 */
public final class SelfSignedCertificate {
    static final String ALIAS = "hotadd-api";
    static final String STORE = "api.p12";
    static final String PASSWORD = "api.p12.password";

    /** A PKCS#12 key store and its password. */
    public record KeyStoreFile(Path path, String password) {
        @Override
        public String toString() {
            return "KeyStoreFile[" + path + ", password=(hidden)]";
        }
    }

    private SelfSignedCertificate() {
    }

    /** The key store in {@code folder}, made first if it is not there. */
    public static KeyStoreFile ensure(Path folder, String hostName) {
        Path store = folder.resolve(STORE);
        Path passwordFile = folder.resolve(PASSWORD);
        try {
            if (Files.isRegularFile(store) && Files.isRegularFile(passwordFile)) {
                return new KeyStoreFile(store, Files.readString(passwordFile).trim());
            }
            Files.createDirectories(folder);
            restrict(folder, "rwx------");
            String password = randomPassword();
            Files.deleteIfExists(store);
            generate(store, password, hostName);
            restrict(store, "rw-------");
            Files.writeString(passwordFile, password, StandardCharsets.US_ASCII);
            restrict(passwordFile, "rw-------");
            return new KeyStoreFile(store, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the API's self-signed certificate in " + folder + " ("
                    + e.getMessage() + "); make hotadd.state-dir writable for the agent, or configure "
                    + "hotadd.api.tls.key-store", e);
        }
    }

    /** keytool with the password in its environment, never on the command line (visible in /proc). */
    private static void generate(Path store, String password, String hostName) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp384r1", "-sigalg", "SHA384withECDSA", "-validity", "3650",
                "-dname", "CN=" + hostName + ", O=HotAdd appliance agent", "-ext", "SAN=dns:" + hostName
                + ",dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass:env", "HOTADD_KEYSTORE_PASSWORD", "-keypass:env", "HOTADD_KEYSTORE_PASSWORD"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOTADD_KEYSTORE_PASSWORD", password);
        Process p = pb.start();
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(keytool + " failed: " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + keytool + " ran", e);
        }
    }

    /** SHA-256 of the certificate's DER encoding, as browsers and vCenter show it: AB:CD:... */
    public static String sha256Fingerprint(Path store, String password) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            String alias = ks.aliases().nextElement();
            Certificate cert = ks.getCertificate(alias);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the API certificate in " + store + ": " + e.getMessage(), e);
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void restrict(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX filesystem: nothing more to do
        }
    }
}

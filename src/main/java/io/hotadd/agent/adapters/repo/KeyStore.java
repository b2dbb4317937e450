package io.hotadd.agent.adapters.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code keys/} objects: the master keys wrapped (AES-256-GCM) by a key derived from a passphrase
 * (PBKDF2-HMAC-SHA256; the JDK has no scrypt or Argon2) or from a key file. Several key objects may wrap
 * the same master keys (one per passphrase), so a passphrase can change without re-encrypting data.
 */
final class KeyStore {
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    static final int DEFAULT_ITERATIONS = 600_000;
    /** Below this a passphrase is close to unprotected; only tests and golden files go that low. */
    static final int MIN_ITERATIONS = 1_000;
    static final String KDF_PBKDF2 = "pbkdf2-hmac-sha256";
    static final String KDF_KEYFILE = "keyfile-hmac-sha256";

    /** One {@code keys/<id>} object. {@code wrapped} is {@code nonce || GCM(master keys) || tag}, base64. */
    record KeyObject(int format, String kdf, int iterations, String salt, String wrapped) {
    }

    private KeyStore() {
    }

    /** Wraps {@code keys} for {@code source} and stores it; answers the key object's id. */
    static String add(Storage storage, String repoId, MasterKeys keys, KeySource source, int iterations,
                      Random random) {
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        String keyId = Ids.randomHex(random, 16);
        String kdf = source instanceof KeySource.Passphrase ? KDF_PBKDF2 : KDF_KEYFILE;
        int rounds = source instanceof KeySource.Passphrase ? iterations : 0;
        SecretKeySpec kek = deriveWrappingKey(source, kdf, salt, rounds);
        byte[] wrapped = new Aead(kek, random).seal(aad(repoId), keys.material());
        Base64.Encoder b64 = Base64.getEncoder();
        KeyObject key = new KeyObject(RepoConfig.FORMAT, kdf, rounds, b64.encodeToString(salt),
                b64.encodeToString(wrapped));
        storage.put(RepoLayout.KEYS + keyId, ByteBuffer.wrap(RepoJson.write(key)));
        return keyId;
    }

    /**
     * Tries {@code source} on every key object.
     *
     * @throws WrongKeyException when none opens; nothing is decrypted then
     */
    static MasterKeys unlock(Storage storage, String repoId, KeySource source) {
        List<Storage.StoredObject> keyObjects = storage.list(RepoLayout.KEYS);
        for (Storage.StoredObject o : keyObjects) {
            KeyObject key = RepoJson.read(storage.get(o.name()), KeyObject.class, "key object " + o.name());
            if (!key.kdf().equals(source instanceof KeySource.Passphrase ? KDF_PBKDF2 : KDF_KEYFILE)) {
                continue;
            }
            if (key.kdf().equals(KDF_PBKDF2) && key.iterations() < MIN_ITERATIONS) {
                throw new RepositoryFormatException("key object " + o.name() + " in " + storage.location()
                        + " uses only " + key.iterations() + " PBKDF2 iterations; refusing such a weak key");
            }
            SecretKeySpec kek = deriveWrappingKey(source, key.kdf(), Base64.getDecoder().decode(key.salt()),
                    key.iterations());
            byte[] wrapped = Base64.getDecoder().decode(key.wrapped());
            try {
                return new MasterKeys(new Aead(kek, new Random()).open(aad(repoId), wrapped, 0, wrapped.length));
            } catch (AEADBadTagException wrongKey) {
                // not this key object: try the next one
            }
        }
        throw new WrongKeyException("the " + source + " opens none of the " + keyObjects.size() + " keys of the"
                + " repository in " + storage.location() + "; check the passphrase or key file configured for it");
    }

    private static byte[] aad(String repoId) {
        return ("hotadd-repo master keys " + repoId).getBytes(StandardCharsets.US_ASCII);
    }

    private static SecretKeySpec deriveWrappingKey(KeySource source, String kdf, byte[] salt, int iterations) {
        try {
            if (source instanceof KeySource.Passphrase p) {
                return new SecretKeySpec(pbkdf2(p.chars(), salt, iterations), "AES");
            }
            byte[] secret = readKeyFile((KeySource.KeyFile) source);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(salt);
            return new SecretKeySpec(mac.doFinal(kdf.getBytes(StandardCharsets.US_ASCII)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key derivation failed: " + e, e);
        }
    }

    /**
     * OpenSSL when it can be loaded: 600 000 iterations took 0.3 s of CPU, the JDK's 1.5 s in a fresh JVM (paid
     * at every repository open). Both give the same key (tested).
     */
    static byte[] pbkdf2(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
        var lib = OpenSsl.library();
        if (lib.isPresent()) {
            return OpenSsl.pbkdf2Sha256(lib.get(), passphrase, salt, iterations, 32);
        }
        return jdkPbkdf2(passphrase, salt, iterations);
    }

    static byte[] jdkPbkdf2(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        return f.generateSecret(new PBEKeySpec(passphrase, salt, iterations, 256)).getEncoded();
    }

    private static byte[] readKeyFile(KeySource.KeyFile file) {
        try {
            byte[] secret = Files.readAllBytes(file.path());
            if (secret.length < 32) {
                throw new WrongKeyException("key file " + file.path() + " holds " + secret.length + " bytes; a key"
                        + " file needs at least 32 random bytes (head -c 32 /dev/urandom)");
            }
            return secret;
        } catch (IOException e) {
            throw new WrongKeyException("cannot read key file " + file.path() + ": " + e.getMessage()
                    + "; check the path and that the agent may read it");
        }
    }
}

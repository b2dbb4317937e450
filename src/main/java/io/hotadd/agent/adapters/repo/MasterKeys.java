package io.hotadd.agent.adapters.repo;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * The repository's secret key set, random at init and stored only wrapped (see {@link KeyStore}): one
 * AES-256 key encrypts chunks and metadata, one HMAC-SHA-256 key computes chunk ids. Separate keys, so the
 * id function reveals nothing about the cipher key.
 */
final class MasterKeys {
    static final int BYTES = 64;

    private final SecretKeySpec encryption;
    private final SecretKeySpec chunkId;

    MasterKeys(byte[] material) {
        if (material.length != BYTES) {
            throw new IllegalArgumentException("master key material must be " + BYTES + " bytes");
        }
        this.encryption = new SecretKeySpec(material, 0, 32, "AES");
        this.chunkId = new SecretKeySpec(material, 32, 32, "HmacSHA256");
    }

    SecretKeySpec encryption() {
        return encryption;
    }

    SecretKeySpec chunkId() {
        return chunkId;
    }

    byte[] material() {
        byte[] out = Arrays.copyOf(encryption.getEncoded(), BYTES);
        System.arraycopy(chunkId.getEncoded(), 0, out, 32, 32);
        return out;
    }

    @Override
    public String toString() {
        return "MasterKeys[redacted]";
    }
}

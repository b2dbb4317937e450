package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.Random;

/** The chunk crypto implementations, for bench/StageBench in another package. Test code only. */
public final class CryptoStages implements AutoCloseable {
    private final ChunkCrypto crypto;
    private final byte[] id = new byte[ChunkId.BYTES];
    private final byte[] nonce = new byte[Aead.NONCE_BYTES];
    private final byte[] aad = new byte[ChunkId.BYTES + 1];

    private CryptoStages(ChunkCrypto crypto) {
        this.crypto = crypto;
    }

    /** The JDK's implementation, or OpenSSL's; empty when {@code openSsl} and libcrypto is not available. */
    public static java.util.Optional<CryptoStages> of(boolean openSsl) {
        byte[] material = new byte[MasterKeys.BYTES];
        new Random(1).nextBytes(material);
        MasterKeys keys = new MasterKeys(material);
        if (openSsl && OpenSsl.library().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new CryptoStages(openSsl ? ChunkCrypto.openSsl(keys) : ChunkCrypto.jdk(keys)));
    }

    public void hmac(ByteBuffer data) {
        crypto.id(data, id);
    }

    /** Encrypts {@code src} into {@code dst} from position 0 with a new nonce each time. */
    public void encrypt(ByteBuffer src, ByteBuffer dst) {
        nonce[0]++;
        crypto.encrypt(nonce, aad, src, dst.clear());
    }

    @Override
    public void close() {
        crypto.close();
    }
}

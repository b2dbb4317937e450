package io.hotadd.agent.adapters.repo;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.crypto.AEADBadTagException;

/**
 * Seals the repository's metadata objects (index files, restore point headers, disk maps, VM configs):
 * {@code u32 raw length || zstd(payload)}, then AES-256-GCM with the object's kind and name as associated
 * data, so an object copied under another name, or a map of one restore point put in place of another's,
 * fails to open.
 */
final class MetadataSealer {
    private static final int LEVEL = 3;

    private final Aead aead;

    MetadataSealer(MasterKeys keys, Random random) {
        this.aead = new Aead(keys.encryption(), random);
    }

    byte[] seal(String objectName, byte[] payload) {
        byte[] z = Zstd.compress(payload, LEVEL);
        byte[] framed = ByteBuffer.allocate(4 + z.length).putInt(payload.length).put(z).array();
        return aead.seal(aad(objectName), framed);
    }

    Aead aead() {
        return aead;
    }

    /** @throws RepositoryCorruptException naming the object when it was changed or is not what its name says */
    byte[] open(String objectName, byte[] sealed) {
        byte[] framed;
        try {
            framed = aead.open(aad(objectName), sealed, 0, sealed.length);
        } catch (AEADBadTagException e) {
            throw new RepositoryCorruptException("object " + objectName + " fails AES-GCM authentication: it was"
                    + " damaged, replaced or written under another name");
        }
        ByteBuffer b = ByteBuffer.wrap(framed);
        int rawLength = b.getInt();
        byte[] raw = new byte[rawLength];
        long n = Zstd.decompressByteArray(raw, 0, rawLength, framed, 4, framed.length - 4);
        if (Zstd.isError(n) || n != rawLength) {
            throw new RepositoryCorruptException("object " + objectName + " does not decompress to its " + rawLength
                    + " bytes");
        }
        return raw;
    }

    static byte[] aad(String objectName) {
        return ("hotadd-repo " + objectName).getBytes(StandardCharsets.US_ASCII);
    }
}

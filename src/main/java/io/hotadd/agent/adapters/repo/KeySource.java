package io.hotadd.agent.adapters.repo;

import java.nio.file.Path;

/** What opens the repository's master keys: a passphrase or a key file. Never printed. */
public sealed interface KeySource {

    /** A passphrase, stretched with PBKDF2-HMAC-SHA256. */
    record Passphrase(char[] chars) implements KeySource {
        @Override
        public String toString() {
            return "passphrase";
        }
    }

    /** A file of at least 32 random bytes (e.g. {@code head -c 32 /dev/urandom}). */
    record KeyFile(Path path) implements KeySource {
        @Override
        public String toString() {
            return "key file " + path;
        }
    }

    static KeySource passphrase(String s) {
        return new Passphrase(s.toCharArray());
    }
}

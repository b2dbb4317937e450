package io.hotadd.agent.adapters.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/** Encoding and replay of journal lines: {@code J1 <length> <crc32c hex> <json>\n}. */
final class JournalLines {
    private static final String MAGIC = "J1";

    private JournalLines() {
    }

    static byte[] encode(JsonNode record) {
        byte[] json = FileJournal.utf8(FileJournal.json(record));
        CRC32C crc = new CRC32C();
        crc.update(json);
        String head = MAGIC + " " + json.length + " " + String.format("%08x", crc.getValue()) + " ";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[h.length + json.length + 1];
        System.arraycopy(h, 0, line, 0, h.length);
        System.arraycopy(json, 0, line, h.length, json.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** Feeds every intact record to {@code sink}; answers the offset just after the last intact one. */
    static long replay(Path file, Consumer<JsonNode> sink) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
        int pos = 0;
        while (pos < all.length) {
            int next = decodeOne(all, pos, sink);
            if (next < 0) {
                break;
            }
            pos = next;
        }
        return pos;
    }

    /** Decodes the record at {@code pos}; answers the next position, or -1 if the record is torn or corrupt. */
    private static int decodeOne(byte[] all, int pos, Consumer<JsonNode> sink) {
        int nl = indexOf(all, pos, (byte) '\n');
        if (nl < 0) {
            return -1;
        }
        String line = new String(all, pos, nl - pos, StandardCharsets.UTF_8);
        String[] parts = line.split(" ", 4);
        if (parts.length != 4 || !parts[0].equals(MAGIC)) {
            return -1;
        }
        try {
            byte[] json = parts[3].getBytes(StandardCharsets.UTF_8);
            CRC32C crc = new CRC32C();
            crc.update(json);
            if (json.length != Integer.parseInt(parts[1]) || crc.getValue() != Long.parseLong(parts[2], 16)) {
                return -1;
            }
            sink.accept(JournalCodec.JSON.readTree(json));
            return nl + 1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static int indexOf(byte[] a, int from, byte b) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Makes a rename durable: on Linux a directory is forced by opening it read-only and calling fsync. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}

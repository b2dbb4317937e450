package io.hotadd.agent.adapters.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.port.Journal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@link Journal} as an append-only file of checksummed lines: {@code J1 <length> <crc32> <json>\n}. Each
 * append is forced to disk before it returns. On open, the file is read up to the first record that is
 * incomplete or fails its checksum (a write torn by a crash) and truncated there, so later appends follow
 * the last good record. Compaction writes the surviving records to a temp file, forces it, renames it over
 * the journal and forces the directory.
 */
public final class FileJournal implements Journal, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FileJournal.class);

    private final Path file;
    private final JournalState state = new JournalState();
    private FileChannel channel;

    public FileJournal(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            long good = JournalLines.replay(file, state::apply);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.size() > good) {
                LOG.warnf("Journal %s ends with a torn record (%d bytes after offset %d); ignoring it", file,
                        channel.size() - good, good);
                channel.truncate(good);
                channel.force(true);
            }
            channel.position(good);
        } catch (IOException e) {
            throw new JournalException("cannot open the journal " + file + ": " + e.getMessage()
                    + "; check that the agent's state directory is writable", e);
        }
    }

    @Override
    public synchronized void jobStarted(String jobId, String vmMoref) {
        append(JournalCodec.record("start", jobId).put("vm", vmMoref));
    }

    @Override
    public synchronized void intent(String jobId, int seq, Undo undo) {
        ObjectNode r = JournalCodec.record("intent", jobId).put("seq", seq);
        r.set("undo", JournalCodec.undo(undo));
        append(r);
    }

    @Override
    public synchronized void undone(String jobId, int seq) {
        append(JournalCodec.record("undone", jobId).put("seq", seq));
    }

    @Override
    public synchronized void jobEnded(String jobId) {
        append(JournalCodec.record("end", jobId));
    }

    @Override
    public synchronized Map<String, List<Pending>> unfinished() {
        return state.unfinished();
    }

    @Override
    public synchronized void compact() {
        Path tmp = file.resolveSibling(file.getFileName() + ".compact");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (JsonNode r : state.survivingRecords()) {
                out.write(ByteBuffer.wrap(JournalLines.encode(r)));
            }
            out.force(true);
        } catch (IOException e) {
            throw new JournalException("cannot compact the journal " + file + ": " + e.getMessage(), e);
        }
        try {
            channel.close();
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            JournalLines.forceDirectory(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            channel.position(channel.size());
            state.compacted();
        } catch (IOException e) {
            throw new JournalException("cannot replace the journal " + file + " after compaction: " + e.getMessage(), e);
        }
    }

    private void append(JsonNode record) {
        try {
            channel.write(ByteBuffer.wrap(JournalLines.encode(record)));
            channel.force(false);
            state.apply(record);
        } catch (IOException e) {
            throw new JournalException("cannot write to the journal " + file + ": " + e.getMessage()
                    + "; the job stops because its cleanup could not be guaranteed after a crash", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debugf("closing journal %s: %s", file, e);
        }
    }

    static String json(JsonNode n) {
        try {
            return JournalCodec.JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

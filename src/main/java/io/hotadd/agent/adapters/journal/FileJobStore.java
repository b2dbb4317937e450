package io.hotadd.agent.adapters.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hotadd.agent.domain.Job;
import io.hotadd.agent.port.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@link JobStore} as one JSON document per job in a folder ({@code <state dir>/jobs/<id>.json}).
 *
 * <p>Each save writes a temporary file beside the document, fsyncs it, renames it over the document
 * (atomic on POSIX filesystems) and fsyncs the folder, so after a crash the document is either the old or the
 * new version, never a torn one, and the rename itself is durable. Temporary files a crash left behind are
 * removed on load. Documents carry a format number so a later agent can read older ones.
 */
public final class FileJobStore implements JobStore {
    static final int FORMAT = 1;
    private static final String SUFFIX = ".json";
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path folder;
    private final ObjectMapper json;

    /** @param folder where the documents live; created if missing */
    public FileJobStore(Path folder) {
        this.folder = folder;
        this.json = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer agents may add fields
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job folder " + folder + "; check that the agent's "
                    + "state directory exists and is writable by the agent's user", e);
        }
    }

    @Override
    public void save(Job job) {
        Path target = documentOf(job.id());
        Path temp = folder.resolve(TEMP_PREFIX + job.id() + "-" + UUID.randomUUID());
        try {
            byte[] bytes = json.writeValueAsBytes(new Document(FORMAT, job));
            writeDurably(temp, bytes);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder();
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot store job " + job.id() + " in " + folder + " (" + e.getMessage()
                    + "); check free space and permissions of the agent's state directory", e);
        }
    }

    /** The document as written: the format number first, so it can be checked before the job is read. */
    record Document(int format, Job job) {
    }

    @Override
    public Loaded loadAll() {
        List<Job> jobs = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(TEMP_PREFIX)) {
                    deleteQuietly(f); // a save interrupted before its rename: the document is the older version
                } else if (name.endsWith(SUFFIX)) {
                    read(f, jobs, unreadable);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the job folder " + folder, e);
        }
        return new Loaded(jobs, unreadable);
    }

    private void read(Path f, List<Job> jobs, List<String> unreadable) {
        try {
            JsonNode doc = json.readTree(f.toFile());
            int format = doc.path("format").asInt(-1);
            if (format != FORMAT) {
                unreadable.add(f + ": format " + format + " is not one this agent reads (" + FORMAT + ")");
                return;
            }
            jobs.add(json.treeToValue(doc.get("job"), Job.class));
        } catch (IOException | RuntimeException e) {
            unreadable.add(f + ": " + e.getMessage());
        }
    }

    @Override
    public void delete(String jobId) {
        try {
            Files.deleteIfExists(documentOf(jobId));
            syncFolder();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the document of job " + jobId + " in " + folder, e);
        }
    }

    private Path documentOf(String jobId) {
        if (jobId == null || !jobId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") || jobId.contains("..")) {
            throw new IllegalArgumentException("job id '" + jobId + "' cannot name a file");
        }
        return folder.resolve(jobId + SUFFIX);
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Makes the rename durable: without it a crash can bring back the folder entry as it was. */
    private void syncFolder() throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (NoSuchFileException gone) {
            // already gone
        } catch (IOException e) {
            // a leftover temp file is harmless; the next load tries again
        }
    }
}

package io.hotadd.agent.adapters.blockdev;

import static io.hotadd.agent.adapters.blockdev.DirectBlockSourceTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restores write through O_DIRECT; what was written must read back, and nothing may land past the disk. */
class DirectBlockTargetTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void writesToALoopDeviceReadBackThroughASource() throws Exception {
        LoopDevice.assumeAvailable();
        Path image = Files.write(dir.resolve("target.img"), new byte[2 * MIB]);
        Path content = DiskContent.randomImage(dir.resolve("content.img"), 2L * MIB, 21);
        try (LoopDevice loop = LoopDevice.attach(image)) {
            copyWholeFile(content, loop.path());
            try (DirectBlockSource source = DirectBlockSource.open(loop.path())) {
                assertEquals(DiskContent.sha256(content), DiskContent.sha256(source, MIB));
            }
        }
        assertEquals(DiskContent.sha256(content), DiskContent.sha256(image));
    }

    @Test
    void aShortLastBlockOnARegularFileIsWrittenWithoutGrowingTheFile() throws Exception {
        long size = MIB + 512;
        Path image = Files.write(dir.resolve("target.img"), new byte[(int) size]);
        Path content = DiskContent.randomImage(dir.resolve("content.img"), size, 22);
        copyWholeFile(content, image);
        assertEquals(size, Files.size(image));
        assertEquals(DiskContent.sha256(content), DiskContent.sha256(image));
    }

    @Test
    void writingPastTheEndIsRefusedNamingTheDisk() throws Exception {
        Path image = Files.write(dir.resolve("target.img"), new byte[MIB]);
        try (DirectBlockTarget target = DirectBlockTarget.open(image)) {
            ByteBuffer block = AlignedBuffers.allocate(target.alignment(), target.alignment());
            BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> target.write(MIB, block));
            assertMentions(e, "write", image.toString(), "offset " + MIB);
        }
        assertEquals(MIB, Files.size(image));
    }

    @Test
    void aMissingTargetIsNeverCreated() {
        Path missing = dir.resolve("no-such-disk");
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> DirectBlockTarget.open(missing));
        assertMentions(e, missing.toString());
        assertFalse(Files.exists(missing));
    }

    private static void copyWholeFile(Path from, Path device) throws Exception {
        byte[] bytes = Files.readAllBytes(from);
        try (DirectBlockTarget target = DirectBlockTarget.open(device)) {
            int chunk = 256 * 1024;
            ByteBuffer buffer = AlignedBuffers.allocate(chunk, target.alignment());
            for (int offset = 0; offset < bytes.length; offset += chunk) {
                int length = Math.min(chunk, bytes.length - offset);
                buffer.clear().put(bytes, offset, length).flip();
                target.write(offset, buffer);
            }
            target.flush();
        }
    }
}

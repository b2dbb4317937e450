package io.hotadd.agent.adapters.blockdev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceNumbersTest {

    @Test
    void decodesSmallAndLargeDeviceNumbersAsTheKernelPrintsThem() {
        assertEquals("7:0", DeviceNumbers.format(0x0700));
        assertEquals("8:32", DeviceNumbers.format(0x0820));
        // minor 300 and major 259 (NVMe, extended dynamic majors) need the high bits of both halves
        assertEquals("259:300", DeviceNumbers.format(0x0001_0300L | (300 & 0xff) | ((300L & ~0xffL) << 12)));
    }

    @Test
    void aRegularFileOrNothingHasNoDeviceNumber(@TempDir Path dir) throws Exception {
        assertEquals(Optional.empty(), DeviceNumbers.of(java.nio.file.Files.createFile(dir.resolve("plain"))));
        assertEquals(Optional.empty(), DeviceNumbers.of(dir.resolve("absent")));
    }
}

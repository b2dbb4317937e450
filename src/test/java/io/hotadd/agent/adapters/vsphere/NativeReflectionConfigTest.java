package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vmware.vim25.ManagedObjectReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native profile's reflection list (src/main/native/reflect-config.sh) covers every type the tolerant
 * deserializer can resolve: all of yavijava's top-level vim25 classes and the project's own wire types.
 * This checks the list, not a native image (none can be built here).
 */
class NativeReflectionConfigTest {

    @TempDir
    Path dir;

    @Test
    void everyResolvableWireTypeIsRegistered() throws Exception {
        Path jar = Path.of(ManagedObjectReference.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path out = dir.resolve("reflect-config.json");
        Process script = new ProcessBuilder("sh", "src/main/native/reflect-config.sh", jar.toString(), out.toString())
                .inheritIO().start();
        assertTrue(script.waitFor(120, TimeUnit.SECONDS) && script.exitValue() == 0, "reflect-config.sh failed");

        Set<String> registered = new HashSet<>();
        for (JsonNode entry : new ObjectMapper().readTree(Files.readString(out))) {
            registered.add(entry.get("name").asText());
            assertTrue(entry.get("allDeclaredFields").asBoolean() && entry.get("allPublicConstructors").asBoolean());
        }
        Set<String> vim25 = new HashSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(e -> e.getName()).filter(n -> n.matches("com/vmware/vim25/\\w+\\.class"))
                    .forEach(n -> vim25.add(n.replace('/', '.').replace(".class", "")));
        }
        VimTypeRegistry registry = VimTypeRegistry.withProjectTypes();
        List<String> listed = Files.readAllLines(Path.of("src/main/native/project-wire-types.txt")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).sorted().toList();
        assertEquals(registry.projectTypeNames(), listed,
                "src/main/native/project-wire-types.txt must list exactly VimTypeRegistry's project types");
        for (String wire : List.of("ManagedObjectReference", "VirtualMachineConfigSpec", "InvalidLogin",
                "TaskInfo", "VirtualDiskFlatVer2BackingInfo", "CryptoKeyId", "VirtualTPM", "DisabledMethodRequest")) {
            String name = registry.resolve(wire).orElseThrow().getName();
            assertTrue(registered.contains(name), name + " is resolvable but not registered");
        }
        assertTrue(registered.containsAll(vim25), "some vim25 classes are missing");
        assertEquals(vim25.size() + listed.size(), registered.size(), "vim25 classes plus the project's wire types");
    }
}

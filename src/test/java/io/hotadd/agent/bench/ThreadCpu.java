package io.hotadd.agent.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds of this process's threads by kind, read from /proc/self/task. The JVM's own threads (JIT
 * compilers, GC) are invisible to ThreadMXBean but count in the process's CPU time, so a benchmark that
 * reports only the total cannot tell pipeline work from warm-up.
 */
final class ThreadCpu {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture we run on

    private ThreadCpu() {
    }

    /** CPU seconds per thread kind (numbers in names folded: "pool-1-thread-3" counts as "pool-#-thread-#"). */
    static Map<String, Double> snapshot() throws IOException {
        Map<String, Double> byKind = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended between listing and reading
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                byKind.merge(name.replaceAll("[0-9]+$", "#"), seconds, Double::sum);
            }
        }
        return byKind;
    }

    /** What each kind used since {@code before}, largest first, kinds under 0.05 s left out. */
    static String since(Map<String, Double> before) throws IOException {
        Map<String, Double> used = new LinkedHashMap<>();
        snapshot().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> used.put(e.getKey(), e.getValue()));
        StringBuilder sb = new StringBuilder();
        used.forEach((k, v) -> sb.append(String.format("%s %.2f s, ", k, v)));
        return sb.length() == 0 ? "(none)" : sb.substring(0, sb.length() - 2);
    }
}

package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tools' packages by job (issue 26): only {@code Main} at the top, and the emulator (the local
 * stand-ins for API Gateway, SQS and the scheduler) independent of the command line and the console,
 * which are built on it. Read from the sources, so a fully qualified name counts as much as an import.
 */
class ToolsLayoutTest {
    private static final Path MAIN = Path.of("src/main/java/dev/inlet/local");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.inlet\\.local\\.(cli|console)\\b");

    @Test
    void theTopPackage_holdsOnlyMain() throws IOException {
        List<String> top = new ArrayList<>();
        try (Stream<Path> files = Files.list(MAIN)) {
            files.filter(Files::isRegularFile).forEach(f -> top.add(f.getFileName().toString()));
        }

        assertEquals(List.of("Main.java"), top, "dev.inlet.local holds Main only; the rest lives in packages by job");
    }

    @Test
    void theEmulator_usesNeitherTheCommandLineNorTheConsole() throws IOException {
        Path emulator = MAIN.resolve("emulator");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(emulator)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() >= 5, "the emulator's sources were found: " + sources);

        List<String> offenders = new ArrayList<>();
        for (Path source : sources) {
            Matcher m = REFERENCE.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (m.find()) {
                offenders.add(emulator.relativize(source) + " -> dev.inlet.local." + m.group(1));
            }
        }

        assertEquals(List.of(), offenders, "dev.inlet.local.emulator must not depend on cli or console");
    }
}

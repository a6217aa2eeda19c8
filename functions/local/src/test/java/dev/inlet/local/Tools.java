package dev.inlet.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * The one gate for tests that need a program outside the JVM ({@code moto_server}, the AWS CLI). When the
 * {@code CI} environment variable is set, a missing tool fails the test with one line naming it and how to
 * install it: CI never passes without the coverage these tests hold. Elsewhere the test is skipped with
 * that line, and {@code scripts/skipped.sh} (run by {@code .ci/run} and at the end of {@code ./mvnw verify})
 * counts every skip and its reason.
 */
public final class Tools {
    public static final String MOTO_SERVER = "moto_server";
    public static final String AWS_CLI = "aws";
    private static final Map<String, String> INSTALL = Map.of(
            MOTO_SERVER, "pip install 'moto[server]'",
            AWS_CLI, "pip install awscli, or apt-get install awscli");

    private Tools() {
    }

    /** Returns normally when {@code tool} is on the PATH; otherwise fails (in CI) or skips the calling test. */
    public static void require(String tool) {
        if (find(tool).isPresent()) {
            return;
        }
        String missing = missing(tool);
        if (inCi()) {
            Assertions.fail("CI runs every test, and " + missing);
        }
        throw new TestAbortedException("skipped, " + missing);
    }

    /** Returns normally when {@code dir} exists; otherwise fails (in CI) or skips, naming {@code what} and how to install it. */
    public static void requireDirectory(String what, Path dir, String install) {
        if (Files.isDirectory(dir)) {
            return;
        }
        String missing = what + " is not at " + dir + " (install: " + install + ")";
        if (inCi()) {
            Assertions.fail("CI runs every test, and " + missing);
        }
        throw new TestAbortedException("skipped, " + missing);
    }

    /** The line a test gives when {@code tool} is missing. */
    static String missing(String tool) {
        return tool + " is not on the PATH (install: " + INSTALL.getOrDefault(tool, "see README") + ")";
    }

    /** Whether this is a CI run: {@code CI} is set to anything but empty or {@code false}, as CI services set it. */
    static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    /** Where {@code tool} is on the PATH, if it is. */
    public static Optional<Path> find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

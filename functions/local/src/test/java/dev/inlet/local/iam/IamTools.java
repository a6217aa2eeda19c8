package dev.inlet.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.embedded.SamTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two outside tools of the IAM checks, both run as processes: SAM's own translator (python
 * {@code samtranslator}, the one cfn-lint uses) through {@code src/test/iam/translate.py}, and
 * {@code @cloud-copilot/iam-simulate}, a maintained implementation of IAM's evaluation rules, through
 * {@code src/test/iam/simulate.mjs}. The simulator is pinned in that folder's package-lock.json and
 * installed here with {@code npm ci} when it is missing. Under CI (CI=true) a missing tool fails the test;
 * elsewhere the test is skipped with the reason.
 */
public final class IamTools {
    public static final Path ROOT = SamTemplate.locate().getParent();
    static final Path DIR = ROOT.resolve("functions/local/src/test/iam");
    private static final String SIMULATOR = "node_modules/@cloud-copilot/iam-simulate/package.json";

    private IamTools() {
    }

    /** The template as `sam deploy` submits it to CloudFormation, for these parameter values. */
    public static JsonNode translate(Path template, JsonNode parameters) throws IOException {
        require(run(List.of("python3", "-c", "import samtranslator"), null, 60).exit == 0,
                "python3 with samtranslator (SAM's translator; cfn-lint brings it: pip install cfn-lint)");
        Result r = run(List.of("python3", DIR.resolve("translate.py").toString(), template.toString(),
                Json.write(parameters)), null, 120);
        assertEquals(0, r.exit, "SAM's translator refused the template:\n" + r.err);
        return Json.parse(r.out);
    }

    /** Each request evaluated by the simulator; the answers in the same order. */
    public static JsonNode simulate(JsonNode requests) throws IOException {
        installSimulator();
        Result r = run(List.of("node", DIR.resolve("simulate.mjs").toString()), Json.write(requests), 300);
        assertEquals(0, r.exit, "the IAM simulator failed:\n" + r.err);
        return Json.parse(r.out);
    }

    private static synchronized void installSimulator() throws IOException {
        require(run(List.of("node", "--version"), null, 30).exit == 0, "Node.js 20 (node and npm)");
        if (Files.isRegularFile(DIR.resolve(SIMULATOR))) {
            String installed = Json.parse(Files.readString(DIR.resolve(SIMULATOR))).path("version").asText();
            String pinned = Json.parse(Files.readString(DIR.resolve("package.json"))).path("dependencies")
                    .path("@cloud-copilot/iam-simulate").asText();
            if (installed.equals(pinned)) {
                return;
            }
        }
        Result r = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), null, 300);
        assertEquals(0, r.exit, "npm ci in " + DIR + " failed:\n" + r.err);
    }

    private static void require(boolean present, String what) {
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI needs " + what + " for the IAM evaluation tests");
        }
        assumeTrue(present, "not installed here: " + what);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> command, String stdin, int timeoutSeconds) throws IOException {
        Path out = Files.createTempFile("iam-tool", ".out");
        Path err = Files.createTempFile("iam-tool", ".err");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).directory(DIR.toFile()).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).start();
            } catch (IOException notFound) {
                return new Result(127, "", notFound.getMessage());
            }
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

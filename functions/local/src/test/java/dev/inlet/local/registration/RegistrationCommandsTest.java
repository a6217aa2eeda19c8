package dev.inlet.local.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registration commands against a loopback server that checks the exact requests. */
class RegistrationCommandsTest {
    private static final String REVERB_TOKEN = "test-reverb-api-token-123";
    private static final String RECHAT_TOKEN = "test-rechat-api-token-456";
    private final FakeApi api = new FakeApi();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    RegistrationCommandsTest() throws Exception {
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private int run(String verb, String provider, List<String> positionals, Map<String, String> options,
                    List<String> flags) {
        Map<String, String> env = new HashMap<>(Map.of("REVERB_API_TOKEN", REVERB_TOKEN, "RECHAT_API_TOKEN", RECHAT_TOKEN,
                "REVERB_API_BASE", api.base() + "/api", "RECHAT_API_BASE", api.base()));
        return run(Env.of(env), verb, provider, positionals, options, flags);
    }

    private int run(Env env, String verb, String provider, List<String> positionals, Map<String, String> options,
                    List<String> flags) {
        RegistrationCommands commands = new RegistrationCommands(env, HttpClient.newHttpClient(),
                new PrintStream(output, true, StandardCharsets.UTF_8), new SecureRandom());
        return commands.run(new RegistrationCommands.Request(verb, provider, positionals, options::get,
                flags::contains));
    }

    private String out() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode json(String body) throws Exception {
        return Json.mapper().readTree(body);
    }

    @Test
    void registerReverb_postsOneRegistrationPerTopic_withReverbsRequiredHeaders_andOneFreshToken() throws Exception {
        api.on("POST /api/webhooks/registrations", new FakeApi.Answer(201,
                "{\"id\":11,\"topic\":\"orders/create\",\"url\":\"x\",\"_links\":{\"self\":{\"href\":\"h\"}}}"));

        int exit = run("register", "reverb", List.of(),
                Map.of("url", "https://abc.execute-api.eu-west-1.amazonaws.com/", "topics", "orders/create,listings/update"),
                List.of());

        assertEquals(0, exit);
        List<FakeApi.Recorded> posts = api.requests();
        assertEquals(2, posts.size());
        String token = null;
        for (int i = 0; i < 2; i++) {
            FakeApi.Recorded r = posts.get(i);
            assertEquals("POST", r.method());
            assertEquals("/api/webhooks/registrations", r.path());
            assertEquals("Bearer " + REVERB_TOKEN, r.headers().get("Authorization"));
            assertEquals("3.0", r.headers().get("Accept-Version"));
            assertEquals("application/hal+json", r.headers().get("Accept"));
            assertEquals("application/hal+json", r.headers().get("Content-Type"));
            JsonNode body = json(r.body());
            String slug = i == 0 ? "orders-create" : "listings-update";
            assertEquals(i == 0 ? "orders/create" : "listings/update", body.get("topic").asText());
            Matcher m = Pattern.compile("https://abc\\.execute-api\\.eu-west-1\\.amazonaws\\.com/webhooks/reverb/"
                    + slug + "/([A-Za-z0-9_-]{43})").matcher(body.get("url").asText());
            assertTrue(m.matches(), body.get("url").asText());
            token = token == null ? m.group(1) : token;
            assertEquals(token, m.group(1), "one token for the whole registration run");
        }
        assertFalse(out().contains(token), "the new path token is never printed");
        assertEquals(List.of("test-old-one", "test-old-two", token), appendAsPrinted("<ReverbPathTokensArn>", token),
                "the printed command appends the token to the tokens already stored");
        assertFalse(out().contains("sam deploy"), "a new token needs no deploy");
        assertTrue(out().contains("/webhooks/reverb/orders-create/<token>"), "URLs are printed with the token masked");
        assertFalse(out().contains(REVERB_TOKEN), "the API token is never printed");
    }

    @Test
    void registerReverb_withReuseToken_registersTheFirstConfiguredToken() throws Exception {
        api.on("POST /api/webhooks/registrations", new FakeApi.Answer(201, "{\"id\":12}"));
        Env env = Env.of(Map.of("REVERB_API_TOKEN", REVERB_TOKEN, "REVERB_API_BASE", api.base() + "/api",
                "REVERB_PATH_TOKENS", "test-existing-path-token-0001,test-older-0000"));

        run(env, "register", "reverb", List.of(), Map.of("url", "https://x.example.test", "topics", "app/uninstalled"),
                List.of("reuse-token"));

        assertEquals("https://x.example.test/webhooks/reverb/app-uninstalled/test-existing-path-token-0001",
                json(api.requests().get(0).body()).get("url").asText());
        assertFalse(out().contains("test-existing-path-token-0001"));
    }

    @Test
    void registrationsReverb_listsHalEntries_withTheirTokensMasked() {
        api.on("GET /api/webhooks/registrations", new FakeApi.Answer(200, "{\"registrations\":[{\"id\":7,"
                + "\"topic\":\"orders/create\",\"url\":\"https://x.test/webhooks/reverb/orders-create/test-secret-tok\","
                + "\"_links\":{\"self\":{\"href\":\"" + api.base() + "/api/webhooks/registrations/7\"}}}]}"));

        assertEquals(0, run("registrations", "reverb", List.of(), Map.of(), List.of()));

        assertTrue(out().contains("orders/create"));
        assertTrue(out().contains("/webhooks/reverb/orders-create/<token>"));
        assertFalse(out().contains("test-secret-tok"));
    }

    @Test
    void deregisterReverbAll_deletesEachEntryByItsSelfLink() {
        String list = "{\"registrations\":["
                + "{\"id\":7,\"topic\":\"orders/create\",\"url\":\"u\",\"_links\":{\"self\":{\"href\":\"" + api.base()
                + "/api/webhooks/registrations/7\"}}},"
                + "{\"id\":8,\"topic\":\"orders/update\",\"url\":\"u\",\"_links\":{\"self\":{\"href\":\"" + api.base()
                + "/api/webhooks/registrations/8\"}}}]}";
        api.on("GET /api/webhooks/registrations", new FakeApi.Answer(200, list));
        api.on("DELETE /api/webhooks/registrations/7", new FakeApi.Answer(204, ""));
        api.on("DELETE /api/webhooks/registrations/8", new FakeApi.Answer(204, ""));

        assertEquals(0, run("deregister", "reverb", List.of(), Map.of(), List.of("all")));

        assertEquals(List.of("GET /api/webhooks/registrations", "DELETE /api/webhooks/registrations/7",
                "DELETE /api/webhooks/registrations/8"),
                api.requests().stream().map(r -> r.method() + " " + r.path()).toList());
        assertEquals("3.0", api.requests().get(1).headers().get("Accept-Version"));
    }

    @Test
    void badApiToken_failsWithAMessageNamingTheVariable_notTheToken() {
        api.on("POST /api/webhooks/registrations", new FakeApi.Answer(401, "{\"message\":\"unauthorized\"}"));

        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> run("register",
                "reverb", List.of(), Map.of("url", "https://x.test"), List.of()));

        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("REVERB_API_TOKEN"));
        assertFalse(e.getMessage().contains(REVERB_TOKEN));
        assertFalse(out().contains("New path token"), "nothing was registered, so no token to store");
    }

    @Test
    void validationError_showsTheApisOwnMessages() {
        api.on("POST /api/webhooks/registrations",
                new FakeApi.Answer(422, "{\"message\":\"Validation failed\",\"errors\":{\"url\":[\"is not https\"]}}"));

        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> run("register",
                "reverb", List.of(), Map.of("url", "https://x.test"), List.of()));

        assertEquals(422, e.status());
        assertTrue(e.getMessage().contains("Validation failed"));
        assertTrue(e.getMessage().contains("url: is not https"));
    }

    @Test
    void serverErrorHalfway_reportsWhatWasRegistered_andStillPrintsTheToken() {
        api.on("POST /api/webhooks/registrations", new FakeApi.Answer(201, "{\"id\":1}"),
                new FakeApi.Answer(503, "{}"));

        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> run("register",
                "reverb", List.of(), Map.of("url", "https://x.test", "topics", "orders/create,orders/update"), List.of()));

        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("try again"));
        assertTrue(out().contains("orders/create"));
        assertTrue(out().contains("New path token"), "the registration that succeeded uses it");
    }

    @Test
    void missingApiToken_isAConfigErrorNamingIt() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> run(
                Env.of(Map.of()), "registrations", "reverb", List.of(), Map.of(), List.of()));

        assertTrue(e.getMessage().startsWith("REVERB_API_TOKEN:"));
    }

    @Test
    void registerRechat_createsOneWebhookPerTopic_andPrintsEachKeyOnceWithStorageInstructions() throws Exception {
        api.on("POST /brands/brand-1/webhooks",
                new FakeApi.Answer(200, "{\"data\":{\"id\":\"wh-1\",\"topic\":\"Deals\",\"key\":\"" + "ab".repeat(32) + "\"}}"),
                new FakeApi.Answer(200, "{\"data\":{\"id\":\"wh-2\",\"topic\":\"Contacts\",\"key\":\"" + "cd".repeat(32) + "\"}}"));

        int exit = run("register", "rechat", List.of(),
                Map.of("brand", "brand-1", "url", "https://abc.example.test", "topics", "Deals,Contacts"), List.of());

        assertEquals(0, exit);
        assertEquals(2, api.requests().size());
        FakeApi.Recorded first = api.requests().get(0);
        assertEquals("Bearer " + RECHAT_TOKEN, first.headers().get("Authorization"));
        assertEquals("Deals", json(first.body()).get("topic").asText());
        assertEquals("https://abc.example.test/webhooks/rechat", json(first.body()).get("url").asText());
        assertEquals("Contacts", json(api.requests().get(1).body()).get("topic").asText());
        assertFalse(out().contains("ab".repeat(32)) || out().contains("cd".repeat(32)), "no key is printed");
        assertEquals(List.of("test-old-one", "test-old-two", "ab".repeat(32), "cd".repeat(32)),
                appendAsPrinted("<RechatWebhookKeysArn>", "ab".repeat(32), "cd".repeat(32)),
                "one command appends both keys to the keys already stored");
        assertFalse(out().contains("sam deploy"), "new keys need no deploy");
        assertTrue(out().contains("ONCE"));
        assertFalse(out().contains(RECHAT_TOKEN));
    }

    @Test
    void rechatAnswerWithoutAKey_isAClearError() {
        api.on("POST /brands/brand-1/webhooks", new FakeApi.Answer(200, "{\"data\":{\"id\":\"wh-1\"}}"));

        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> run("register",
                "rechat", List.of(), Map.of("brand", "brand-1", "url", "https://x.test", "topics", "Deals"), List.of()));

        assertTrue(e.getMessage().contains("no id or key"));
    }

    @Test
    void deregisterRechat_deletesTheNamedWebhook() {
        api.on("DELETE /brands/brand-1/webhooks/wh-9", new FakeApi.Answer(204, ""));

        assertEquals(0, run("deregister", "rechat", List.of("wh-9"), Map.of("brand", "brand-1"), List.of()));

        assertEquals("DELETE /brands/brand-1/webhooks/wh-9",
                api.requests().get(0).method() + " " + api.requests().get(0).path());
    }

    @Test
    void rechatServerError_isReportedWithAdvice() {
        api.on("GET /brands/brand-1/webhooks", new FakeApi.Answer(500, "oops"));

        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                () -> run("registrations", "rechat", List.of(), Map.of("brand", "brand-1"), List.of()));

        assertEquals(500, e.status());
        assertTrue(e.getMessage().contains("Rechat had a server error"));
    }

    /**
     * Runs the printed append command as a shell would, with a stand-in {@code aws} on the PATH that logs
     * its arguments and standard input and holds "test-old-one,test-old-two". Checks that the new values
     * were in an owner-only file, that no value was on any command line, and returns the list stored.
     */
    private List<String> appendAsPrinted(String secretId, String... newValues) throws Exception {
        String command = out().lines().map(String::trim).filter(l -> l.startsWith("OLD=$(")).findFirst()
                .orElseThrow(() -> new AssertionError("no append command in:\n" + out()));
        // The placeholder the command prints when no ARN is configured, filled in as the user would.
        command = command.replace(secretId, "arn-of-the-secret");
        java.util.regex.Matcher file = Pattern.compile("cat (\\S+);").matcher(command);
        assertTrue(file.find(), command);
        java.nio.file.Path values = java.nio.file.Path.of(file.group(1));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(values)), "the new values' file is the user's alone");
        java.nio.file.Path bin = java.nio.file.Files.createTempDirectory("fake-aws");
        java.nio.file.Path aws = bin.resolve("aws");
        java.nio.file.Files.writeString(aws, "#!/bin/bash\n"
                + "echo \"$*\" >> \"$(dirname \"$0\")/argv\"\n"
                + "if [ \"$2\" = get-secret-value ]; then echo test-old-one,test-old-two; "
                + "else cat /dev/stdin > \"$(dirname \"$0\")/stdin\"; fi\n");
        aws.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process run = pb.start();
        String shellOut = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, run.waitFor(), shellOut);
        String argv = java.nio.file.Files.readString(bin.resolve("argv"));
        assertTrue(argv.contains("put-secret-value --secret-id arn-of-the-secret --secret-string file:///dev/stdin"), argv);
        for (String v : newValues) {
            assertFalse(argv.contains(v), "no new value on a command line: " + argv);
        }
        assertFalse(argv.contains("test-old-one"), "no old value on a command line: " + argv);
        return dev.inlet.core.config.Env.parseList("stored", java.nio.file.Files.readString(bin.resolve("stdin")));
    }
}

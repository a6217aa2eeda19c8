package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventStatus;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.emulator.Repo;
import dev.inlet.local.samples.Samples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command README.md and docs/*.md show in a {@code ```bash} block is run here, or is listed below
 * as exempt with the reason; any other shell line fails the test. Each {@code ./inlet} line runs
 * in-process through {@link Main#run}, in the document's order, against a local stack started for that
 * document, and must exit as it promises: 0, or 1 for a {@code --tamper} send; a send of an id already
 * sent must answer {@code duplicate}; and what the line's comment promises ({@code HTTP 401},
 * {@code accepted}, {@code PROCESSED}...) must be in its output. {@code export} lines set the environment
 * of the lines after them; the registration commands talk to a stand-in for Reverb's and Rechat's APIs. The options every {@code ./inlet}
 * command in the docs uses, in blocks or inline, must be options its usage string names; docs/cli.md
 * must show exactly what {@code ./inlet help} prints; relative links must point at files and headings
 * that exist.
 */
class ReadmeCommandsTest {
    private static final Path ROOT = Repo.root();

    /** A shell line the test does not run, and why. Each must match some line of the docs. */
    private record Exempt(Pattern line, String reason) {
        static Exempt of(String regex, String reason) {
            return new Exempt(Pattern.compile(regex), reason);
        }
    }

    private static final List<Exempt> EXEMPT = List.of(
            Exempt.of("^\\./inlet local\\b", "runs until Ctrl-C on fixed ports; the test starts the same stack (the "
                    + "template, events/env.json, the same handler classes) itself, on free ports"),
            Exempt.of("^\\./mvnw\\b", "the build itself: this test runs inside it"),
            Exempt.of("^sam ", "the SAM CLI needs Docker or an AWS account; EventsFilesInShadedJarsTest runs every "
                    + "function's jar on the events/ files the way sam local invoke does"),
            Exempt.of("^([A-Z_]+=\\$\\()?aws ", "the AWS CLI against a real account"),
            Exempt.of("^echo \"\\$RHEO_ARN", "prints the ARNs the lines before it created in a real account"),
            Exempt.of("^(BODY|SIG)=|^curl ", "the hand-signed curl example needs ./inlet local on port 3000; "
                    + "./inlet send posts the same kind of request and is run here"),
            Exempt.of("^scripts/fuzz-long\\.sh\\b", "fuzzes for an hour; ./mvnw verify fuzzes each target for 30 s"));

    /** What a comment may promise about a command's output: checked when it does. */
    private static final Pattern PROMISE = Pattern.compile(
            "HTTP \\d{3}|\\b(accepted|duplicate|bad_signature|PROCESSED|FAILED|QUARANTINED)\\b");

    @Test
    void everyShellCommandInTheDocs_runsAsPromised_orIsExemptWithAReason() throws Exception {
        Set<Exempt> used = new HashSet<>();
        List<String> unaccounted = new ArrayList<>();
        int ran = 0;
        int promisesChecked = 0;
        for (Path doc : documents()) {
            List<Command> commands = commands(doc);
            List<Command> runnable = new ArrayList<>();
            for (Command c : commands) {
                Exempt e = EXEMPT.stream().filter(x -> x.line().matcher(c.line()).find()).findFirst().orElse(null);
                if (e != null) {
                    used.add(e);
                } else if (c.words().get(0).equals("./inlet") || c.words().get(0).equals("export")) {
                    runnable.add(c);
                } else {
                    unaccounted.add(c.where() + ": " + c.line());
                }
            }
            if (runnable.isEmpty()) {
                continue;
            }
            LocalStack stack = LocalStack.start(withSweeper(LocalStack.Options.forTests()));
            try (ProviderApis apis = new ProviderApis()) {
                Runner runner = new Runner(stack, apis);
                runner.warmUp();
                for (Command c : runnable) {
                    promisesChecked += runner.run(c);
                    ran++;
                }
            } finally {
                stack.close();
            }
        }
        assertTrue(unaccounted.isEmpty(), "shell lines neither run nor exempt (run them here, or add an exemption "
                + "with the reason):\n" + String.join("\n", unaccounted));
        List<String> unused = EXEMPT.stream().filter(e -> !used.contains(e)).map(e -> e.line().pattern()).toList();
        assertTrue(unused.isEmpty(), "exemptions that match no line of the docs (remove them): " + unused);
        assertTrue(ran >= 25, "the docs' ./inlet commands were run, not skipped: " + ran);
        assertTrue(promisesChecked >= 5, "the outputs the comments promise were checked: " + promisesChecked);
    }

    @Test
    void readmeFrontPage_staysAFrontPage_andLinksEveryDoc() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        String text = String.join("\n", readme);

        assertTrue(readme.size() <= 250, "README.md is a front page (at most about 250 lines; the rest goes to docs/): "
                + readme.size());
        for (Path doc : documents().subList(1, documents().size())) {
            String link = "](" + ROOT.relativize(doc) + ")";
            assertTrue(text.contains(link), "README.md's table links " + ROOT.relativize(doc));
        }
    }

    @Test
    void cliReference_showsExactlyWhatInletHelpPrints() throws IOException {
        String cli = Files.readString(ROOT.resolve("docs/cli.md"));
        Matcher m = Pattern.compile("```text\\n(.*?)\\n```", Pattern.DOTALL).matcher(cli);
        assertTrue(m.find(), "docs/cli.md has a ```text block with the usage");

        assertEquals(Main.usage(), m.group(1), "docs/cli.md's usage block, against ./inlet help");
    }

    @Test
    void everyInletCommandInTheDocs_usesOnlyOptionsItsUsageNames() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        Pattern inline = Pattern.compile("`(\\./inlet [^`]+)`");
        for (Path doc : documents()) {
            List<String> lines = new ArrayList<>();
            commands(doc).stream().filter(c -> c.words().get(0).equals("./inlet")).forEach(c -> lines.add(c.line()));
            inline.matcher(Files.readString(doc)).results().forEach(r -> lines.add(r.group(1)));
            for (String line : lines) {
                String[] words = line.split("\\s+");
                String command = words.length > 1 ? words[1] : "";
                Set<String> allowed = usageOptions(command);
                if (allowed == null) {
                    wrong.add(ROOT.relativize(doc) + ": unknown command in `" + line + "`");
                    continue;
                }
                Matcher o = Pattern.compile("(?<![\\w-])--([a-z][a-z-]*)").matcher(line);
                while (o.find()) {
                    if (!allowed.contains(o.group(1))) {
                        wrong.add(ROOT.relativize(doc) + ": --" + o.group(1) + " is not an option of `./inlet "
                                + command + "` in `" + line + "`");
                    }
                }
                checked++;
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(checked >= 40, "./inlet commands checked against their usage: " + checked);
    }

    @Test
    void everyRelativeLinkInTheDocs_pointsAtAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        int checked = 0;
        for (Path doc : documents()) {
            Matcher m = link.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : "";
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                String name = ROOT.relativize(resolved).toString();
                checked++;
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such file)");
                } else if (!anchor.isEmpty() && !headings(resolved).contains(anchor)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such heading in " + name + ")");
                }
            }
        }
        assertTrue(broken.isEmpty(), String.join("\n", broken));
        assertTrue(checked >= 20, "links checked: " + checked);
    }

    /**
     * The test stack with the sweeper on a timer, as {@code ./inlet local} has it: on a loaded machine a
     * receiver's put can outlast the SDK's attempt timeout, the retry answers duplicate, and the record
     * then waits in the outbox for the sweeper.
     */
    private static LocalStack.Options withSweeper(LocalStack.Options o) {
        return new LocalStack.Options(o.httpPort(), o.dynamoPort(), o.sqsPort(), o.template(), o.envFile(),
                o.processEnv(), o.clock(), o.visibilitySeconds(), o.sink(), o.pollQueue(), o.sharedBackends(), 1);
    }

    // ---- running one document's commands ------------------------------------------------------------

    /** Runs a document's {@code ./inlet} lines against one stack, remembering what was sent. */
    private static final class Runner {
        private final LocalStack stack;
        private final DynamoDbEventStore store;
        private Env env;
        private final Instant started = Instant.now();
        private final Set<String> sentIds = new HashSet<>();
        /** Whether something may be in the pipeline since the last {@link #settle()}. */
        private boolean busy;

        Runner(LocalStack stack, ProviderApis apis) {
            this.stack = stack;
            this.env = stack.commandEnvironment().with("REVERB_API_BASE", apis.base() + "/reverb")
                    .with("RECHAT_API_BASE", apis.base() + "/rechat");
            BackendSettings backend = BackendSettings.from(env);
            this.store = new DynamoDbEventStore(new AwsClients(backend).dynamoDb(), backend.eventsTable());
        }

        /**
         * One event per provider before the document's lines: a cold receiver's first put can outlast the
         * SDK's 2 s attempt timeout on a loaded machine, and its retry then answers {@code duplicate}.
         */
        void warmUp() throws InterruptedException {
            for (String provider : List.of("rheo", "reverb", "reusely", "rechat")) {
                String type = Samples.of(provider).orElseThrow().eventTypes().get(0);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                int rc = Main.run(List.of("send", provider, type, "--url", stack.baseUrl().toString()),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err, env);
                assertEquals(0, rc, "warm-up send: " + bytes.toString(StandardCharsets.UTF_8));
            }
            busy = true;
            settle();
        }

        /** @return how many promises of the line's comment were checked */
        int run(Command c) throws InterruptedException {
            if (c.words().get(0).equals("export")) {
                for (String assignment : c.words().subList(1, c.words().size())) {
                    int eq = assignment.indexOf('=');
                    assertTrue(eq > 0, c.where() + ": export NAME=VALUE, got " + assignment);
                    env = env.with(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
                return 0;
            }
            List<String> argv = new ArrayList<>(c.words().subList(1, c.words().size()));
            boolean send = argv.get(0).equals("send");
            boolean tamper = argv.contains("--tamper");
            String id = send && argv.contains("--id") ? argv.get(1) + " " + argv.get(argv.indexOf("--id") + 1) : null;
            if (send && !argv.contains("--url")) {
                argv.add("--url");
                argv.add(stack.baseUrl().toString());
            }
            if (!send) {
                settle();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            int rc = Main.run(argv, out, out, env);
            String output = bytes.toString(StandardCharsets.UTF_8);
            String what = c.where() + ": " + c.line() + "\n" + output;
            busy = busy || !List.of("events", "entities", "published").contains(argv.get(0));

            if (tamper) {
                assertEquals(1, rc, what);
                assertTrue(output.contains(argv.get(1).equals("reverb") ? "HTTP 404" : "HTTP 401"), what);
            } else {
                assertEquals(0, rc, what);
            }
            if (id != null && !tamper && !sentIds.add(id)) {
                assertTrue(output.contains("\"status\":\"duplicate\""), "a second send of one id: " + what);
            } else if (send && !tamper) {
                assertTrue(output.contains("\"status\":\"accepted\""), what);
            }
            int promises = 0;
            Matcher p = PROMISE.matcher(c.comment());
            while (p.find()) {
                assertTrue(output.contains(p.group()), "the comment promises " + p.group() + ": " + what);
                promises++;
            }
            return promises;
        }

        /**
         * Waits until every event stored since the start has left the pipeline: within a second or two,
         * or after the intake lease (30 s) if one waits for the sweeper.
         */
        private void settle() throws InterruptedException {
            if (!busy) {
                return;
            }
            EventQuery sinceStart = new EventQuery(Optional.empty(), Optional.empty(),
                    Optional.of(started.minusSeconds(60)), Optional.empty(), 1000);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            List<String> moving = List.of();
            while (Instant.now().isBefore(deadline)) {
                moving = store.list(sinceStart, Instant.now()).stream().filter(r -> r.status() == EventStatus.RECEIVED
                        || r.status() == EventStatus.QUEUED || r.status() == EventStatus.PROCESSING)
                        .map(r -> r.key().id() + " " + r.status()).toList();
                if (moving.isEmpty()) {
                    busy = false;
                    return;
                }
                Thread.sleep(50);
            }
            fail("events still in the pipeline after 90 s: " + moving);
        }
    }

    /**
     * Reverb's and Rechat's registration APIs as far as {@code ./inlet register / registrations /
     * deregister} use them, keeping what was registered (Reverb ids from 12345, Rechat ids wh-1...).
     */
    private static final class ProviderApis implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, ObjectNode> reverb = new LinkedHashMap<>();
        private final Map<String, ObjectNode> rechat = new LinkedHashMap<>();
        private int next = 12345;

        ProviderApis() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::answer);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private synchronized void answer(HttpExchange exchange) throws IOException {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            ObjectNode answer = Json.mapper().createObjectNode();
            int status = 200;
            if (path.equals("/reverb/webhooks/registrations") && method.equals("POST")) {
                String id = String.valueOf(next++);
                ObjectNode r = answer.put("id", Integer.parseInt(id)).put("topic", "orders/create").put("url", "u");
                r.putObject("_links").putObject("self").put("href", base() + path + "/" + id);
                reverb.put(id, r.deepCopy());
                status = 201;
            } else if (path.equals("/reverb/webhooks/registrations") && method.equals("GET")) {
                answer.putArray("registrations").addAll(reverb.values());
            } else if (path.startsWith("/reverb/webhooks/registrations/") && method.equals("DELETE")) {
                status = reverb.remove(path.substring(path.lastIndexOf('/') + 1)) != null ? 204 : 404;
            } else if (path.matches("/rechat/brands/[^/]+/webhooks") && method.equals("POST")) {
                String id = "wh-" + (rechat.size() + 1);
                answer.putObject("data").put("id", id).put("topic", "Deals").put("key", "ab".repeat(32));
                rechat.put(id, ((ObjectNode) answer.get("data")).deepCopy());
            } else if (path.matches("/rechat/brands/[^/]+/webhooks") && method.equals("GET")) {
                answer.putArray("data").addAll(rechat.values());
            } else if (path.matches("/rechat/brands/[^/]+/webhooks/[^/]+") && method.equals("DELETE")) {
                status = rechat.remove(path.substring(path.lastIndexOf('/') + 1)) != null ? 204 : 404;
            } else {
                status = 404;
            }
            byte[] bytes = status == 204 ? new byte[0] : Json.mapper().writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    // ---- reading the docs ---------------------------------------------------------------------------

    /** One shell command of a {@code ```bash} block: continuation lines joined, the comment apart. */
    record Command(String where, String line, List<String> words, String comment) {}

    static List<Path> documents() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    static List<Command> commands(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<Command> out = new ArrayList<>();
        boolean inBash = false;
        StringBuilder pending = new StringBuilder();
        int startLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("```")) {
                inBash = !inBash && line.equals("```bash");
                continue;
            }
            if (!inBash) {
                continue;
            }
            if (pending.isEmpty()) {
                startLine = i + 1;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String where = ROOT.relativize(doc) + ":" + startLine;
            Command c = parse(where, pending.toString());
            pending.setLength(0);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** Splits a shell line into words (quotes honoured) and its trailing comment; null for a blank line. */
    static Command parse(String where, String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        int i = 0;
        for (; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (ch == '#' && !inWord) {
                break;
            } else {
                word.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            return null;
        }
        String comment = i < line.length() ? line.substring(i + 1).strip() : "";
        String code = (i < line.length() ? line.substring(0, i) : line).strip();
        return new Command(where, code, words, comment);
    }

    /** The options the usage lines of {@code ./inlet <command>} name; null for an unknown command. */
    static Set<String> usageOptions(String command) {
        if (command.equals("help")) {
            return Set.of();
        }
        Set<String> out = null;
        for (String u : Main.usage().split("\n")) {
            String line = u.strip();
            if (line.equals("./inlet " + command) || line.startsWith("./inlet " + command + " ")) {
                out = out == null ? new TreeSet<>() : out;
                Matcher m = Pattern.compile("--([a-z][a-z-]*)").matcher(line);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** GitHub's anchors for a file's headings. */
    static Set<String> headings(Path file) throws IOException {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            }
            if (fenced || !line.startsWith("#")) {
                continue;
            }
            String slug = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            out.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return out;
    }
}

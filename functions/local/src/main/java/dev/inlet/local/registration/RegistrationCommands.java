package dev.inlet.local.registration;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.reverb.ReverbTopics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code ./inlet register|registrations|deregister reverb|rechat}: points the providers that have a
 * registration API at a deployed stack. (Rheo and Reusely are configured in their dashboards.)
 */
public final class RegistrationCommands {
    public static final String USAGE = String.join("\n",
            "  ./inlet register reverb --url <api-base-url> [--topics orders/create,...] [--sandbox] [--reuse-token]",
            "  ./inlet registrations reverb [--sandbox]",
            "  ./inlet deregister reverb <id>|--all [--sandbox]",
            "  ./inlet register rechat --brand <brand-id> --url <api-base-url> [--topics Deals,Showings,Contacts]",
            "  ./inlet registrations rechat --brand <brand-id>",
            "  ./inlet deregister rechat --brand <brand-id> <webhook-id>|--all");
    static final List<String> RECHAT_TOPICS = List.of("Deals", "Showings", "Contacts");

    /** Command-line arguments as the caller parsed them. */
    public record Request(String verb, String provider, List<String> positionals, Function<String, String> option,
                          Function<String, Boolean> flag) {}

    private final Env env;
    private final HttpClient http;
    private final PrintStream out;
    private final SecureRandom random;

    public RegistrationCommands(Env env, PrintStream out) {
        this(env, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), out, new SecureRandom());
    }

    RegistrationCommands(Env env, HttpClient http, PrintStream out, SecureRandom random) {
        this.env = env;
        this.http = http;
        this.out = out;
        this.random = random;
    }

    public static Set<String> valueOptions() {
        return Set.of("url", "topics", "brand");
    }

    public static Set<String> switches() {
        return Set.of("sandbox", "reuse-token", "all");
    }

    /** @return the exit code; @throws ApiException, ConfigException, IllegalArgumentException (usage) */
    public int run(Request r) {
        return switch (r.provider()) {
            case "reverb" -> reverb(r);
            case "rechat" -> rechat(r);
            case "rheo", "reusely" -> {
                out.println(r.provider() + " has no registration API: paste its URL into the " + r.provider()
                        + " dashboard (see docs/providers.md, " + r.provider() + ").");
                yield 2;
            }
            default -> throw new IllegalArgumentException("unknown provider '" + r.provider()
                    + "'; registration works for reverb and rechat");
        };
    }

    private int reverb(Request r) {
        String base = env.optional("REVERB_API_BASE")
                .orElse(r.flag().apply("sandbox") ? ReverbRegistrations.SANDBOX : ReverbRegistrations.PRODUCTION);
        ReverbRegistrations api = new ReverbRegistrations(base, env.required("REVERB_API_TOKEN"), http);
        switch (r.verb()) {
            case "register" -> {
                String url = webhookBase(r.option().apply("url"));
                List<String> topics = topics(r.option().apply("topics"), ReverbTopics.ALL);
                boolean reuse = r.flag().apply("reuse-token");
                String token = reuse ? env.list("REVERB_PATH_TOKENS").stream().findFirst().orElseThrow(() ->
                        new ConfigException("REVERB_PATH_TOKENS", "is empty: --reuse-token needs a token to reuse"))
                        : newToken();
                out.println("Registering with Reverb at " + URI.create(base).getHost() + ":");
                int done = 0;
                try {
                    for (String topic : topics) {
                        String hook = url + "/webhooks/reverb/" + ReverbTopics.slug(topic) + "/" + token;
                        ReverbRegistrations.Registration reg = api.register(topic, hook);
                        out.printf("  %-24s id %-10s %s%n", topic, reg.id(), masked(hook));
                        done++;
                    }
                } finally {
                    if (!reuse && done > 0) {
                        printTokenInstructions(token);
                    }
                }
                return 0;
            }
            case "registrations" -> {
                List<ReverbRegistrations.Registration> all = api.list();
                if (all.isEmpty()) {
                    out.println("No Reverb webhook registrations.");
                }
                all.forEach(reg -> out.printf("  %-10s %-24s %s%n", reg.id(), reg.topic(), masked(reg.url())));
                return 0;
            }
            case "deregister" -> {
                List<ReverbRegistrations.Registration> targets = new ArrayList<>();
                for (ReverbRegistrations.Registration reg : api.list()) {
                    if (r.flag().apply("all") || r.positionals().contains(reg.id())) {
                        targets.add(reg);
                    }
                }
                requireTargets(r, targets.size());
                for (ReverbRegistrations.Registration reg : targets) {
                    api.delete(reg);
                    out.printf("  deleted %-10s %-24s %s%n", reg.id(), reg.topic(), masked(reg.url()));
                }
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown command " + r.verb());
        }
    }

    private int rechat(Request r) {
        String brand = r.option().apply("brand");
        if (brand == null || brand.isBlank()) {
            throw new IllegalArgumentException("rechat needs --brand <brand-id>");
        }
        RechatRegistrations api = new RechatRegistrations(env.optional("RECHAT_API_BASE")
                .orElse(RechatRegistrations.PRODUCTION), env.required("RECHAT_API_TOKEN"), http);
        switch (r.verb()) {
            case "register" -> {
                String url = webhookBase(r.option().apply("url")) + "/webhooks/rechat";
                List<String> keys = new ArrayList<>();
                out.println("Registering Rechat webhooks for brand " + brand + " -> " + url + ":");
                try {
                    for (String topic : topics(r.option().apply("topics"), RECHAT_TOPICS)) {
                        RechatRegistrations.Webhook w = api.create(brand, topic, url);
                        keys.add(w.key());
                        out.printf("  %-9s webhook %-38s key <written to a file, below>%n", topic, w.id());
                    }
                } finally {
                    if (!keys.isEmpty()) {
                        out.println();
                        out.println("Rechat shows each key ONCE and cannot show it again. Append them now to the");
                        out.println("secret whose ARN is the RechatWebhookKeysArn parameter (RECHAT_WEBHOOK_KEYS_ARN),");
                        out.println("keeping the keys already there. No deploy: the receiver reads the secret again");
                        out.println("when a signature matches no key it knows, so the new keys work within seconds.");
                        printAppendCommand("RECHAT_WEBHOOK_KEYS_ARN", "RechatWebhookKeysArn", keys);
                    }
                }
                return 0;
            }
            case "registrations" -> {
                List<RechatRegistrations.Webhook> all = api.list(brand);
                if (all.isEmpty()) {
                    out.println("No Rechat webhooks for brand " + brand + ".");
                }
                all.forEach(w -> out.printf("  %-38s %-9s %s%n", w.id(), w.topic(), w.url()));
                return 0;
            }
            case "deregister" -> {
                List<String> ids = r.flag().apply("all")
                        ? api.list(brand).stream().map(RechatRegistrations.Webhook::id).toList()
                        : r.positionals();
                requireTargets(r, ids.size());
                for (String id : ids) {
                    api.delete(brand, id);
                    out.println("  deleted " + id);
                }
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown command " + r.verb());
        }
    }

    private void printTokenInstructions(String token) {
        out.println();
        out.println("New path token (it is what makes these URLs secret; it is not stored anywhere else).");
        out.println("Append it to the secret whose ARN is the ReverbPathTokensArn parameter (REVERB_PATH_TOKENS_ARN);");
        out.println("no deploy: the receiver reads the secret again when a token matches none it knows:");
        printAppendCommand("REVERB_PATH_TOKENS_ARN", "ReverbPathTokensArn", List.of(token));
        out.println("Rotating? Once the new registrations work, deregister the old ones and remove the old token");
        out.println("from the secret (the receivers drop it within SECRETS_CACHE_SECONDS, 5 minutes).");
    }

    /**
     * Writes {@code newValues} to a file only the user can read (never to the terminal) and prints the
     * commands that append them to a secret list in Secrets Manager. No value is ever on a command line
     * (where shell history and {@code ps} would show it) or printed: the current value goes from one
     * command to the other in a shell variable and through the shell's own {@code printf}; the new ones
     * from the file; the merged list reaches the AWS CLI on its standard input ({@code file:///dev/stdin}).
     * If reading the current value fails, nothing is written (the {@code &&}).
     */
    private void printAppendCommand(String arnVariable, String parameter, List<String> newValues) {
        String id = env.optional(arnVariable).orElse("<" + parameter + ">");
        Path file;
        try {
            Path dir = Files.createTempDirectory("inlet-secret-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            file = Files.createFile(dir.resolve("new-values"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, String.join("\n", newValues) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the new values to a private file", e);
        }
        out.println("  The new value(s) are in " + file + " (readable by you only). To append them:");
        out.println("  OLD=$(aws secretsmanager get-secret-value --secret-id " + id
                + " --query SecretString --output text) && { printf '%s\\n' \"$OLD\"; cat " + file
                + "; } | tr '\\n' ',' | aws secretsmanager put-secret-value --secret-id " + id
                + " --secret-string file:///dev/stdin");
        out.println("  Then delete the file: rm -r " + file.getParent());
    }

    private static void requireTargets(Request r, int count) {
        if (count == 0) {
            throw new IllegalArgumentException(r.flag().apply("all") ? "nothing registered: nothing to delete"
                    : "name the registrations to delete, or --all");
        }
    }

    private static String webhookBase(String url) {
        if (url == null) {
            throw new IllegalArgumentException("--url <api-base-url> is required (the HttpApi URL from the stack outputs)");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url is not a URL");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be an absolute https URL, e.g. "
                    + "https://abc123.execute-api.eu-west-1.amazonaws.com");
        }
        String base = url.replaceAll("/+$", "");
        return base.endsWith("/webhooks/rechat") ? base.substring(0, base.length() - "/webhooks/rechat".length()) : base;
    }

    private static List<String> topics(String option, List<String> known) {
        if (option == null) {
            return known;
        }
        List<String> chosen = Arrays.stream(option.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        for (String t : chosen) {
            if (!known.contains(t)) {
                throw new IllegalArgumentException("unknown topic '" + t + "'; known: " + String.join(", ", known));
            }
        }
        return chosen;
    }

    /** A fresh, unguessable path token: 32 random bytes, URL-safe base64 (43 characters). */
    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Reverb URLs carry the path token: never print it back from the API. */
    static String masked(String url) {
        return url.replaceAll("(/webhooks/reverb/[^/]+/)[^/?#]+", "$1<token>");
    }
}

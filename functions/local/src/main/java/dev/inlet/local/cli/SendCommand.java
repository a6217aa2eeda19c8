package dev.inlet.local.cli;

import dev.inlet.core.config.Env;
import dev.inlet.local.emulator.LocalEnv;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code ./inlet send <provider> <eventType>}: posts a correctly signed sample and prints the answer. */
public final class SendCommand {
    public static final String USAGE = "./inlet send <provider> <eventType> [--url http://127.0.0.1:3000] [--id ID] "
            + "[--tamper] [--print]";

    private SendCommand() {
    }

    public static int run(List<String> argv, PrintStream out, Clock clock, Env environment) throws IOException, InterruptedException {
        Args args = new Args(argv, Set.of("url", "id"), Set.of("tamper", "print"));
        if (args.positionals().size() != 2) {
            throw new Args.UsageException("send needs a provider and an event type");
        }
        String provider = args.positionals().get(0);
        String eventType = args.positionals().get(1);
        ProviderSamples samples = Samples.of(provider).orElseThrow(() -> new Args.UsageException(
                "unknown provider '" + provider + "'; known: "
                        + String.join(", ", Samples.all().stream().map(ProviderSamples::provider).toList())));
        if (!samples.eventTypes().contains(eventType)) {
            throw new Args.UsageException("unknown " + provider + " event type '" + eventType + "'; known: "
                    + String.join(", ", samples.eventTypes()));
        }
        Env env = LocalEnv.forCommands(environment.asMap());
        String id = args.option("id").orElse(UUID.randomUUID().toString().substring(0, 12));
        SampleRequest built = samples.build(eventType, env, clock.instant(), id);
        SampleRequest request = args.has("tamper") ? samples.tampered(built) : built;
        byte[] body = request.body();
        if (args.has("print")) {
            out.println(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        URI url = URI.create(args.option("url").orElse("http://127.0.0.1:3000") + request.path());
        HttpResponse<String> response = post(url, request);
        out.println("POST " + maskedPath(request) + " (" + provider + " "
                + eventType + ", id " + id + (args.has("tamper") ? ", tampered" : "") + ") -> HTTP "
                + response.statusCode() + " " + response.body());
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }

    /** Posts a sample as a provider would (its headers, its bytes) and returns the answer. */
    public static HttpResponse<String> post(URI url, SampleRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder http = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("host")) {
                http.header(name, value);
            }
        });
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(http.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("nothing answers at " + url.getScheme() + "://" + url.getAuthority()
                    + ": is ./inlet local running?");
        }
    }

    /** The request path with any path token (Reverb's) replaced by {@code <token>}: safe to print or show. */
    public static String maskedPath(SampleRequest request) {
        String path = request.path();
        String token = request.pathParameters().get("token");
        if (token != null && !token.isEmpty()) {
            path = path.replace(token, "<token>");
        }
        return path.replaceAll("/[^/]{16,}$", "/<token>");
    }
}

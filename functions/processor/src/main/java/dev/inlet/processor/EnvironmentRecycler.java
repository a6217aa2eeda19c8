package dev.inlet.processor;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.observe.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Ends an execution environment that still runs an abandoned handler, so that Lambda starts a fresh one:
 * a stuck thread would otherwise be frozen with the environment and resumed in a later invocation, and
 * such threads would pile up. The answer must not be lost, and the runtime client posts it only after
 * the handler returns, when the environment may already be frozen. So the function posts the answer
 * itself, through the Lambda Runtime API ({@code AWS_LAMBDA_RUNTIME_API}, the same call the runtime
 * client makes), and ends the process only once the Runtime API has accepted it (202). If that post
 * fails, the function returns the answer as usual and the next invocation tries again.
 *
 * <p>Outside Lambda (no {@code AWS_LAMBDA_RUNTIME_API}: {@code ./inlet local}, tests) the process is
 * not ours to end: the stuck threads are logged and kept, each still holding its record's claim.
 */
final class EnvironmentRecycler {
    private static final String API_VERSION = "/2018-06-01/runtime/invocation/";

    private final Optional<String> runtimeApi;
    private final Log log;
    private final Runnable exit;

    EnvironmentRecycler(Optional<String> runtimeApi, Log log, Runnable exit) {
        this.runtimeApi = runtimeApi;
        this.log = log;
        this.exit = exit;
    }

    static EnvironmentRecycler from(Env env, Log log) {
        return new EnvironmentRecycler(env.optional("AWS_LAMBDA_RUNTIME_API").filter(s -> !s.isBlank()), log, () -> {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        });
    }

    /**
     * Called with the batch's answer while {@code stuck} abandoned handlers still run: in Lambda, posts the
     * answer and ends the process (does not return); otherwise logs and returns.
     */
    void recycle(String requestId, SQSBatchResponse response, int stuck) {
        if (runtimeApi.isEmpty()) {
            log.warn("abandoned_handlers_running", "count", stuck);
            return;
        }
        int status;
        try {
            status = post(requestId, json(response));
        } catch (IOException | RuntimeException e) {
            log.warn("recycle_post_failed", "count", stuck, "error", e.getClass().getSimpleName());
            return;
        }
        if (status != HttpURLConnection.HTTP_ACCEPTED) {
            log.warn("recycle_post_refused", "count", stuck, "status", status);
            return;
        }
        log.warn("environment_recycled", "abandonedHandlers", stuck);
        exit.run();
    }

    private int post(String requestId, byte[] body) throws IOException {
        URI uri = URI.create("http://" + runtimeApi.get() + API_VERSION + requestId + "/response");
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        try {
            c.setConnectTimeout(1_000);
            c.setReadTimeout(2_000);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
            return status;
        } finally {
            c.disconnect();
        }
    }

    /** The answer as the runtime client serializes an {@link SQSBatchResponse}. */
    static byte[] json(SQSBatchResponse response) {
        ObjectNode root = Json.object();
        ArrayNode failures = root.putArray("batchItemFailures");
        if (response.getBatchItemFailures() != null) {
            response.getBatchItemFailures().forEach(f -> failures.addObject().put("itemIdentifier",
                    f.getItemIdentifier()));
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}

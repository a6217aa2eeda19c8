package dev.inlet.local.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.TimestampException;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.json.Json;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.emulator.Repo;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code ./inlet write-events}: writes {@code events/<provider>/<eventType>.json} (API Gateway HTTP API
 * events, signed with the test secrets of {@code events/env.json}) and {@code events/processor/} (an SQS
 * batch pointing at those events). The files are committed; regenerate them when a sample changes.
 */
public final class WriteEventsCommand {
    public static final String USAGE = "./inlet write-events";
    /** Fixed, so the files are reproducible; env.json widens the timestamp window for them. */
    static final Instant SAMPLE_TIME = Instant.parse("2026-05-27T10:00:00Z");

    private WriteEventsCommand() {
    }

    /** The events the processor batch points at: one or two per provider. */
    private static final List<String> BATCHED = List.of("rheo item.sold", "rheo listing.created",
            "reverb orders/create", "reusely offer.created", "rechat Deals.Created");

    public static int run(List<String> argv, PrintStream out) throws IOException {
        new Args(argv, Set.of(), Set.of());
        Path events = Repo.root().resolve("events");
        Env env = Env.of(Repo.envFile().forFunction(""));
        ObjectNode batch = Json.mapper().createObjectNode();
        ArrayNode records = batch.putArray("Records");
        int n = 0;
        for (ProviderSamples samples : Samples.all()) {
            for (String type : samples.eventTypes()) {
                String id = "sample_" + type.replaceAll("[^A-Za-z0-9]+", "_");
                SampleRequest request = samples.build(type, env, SAMPLE_TIME, id);
                ObjectNode event = HttpApiEvents.json("POST", request.path(), request.route(),
                        request.pathParameters(), request.headers(), request.body(),
                        "sample-" + samples.provider() + "-" + (++n), SAMPLE_TIME);
                write(events.resolve(samples.provider()).resolve(type.replace('/', '-') + ".json"), event, out);
                if (BATCHED.contains(samples.provider() + " " + type)) {
                    records.add(sqsRecord(records.size() + 1, new QueueMessage(new EventKey(samples.provider(),
                            dedupKey(samples, env, request)), type).toJson()));
                }
            }
        }
        write(events.resolve("processor").resolve("sqs-batch.json"), batch, out);
        ObjectNode schedule = Json.mapper().createObjectNode();
        schedule.put("version", "0");
        schedule.put("id", "00000000-0000-4000-8000-00000000beef");
        schedule.put("detail-type", "Scheduled Event");
        schedule.put("source", "aws.events");
        schedule.put("account", "000000000000");
        schedule.put("time", SAMPLE_TIME.toString());
        schedule.put("region", "us-east-1");
        schedule.putArray("resources").add("arn:aws:events:us-east-1:000000000000:rule/inlet-sweeper");
        schedule.putObject("detail");
        write(events.resolve("sweeper").resolve("scheduled-event.json"), schedule, out);
        schedule.putArray("resources").add("arn:aws:events:us-east-1:000000000000:rule/inlet-reconciler");
        write(events.resolve("reconciler").resolve("scheduled-event.json"), schedule, out);
        return 0;
    }

    private static String dedupKey(ProviderSamples samples, Env env, SampleRequest request) {
        try {
            return samples.provider(env).read(new RawRequest(request.body(), Headers.of(request.headers()),
                    request.pathParameters(), "write-events")).dedupKey();
        } catch (UnreadableBodyException | TimestampException e) {
            throw new IllegalStateException("a " + samples.provider() + " sample is not readable by its own receiver: "
                    + e.getMessage(), e);
        }
    }

    private static ObjectNode sqsRecord(int n, String body) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("messageId", String.format("00000000-0000-4000-8000-%012d", n));
        r.put("receiptHandle", "sample-receipt-handle-" + n);
        r.put("body", body);
        ObjectNode attributes = r.putObject("attributes");
        attributes.put("ApproximateReceiveCount", "1");
        attributes.put("SentTimestamp", Long.toString(SAMPLE_TIME.toEpochMilli()));
        attributes.put("SenderId", "AIDAEXAMPLESENDER");
        attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(SAMPLE_TIME.toEpochMilli() + 5));
        r.putObject("messageAttributes");
        r.put("md5OfBody", "");
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:EventsQueue");
        r.put("awsRegion", "us-east-1");
        return r;
    }

    private static void write(Path file, ObjectNode json, PrintStream out) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json) + "\n");
        out.println("wrote " + Repo.root().relativize(file));
    }
}

package dev.inlet.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The measured process, on the receiver's shaded jar: {@code inlet <event.json>} builds the handler as
 * the Lambda runtime does (no-arg constructor, environment) and handles one signed webhook (verified,
 * stored, queued); {@code floor <id>} only builds a SecretsManagerClient, a DynamoDbClient and an
 * SqsClient (url-connection, explicit region, credentials, endpoint) and makes one GetSecretValue (the
 * receiver's secret list, by ARN, as deployed), one conditional put and one send; {@code peer
 * <event.json>} runs the Powertools peer as the runtime runs a typed handler. Prints DONE.
 */
public final class ColdStartChild {
    private ColdStartChild() {
    }

    /** Where the time went, for scripts/bench.sh coldstart with -Dbench.phases=true. */
    static void phases(long t0, long t1, long t2) {
        if (System.getenv("BENCH_PHASES") == null) {
            return;     // the management classes would cost the measured time
        }
        long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        System.err.printf("PHASES jvm-to-main %d ms, init %d ms, request %d ms%n",
                uptime - (System.nanoTime() - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        if (args[0].equals("inlet")) {
            // A stream handler, invoked as the Lambda runtime does: the event's bytes in, the response out.
            long t0 = System.nanoTime();
            var handler = (RequestStreamHandler) Class.forName("dev.inlet.rheo.RheoReceiver").getConstructor().newInstance();
            long t1 = System.nanoTime();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                handler.handleRequest(in, response, null);
            }
            long t2 = System.nanoTime();
            String answer = response.toString(StandardCharsets.UTF_8);
            if (!answer.contains("\"statusCode\":200")) {
                throw new IllegalStateException("not accepted: " + answer);
            }
            phases(t0, t1, t2);
        } else if (args[0].equals("peer") || args[0].equals("micronaut")) {
            // The peers are typed handlers: the runtime's serializer builds their event object first.
            long t0 = System.nanoTime();
            String name = args[0].equals("peer") ? "dev.inlet.bench.peer.PeerRheoReceiver"
                    : "dev.inlet.bench.micronaut.MicronautRheoReceiver";
            @SuppressWarnings("unchecked")
            var handler = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>)
                    Class.forName(name).getConstructor().newInstance();
            long t1 = System.nanoTime();
            APIGatewayV2HTTPEvent event;
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                        ColdStartChild.class.getClassLoader()).fromJson(in);
            }
            APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
            long t2 = System.nanoTime();
            if (r.getStatusCode() != 200) {
                throw new IllegalStateException("peer did not accept: " + r.getStatusCode() + " " + r.getBody());
            }
            phases(t0, t1, t2);
        } else {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
            var http = UrlConnectionHttpClient.create();
            SecretsManagerClient secrets = SecretsManagerClient.builder().region(Region.of(env.get("AWS_REGION")))
                    .credentialsProvider(credentials).httpClient(http)
                    .endpointOverride(URI.create(env.get("SECRETS_MANAGER_ENDPOINT"))).build();
            String secret = secrets.getSecretValue(r -> r.secretId(env.get("RHEO_WEBHOOK_SECRETS_ARN"))).secretString();
            if (secret == null || secret.isEmpty()) {
                throw new IllegalStateException("the floor read no secret");
            }
            DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.of(env.get("AWS_REGION")))
                    .credentialsProvider(credentials).httpClient(http)
                    .endpointOverride(URI.create(env.get("DYNAMODB_ENDPOINT"))).build();
            SqsClient sqs = SqsClient.builder().region(Region.of(env.get("AWS_REGION")))
                    .credentialsProvider(credentials).httpClient(http)
                    .endpointOverride(URI.create(env.get("SQS_ENDPOINT"))).build();
            dynamo.putItem(r -> r.tableName(env.get("EVENTS_TABLE"))
                    .item(Map.of("pk", AttributeValue.fromS("floor#" + args[1]), "sk", AttributeValue.fromS("event")))
                    .conditionExpression("attribute_not_exists(pk)"));
            sqs.sendMessage(r -> r.queueUrl(env.get("EVENTS_QUEUE_URL")).messageBody("{\"floor\":\"" + args[1] + "\"}"));
        }
        System.out.println("DONE");
        System.out.flush();
        // After DONE, so it costs the measured time nothing: CPU used by all threads (Linux, 10 ms ticks).
        String[] stat = Files.readString(Path.of("/proc/self/stat")).replaceFirst("^.*\\) ", "").split(" ");
        System.out.println("CPU " + (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * 10);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}

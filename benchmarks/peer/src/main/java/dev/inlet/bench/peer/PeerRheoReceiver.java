package dev.inlet.bench.peer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.lambda.powertools.idempotency.Idempotency;
import software.amazon.lambda.powertools.idempotency.IdempotencyConfig;
import software.amazon.lambda.powertools.idempotency.IdempotencyKey;
import software.amazon.lambda.powertools.idempotency.Idempotent;
import software.amazon.lambda.powertools.idempotency.persistence.DynamoDBPersistenceStore;

/**
 * The benchmark's peer: the same Rheo work as Inlet's receiver (HMAC-SHA256 of the raw body against
 * {@code X-Rheo-Signature}, the timestamp window, a conditional write of the event id, a send to SQS),
 * written the usual way: a typed handler, an ObjectMapper, Powertools' {@code @Idempotent} (woven at
 * compile time) over DynamoDB, and SDK clients with default settings. Endpoints are overridden only so
 * it can run against the local backends.
 */
public class PeerRheoReceiver implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl = System.getenv("EVENTS_QUEUE_URL");
    private final byte[] secret = System.getenv("RHEO_WEBHOOK_SECRETS").split(",")[0].getBytes(StandardCharsets.UTF_8);

    public PeerRheoReceiver() {
        DynamoDbClientBuilder dynamo = DynamoDbClient.builder();
        SqsClientBuilder sqsBuilder = SqsClient.builder();
        if (System.getenv("DYNAMODB_ENDPOINT") != null) {
            dynamo.endpointOverride(URI.create(System.getenv("DYNAMODB_ENDPOINT")));
        }
        if (System.getenv("SQS_ENDPOINT") != null) {
            sqsBuilder.endpointOverride(URI.create(System.getenv("SQS_ENDPOINT")));
        }
        sqs = sqsBuilder.build();
        Idempotency.config()
                .withPersistenceStore(DynamoDBPersistenceStore.builder()
                        .withTableName(System.getenv("IDEMPOTENCY_TABLE"))
                        .withDynamoDbClient(dynamo.build())
                        .build())
                .withConfig(IdempotencyConfig.builder().withExpiration(Duration.ofDays(7)).build())
                .configure();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            byte[] body = event.getBody() == null ? new byte[0] : event.getBody().getBytes(StandardCharsets.UTF_8);
            String header = event.getHeaders() == null ? null : event.getHeaders().get("x-rheo-signature");
            if (header == null || !header.startsWith("sha256=") || !MessageDigest.isEqual(sign(body),
                    header.substring("sha256=".length()).getBytes(StandardCharsets.US_ASCII))) {
                return respond(401, "{\"error\":\"bad_signature\"}");
            }
            JsonNode json = MAPPER.readTree(body);
            Instant timestamp = Instant.parse(json.path("timestamp").asText());
            if (Duration.between(timestamp, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
                return respond(400, "{\"error\":\"timestamp_out_of_window\"}");
            }
            enqueue(json.path("eventId").asText(), event.getBody());
            return respond(200, "{\"status\":\"accepted\"}");
        } catch (Exception e) {
            return respond(500, "{\"error\":\"internal\"}");
        }
    }

    /** Runs once per event id; a repeat gets the stored result instead. */
    @Idempotent
    public String enqueue(@IdempotencyKey String eventId, String body) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
        return "queued";
    }

    private byte[] sign(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
    }

    private static APIGatewayV2HTTPResponse respond(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json")).withBody(body).build();
    }
}

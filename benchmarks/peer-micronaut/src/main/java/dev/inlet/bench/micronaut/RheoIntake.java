package dev.inlet.bench.micronaut;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Verify the HMAC of the raw body, check the timestamp window, put the event id once, send. */
@Singleton
public class RheoIntake {
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final JsonMapper json;
    private final byte[] secret;
    private final String table;
    private final String queueUrl;

    public RheoIntake(DynamoDbClient dynamo, SqsClient sqs, JsonMapper json,
                      @Value("${rheo.webhook.secrets}") String secrets,
                      @Value("${idempotency.table}") String table,
                      @Value("${events.queue.url}") String queueUrl) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.json = json;
        this.secret = secrets.split(",")[0].getBytes(StandardCharsets.UTF_8);
        this.table = table;
        this.queueUrl = queueUrl;
    }

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        try {
            byte[] body = event.getBody() == null ? new byte[0] : event.getBody().getBytes(StandardCharsets.UTF_8);
            String header = event.getHeaders() == null ? null : event.getHeaders().get("x-rheo-signature");
            if (header == null || !header.startsWith("sha256=") || !MessageDigest.isEqual(sign(body),
                    header.substring("sha256=".length()).getBytes(StandardCharsets.US_ASCII))) {
                return respond(401, "{\"error\":\"bad_signature\"}");
            }
            JsonNode tree = json.readValue(body, JsonNode.class);
            Instant timestamp = Instant.parse(tree.get("timestamp").getStringValue());
            if (Duration.between(timestamp, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
                return respond(400, "{\"error\":\"timestamp_out_of_window\"}");
            }
            String eventId = tree.get("eventId").getStringValue();
            try {
                dynamo.putItem(r -> r.tableName(table)
                        .item(Map.of("id", AttributeValue.fromS("rheo#" + eventId)))
                        .conditionExpression("attribute_not_exists(id)"));
            } catch (ConditionalCheckFailedException duplicate) {
                return respond(200, "{\"status\":\"duplicate\"}");
            }
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event.getBody()));
            return respond(200, "{\"status\":\"accepted\"}");
        } catch (Exception e) {
            return respond(500, "{\"error\":\"internal\"}");
        }
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

package dev.inlet.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The floor of warm work per webhook: the same two SDK calls a receiver makes (one conditional PutItem,
 * one SendMessage) and nothing else, no verification, no parsing, no logging. Clients configured as
 * Inlet's (functions/aws AwsClients: url-connection with 2 s connect and 4 s socket timeouts, 2 s per
 * attempt, 5 s per call, static credentials, explicit region and endpoint). The item carries the request
 * body padded to {@code FLOOR_ITEM_BYTES}, the size of Inlet's stored record, which the benchmark measures.
 */
public final class FloorReceiver implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final String table;
    private final String queueUrl;
    private final int itemBytes;

    public FloorReceiver() {
        Map<String, String> env = System.getenv();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
        SdkHttpClient http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(4)).build();
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofSeconds(2)).apiCallTimeout(Duration.ofSeconds(5)).build();
        Region region = Region.of(env.get("AWS_REGION"));
        dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(overrides).endpointOverride(URI.create(env.get("DYNAMODB_ENDPOINT"))).build();
        sqs = SqsClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(overrides).endpointOverride(URI.create(env.get("SQS_ENDPOINT"))).build();
        table = env.get("EVENTS_TABLE");
        queueUrl = env.get("EVENTS_QUEUE_URL");
        itemBytes = Integer.parseInt(env.getOrDefault("FLOOR_ITEM_BYTES", "0"));
    }

    /** DynamoDB's item size: attribute names plus string values in UTF-8 (numbers counted as their digits). */
    private static int size(Map<String, AttributeValue> item) {
        int bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            String v = e.getValue().s() != null ? e.getValue().s() : e.getValue().n();
            bytes += e.getKey().length() + v.getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String id = event.getRequestContext().getRequestId();
        long now = event.getRequestContext().getTimeEpoch() / 1000;
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("floor#" + id));
        item.put("sk", AttributeValue.fromS("event"));
        item.put("body", AttributeValue.fromS(event.getBody()));
        // The keys of the two indexes Inlet's put also writes (outbox, listing), so the table does the same work.
        item.put("outboxShard", AttributeValue.fromS("floor#0"));
        item.put("leaseUntil", AttributeValue.fromN(Long.toString(now + 300)));
        item.put("providerDay", AttributeValue.fromS("floor#" + now / 86_400));
        item.put("receivedAt", AttributeValue.fromN(Long.toString(now)));
        item.put("pad", AttributeValue.fromS("x".repeat(Math.max(0, itemBytes - size(item) - "pad".length()))));
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"provider\":\"floor\",\"dedupKey\":\"" + id + "\"}"));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{\"status\":\"accepted\"}").build();
    }
}

package dev.inlet.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The measured process, on the receiver's shaded jar: {@code inlet <event.json>} builds the handler as
 * the Lambda runtime does (no-arg constructor, environment) and handles one signed webhook (verified,
 * stored, queued); {@code floor <id>} only builds a DynamoDbClient and an SqsClient (url-connection,
 * explicit region, credentials, endpoint) and makes one conditional put and one send. Prints DONE.
 */
public final class ColdStartChild {
    private ColdStartChild() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        if (args[0].equals("inlet")) {
            var handler = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>)
                    Class.forName("dev.inlet.rheo.RheoReceiver").getConstructor().newInstance();
            APIGatewayV2HTTPEvent event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                    ColdStartChild.class.getClassLoader()).fromJson(Files.newInputStream(Path.of(args[1])));
            APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
            if (r.getStatusCode() != 200) {
                throw new IllegalStateException("not accepted: " + r.getBody());
            }
        } else {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
            var http = UrlConnectionHttpClient.create();
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
        Runtime.getRuntime().halt(0);
    }
}

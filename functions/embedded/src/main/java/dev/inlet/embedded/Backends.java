package dev.inlet.embedded;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB and SQS endpoints that tests and the local stack run against: the embedded servers
 * (default), or LocalStack in Docker ({@code ./mvnw verify -Plocalstack}).
 */
public interface Backends extends AutoCloseable {
    URI dynamoEndpoint();

    URI sqsEndpoint();

    /** Admin clients (create tables and queues, inspect). */
    DynamoDbClient dynamo();

    SqsClient sqs();

    /** The region these backends put in ARNs and URLs. */
    String region();

    String accessKey();

    String secretKey();

    /** The environment that points a function at these backends (the same names Lambda uses). */
    default Map<String, String> awsEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("AWS_REGION", region());
        env.put("AWS_ACCESS_KEY_ID", accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", secretKey());
        env.put("DYNAMODB_ENDPOINT", dynamoEndpoint().toString());
        env.put("SQS_ENDPOINT", sqsEndpoint().toString());
        return env;
    }

    @Override
    void close();

    /**
     * The backends for this test JVM, started on first use and stopped at exit: the embedded servers,
     * or LocalStack when the {@code inlet.backends} system property says {@code localstack} (the
     * {@code -Plocalstack} profile); without Docker that fails.
     */
    static Backends shared() {
        return "localstack".equals(System.getProperty("inlet.backends")) ? LocalStackBackends.shared()
                : EmbeddedBackends.shared();
    }
}

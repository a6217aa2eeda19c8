package dev.inlet.embedded;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * LocalStack (DynamoDB and SQS) in Docker through Testcontainers, for the same integration tests as the
 * embedded backends. Only on the test classpath ({@code -Plocalstack}); without a Docker engine every test
 * that needs backends fails with a message saying so (a LocalStack run that tested nothing is not green).
 */
final class LocalStackBackends implements Backends {
    static final String IMAGE = "localstack/localstack:4.4";
    private static LocalStackBackends shared;

    private final LocalStackContainer container;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;

    private LocalStackBackends(LocalStackContainer container) {
        this.container = container;
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                container.getAccessKey(), container.getSecretKey()));
        var http = UrlConnectionHttpClient.create();
        this.dynamo = DynamoDbClient.builder().region(Region.of(container.getRegion())).credentialsProvider(credentials)
                .httpClient(http).endpointOverride(container.getEndpoint()).build();
        this.sqs = SqsClient.builder().region(Region.of(container.getRegion())).credentialsProvider(credentials)
                .httpClient(http).endpointOverride(container.getEndpoint()).build();
    }

    static synchronized Backends shared() {
        if (shared == null) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException("-Plocalstack needs a Docker engine, and Testcontainers found "
                        + "none here: start Docker, or run without -Plocalstack for the embedded backends");
            }
            LocalStackContainer c = new LocalStackContainer(DockerImageName.parse(IMAGE))
                    .withServices("dynamodb", "sqs");
            c.start();
            shared = new LocalStackBackends(c);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "localstack-stop"));
        }
        return shared;
    }

    @Override
    public URI dynamoEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public URI sqsEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    @Override
    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public String region() {
        return container.getRegion();
    }

    @Override
    public String accessKey() {
        return container.getAccessKey();
    }

    @Override
    public String secretKey() {
        return container.getSecretKey();
    }

    @Override
    public void close() {
        dynamo.close();
        sqs.close();
        container.stop();
    }
}

package dev.inlet.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local and ElasticMQ, in this process, on loopback: the real wire protocols, no Docker, no AWS
 * account. Used by {@code ./inlet local} and by the tests.
 */
public final class EmbeddedBackends implements Backends {
    public static final String REGION = "us-east-1";
    /** Obviously fake credentials (DynamoDB Local wants letters and digits only). */
    public static final String ACCESS_KEY = "localfakekey";
    public static final String SECRET_KEY = "localfakesecret";

    private final DynamoDBProxyServer dynamoServer;
    private final SQSRestServer sqsServer;
    private final URI dynamoEndpoint;
    private final URI sqsEndpoint;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;

    private EmbeddedBackends(DynamoDBProxyServer dynamoServer, int dynamoPort, SQSRestServer sqsServer, int sqsPort) {
        this.dynamoServer = dynamoServer;
        this.sqsServer = sqsServer;
        this.dynamoEndpoint = URI.create("http://127.0.0.1:" + dynamoPort);
        this.sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        var http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build();
        this.dynamo = DynamoDbClient.builder().region(Region.of(REGION)).credentialsProvider(credentials)
                .httpClient(http).endpointOverride(dynamoEndpoint).build();
        this.sqs = SqsClient.builder().region(Region.of(REGION)).credentialsProvider(credentials)
                .httpClient(http).endpointOverride(sqsEndpoint).build();
    }

    private static EmbeddedBackends shared;

    /**
     * One pair of servers for a whole test JVM, started on first use on free ports and stopped at exit.
     * Tests isolate themselves with their own table and queue names ({@link LocalResources} prefix).
     */
    public static synchronized EmbeddedBackends shared() {
        if (shared == null) {
            shared = start(0, 0);
            EmbeddedBackends s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "embedded-backends-stop"));
        }
        return shared;
    }

    /** Starts both servers, side by side (each takes a second or two); a port of 0 picks a free one. */
    public static EmbeddedBackends start(int dynamoPort, int sqsPort) {
        int dPort = dynamoPort == 0 ? freePort() : dynamoPort;
        CompletableFuture<SQSRestServer> sqsStart = CompletableFuture.supplyAsync(() -> startSqs(sqsPort));
        DynamoDBProxyServer dynamoServer;
        try {
            dynamoServer = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(dPort), "-disableTelemetry"});
            dynamoServer.start();
        } catch (Exception e) {
            sqsStart.thenAccept(SQSRestServer::stopAndWait);
            throw new IllegalStateException("DynamoDB Local could not start on port " + dPort + ": " + e.getMessage(),
                    e);
        }
        try {
            SQSRestServer sqsServer = sqsStart.join();
            return new EmbeddedBackends(dynamoServer, dPort, sqsServer,
                    sqsServer.waitUntilStarted().localAddress().getPort());
        } catch (CompletionException e) {
            stopQuietly(dynamoServer);
            throw new IllegalStateException("ElasticMQ could not start on port " + sqsPort + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static SQSRestServer startSqs(int port) {
        var builder = SQSRestServerBuilder.withInterface("127.0.0.1").withAWSRegion(REGION);
        SQSRestServer server = (port == 0 ? builder.withDynamicPort() : builder.withPort(port)).start();
        server.waitUntilStarted();
        return server;
    }

    @Override
    public String region() {
        return REGION;
    }

    @Override
    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    @Override
    public URI sqsEndpoint() {
        return sqsEndpoint;
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
    public String accessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String secretKey() {
        return SECRET_KEY;
    }

    @Override
    public void close() {
        dynamo.close();
        sqs.close();
        sqsServer.stopAndWait();
        stopQuietly(dynamoServer);
    }

    private static void stopQuietly(DynamoDBProxyServer server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on loopback", e);
        }
    }
}

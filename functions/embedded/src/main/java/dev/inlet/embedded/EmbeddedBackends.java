package dev.inlet.embedded;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;
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

    /**
     * Starts both servers, side by side (each takes a second or two). A port of 0 means any free one:
     * ElasticMQ binds port 0 itself and reports the port; DynamoDB Local refuses port 0, so it is given a
     * port that was free a moment ago and, if another process took it before DynamoDB Local bound it, the
     * next one (five attempts). A port asked for by number is tried once.
     */
    public static EmbeddedBackends start(int dynamoPort, int sqsPort) {
        return dynamoPort == 0
                ? start(EmbeddedBackends::portFreeNow, DYNAMO_PORT_ATTEMPTS, sqsPort)
                : start(() -> dynamoPort, 1, sqsPort);
    }

    /** Attempts at binding DynamoDB Local to a port that was free when chosen. */
    static final int DYNAMO_PORT_ATTEMPTS = 5;

    /** As {@link #start(int, int)}, with DynamoDB Local's candidate ports from {@code dynamoPorts}. */
    static EmbeddedBackends start(IntSupplier dynamoPorts, int attempts, int sqsPort) {
        CompletableFuture<SQSRestServer> sqsStart = CompletableFuture.supplyAsync(() -> startSqs(sqsPort));
        DynamoBound dynamo;
        try {
            dynamo = startDynamo(dynamoPorts, attempts);
        } catch (RuntimeException e) {
            sqsStart.thenAccept(SQSRestServer::stopAndWait);
            throw e;
        }
        try {
            SQSRestServer sqsServer = sqsStart.join();
            return new EmbeddedBackends(dynamo.server(), dynamo.port(), sqsServer,
                    sqsServer.waitUntilStarted().localAddress().getPort());
        } catch (CompletionException e) {
            stopQuietly(dynamo.server());
            throw new IllegalStateException("ElasticMQ could not start on port " + sqsPort + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private record DynamoBound(DynamoDBProxyServer server, int port) {
    }

    /**
     * DynamoDB Local on the first candidate port it can bind. Only "address already in use" moves on to the
     * next candidate; any other failure ends the start at once.
     */
    private static DynamoBound startDynamo(IntSupplier candidates, int attempts) {
        List<Integer> taken = new ArrayList<>();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int port = candidates.getAsInt();
            DynamoDBProxyServer server;
            try {
                server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local could not be set up for port " + port + ": "
                        + e.getMessage(), e);
            }
            try {
                server.start();
                return new DynamoBound(server, port);
            } catch (Exception e) {
                stopQuietly(server);
                if (!addressInUse(e)) {
                    throw new IllegalStateException("DynamoDB Local could not start on port " + port + ": "
                            + e.getMessage(), e);
                }
                taken.add(port);
            }
        }
        throw new IllegalStateException(attempts == 1
                ? "DynamoDB Local could not start: port " + taken.get(0) + " is already in use"
                : "DynamoDB Local found no free port in " + attempts + " attempts: ports " + taken
                        + " were each taken by another process before it could bind them");
    }

    private static boolean addressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
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

    /**
     * A port no socket is bound to right now, on every interface (DynamoDB Local binds the wildcard
     * address). Nothing holds it afterwards: whoever binds it later may find it taken, and retries.
     */
    static int portFreeNow() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on this machine", e);
        }
    }
}

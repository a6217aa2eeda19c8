package dev.inlet.aws.testing;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import java.time.Duration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * SDK clients for tests. DynamoDB Local and ElasticMQ run inside the test JVM, on a machine where other
 * builds may take every core: a call that takes seconds there is slowness of the test machine, not a
 * fault under test, so these clients get generous limits. The production limits are pinned by
 * {@code AwsClientsTest}; faults are injected on purpose ({@code FaultInjector}), never left to timeouts.
 */
public final class TestClients {
    public static final AwsClients.Timeouts TIMEOUTS = new AwsClients.Timeouts(Duration.ofSeconds(60),
            Duration.ofSeconds(180), Duration.ofSeconds(10), Duration.ofSeconds(60));

    private TestClients() {
    }

    public static AwsClients of(BackendSettings settings, ExecutionInterceptor... interceptors) {
        return new AwsClients(settings, TIMEOUTS, interceptors);
    }
}

package dev.inlet.aws;

import dev.inlet.core.config.Env;
import java.net.URI;
import java.util.Optional;

/**
 * Where the AWS backends are. In Lambda the region comes from the runtime and the endpoints are AWS's
 * own; locally {@code DYNAMODB_ENDPOINT} and {@code SQS_ENDPOINT} point at DynamoDB Local and
 * ElasticMQ, {@code SECRETS_MANAGER_ENDPOINT} at a local Secrets Manager API and
 * {@code EVENTBRIDGE_ENDPOINT} at a local EventBridge API (moto's server in the tests). They are declared (empty) in template.yaml so that a {@code sam local invoke --env-vars}
 * file can set them; they are our own names, not the SDK's {@code AWS_ENDPOINT_URL_*}, so
 * the override is applied explicitly in {@link AwsClients} and nowhere else.
 *
 * @param eventsTable {@code EVENTS_TABLE}
 * @param queueUrl {@code EVENTS_QUEUE_URL}; empty for functions that never send
 * @param eventBusName {@code EVENT_BUS_NAME}: the bus (name or ARN) the processor publishes entity
 *                     changes to; empty switches publishing off
 */
public record BackendSettings(String region, String eventsTable, Optional<String> queueUrl,
                              Optional<URI> dynamoEndpoint, Optional<URI> sqsEndpoint,
                              Optional<URI> secretsManagerEndpoint, Optional<String> eventBusName,
                              Optional<URI> eventBridgeEndpoint, Env env) {

    public static BackendSettings from(Env env) {
        Optional<String> region = env.optional("AWS_REGION");
        if (region.isEmpty()) {
            region = env.optional("AWS_DEFAULT_REGION");
        }
        return new BackendSettings(
                region.orElse("us-east-1"),
                env.required("EVENTS_TABLE"),
                env.optional("EVENTS_QUEUE_URL"),
                env.optionalUri("DYNAMODB_ENDPOINT"),
                env.optionalUri("SQS_ENDPOINT"),
                env.optionalUri("SECRETS_MANAGER_ENDPOINT"),
                env.optional("EVENT_BUS_NAME"),
                env.optionalUri("EVENTBRIDGE_ENDPOINT"),
                env);
    }

    public String requireQueueUrl() {
        return queueUrl.orElseThrow(() -> new dev.inlet.core.config.ConfigException("EVENTS_QUEUE_URL",
                "is required but not set"));
    }
}

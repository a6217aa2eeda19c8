package dev.inlet.rheo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.lambda.HttpReceiver;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/rheo}. */
public final class RheoReceiver implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final HttpReceiver receiver;

    /** The Lambda runtime's constructor: configuration from the environment, validated here, once. */
    public RheoReceiver() {
        this(Env.system(), Clock.systemUTC(), Observability.lambda(Clock.systemUTC()));
    }

    /** The composition root, also used by {@code ./inlet local} with its own environment and log. */
    public RheoReceiver(Env env, Clock clock, Observability observability) {
        this(HttpReceiver.create(RheoProvider.from(env), new AwsClients(BackendSettings.from(env)),
                IntakeSettings.from(env), clock, observability));
    }

    RheoReceiver(HttpReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.handle(event);
    }
}

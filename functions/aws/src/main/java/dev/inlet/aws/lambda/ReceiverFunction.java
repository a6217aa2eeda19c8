package dev.inlet.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.ingest.WebhookProvider;
import java.time.Clock;
import java.util.function.Function;

/**
 * The Lambda handler of every receiver: a provider's rules plus the shared composition (AWS clients,
 * store, queue, intake). A provider's function is a subclass that only names its provider:
 * {@code public RheoReceiver() { super(RheoProvider::from); }}.
 */
public abstract class ReceiverFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final HttpReceiver receiver;
    private final SnapStartPriming priming;

    /** The Lambda runtime's path: configuration from the environment, validated here, once per container. */
    protected ReceiverFunction(Function<Env, WebhookProvider> provider) {
        this(provider, Env.system(), Clock.systemUTC(), Observability.lambda(Clock.systemUTC()));
    }

    /** The composition root, also used by {@code ./inlet local} with its own environment and log. */
    protected ReceiverFunction(Function<Env, WebhookProvider> provider, Env env, Clock clock,
                               Observability observability) {
        this(HttpReceiver.create(provider.apply(env), new AwsClients(BackendSettings.from(env)),
                IntakeSettings.from(env), clock, observability));
    }

    protected ReceiverFunction(HttpReceiver receiver) {
        this.receiver = receiver;
        this.priming = SnapStartPriming.register(receiver.intake()::prime, receiver.log());
    }

    /** What SnapStart runs before the snapshot: the request path, without writing anything. */
    public final SnapStartPriming priming() {
        return priming;
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return receiver.handle(event);
    }
}

package dev.inlet.reverb;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.config.Env;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/reverb/{topic}/{token}}. */
public final class ReverbReceiver extends ReceiverFunction {
    public ReverbReceiver() {
        super(ReverbProvider::from);
    }

    public ReverbReceiver(Env env, Clock clock, Observability observability) {
        super(ReverbProvider::from, env, clock, observability);
    }
}

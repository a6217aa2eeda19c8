package dev.inlet.rheo;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.config.Env;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/rheo}. */
public final class RheoReceiver extends ReceiverFunction {
    public RheoReceiver() {
        super(RheoProvider::from);
    }

    public RheoReceiver(Env env, Clock clock, Observability observability) {
        super(RheoProvider::from, env, clock, observability);
    }
}

package dev.inlet.reusely;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.config.Env;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/reusely}. */
public final class ReuselyReceiver extends ReceiverFunction {
    public ReuselyReceiver() {
        super(ReuselyProvider::from);
    }

    public ReuselyReceiver(Env env, Clock clock, Observability observability) {
        super(ReuselyProvider::from, env, clock, observability);
    }
}

package dev.inlet.rechat;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.config.Env;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/rechat}. */
public final class RechatReceiver extends ReceiverFunction {
    public RechatReceiver() {
        super(RechatProvider::from);
    }

    public RechatReceiver(Env env, Clock clock, Observability observability) {
        super(RechatProvider::from, env, clock, observability);
    }
}

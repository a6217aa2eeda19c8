package dev.inlet.rechat;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.config.Env;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/rechat}. */
public final class RechatReceiver extends ReceiverFunction {
    /** The secret list: this variable locally, the Secrets Manager secret named by {@code RECHAT_WEBHOOK_KEYS_ARN} in AWS. */
    public static final String SECRETS = "RECHAT_WEBHOOK_KEYS";

    public RechatReceiver() {
        super(SECRETS, RechatProvider::from);
    }

    public RechatReceiver(Env env, Clock clock, Observability observability) {
        super(SECRETS, RechatProvider::from, env, clock, observability);
    }
}

package dev.inlet.reusely;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.config.Env;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/reusely}. */
public final class ReuselyReceiver extends ReceiverFunction {
    /** The secret list: this variable locally, the Secrets Manager secret named by {@code REUSELY_WEBHOOK_SECRETS_ARN} in AWS. */
    public static final String SECRETS = "REUSELY_WEBHOOK_SECRETS";

    public ReuselyReceiver() {
        super(SECRETS, ReuselyProvider::from);
    }

    public ReuselyReceiver(Env env, Clock clock, Observability observability) {
        super(SECRETS, ReuselyProvider::from, env, clock, observability);
    }
}

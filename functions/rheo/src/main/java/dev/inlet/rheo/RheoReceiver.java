package dev.inlet.rheo;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.config.Env;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/rheo}. */
public final class RheoReceiver extends ReceiverFunction {
    /** The secret list: this variable locally, the Secrets Manager secret named by {@code RHEO_WEBHOOK_SECRETS_ARN} in AWS. */
    public static final String SECRETS = "RHEO_WEBHOOK_SECRETS";

    public RheoReceiver() {
        super(SECRETS, RheoProvider::from);
    }

    public RheoReceiver(Env env, Clock clock, Observability observability) {
        super(SECRETS, RheoProvider::from, env, clock, observability);
    }
}

package dev.inlet.reverb;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.config.Env;
import java.time.Clock;

/** Lambda entry point for {@code POST /webhooks/reverb/{topic}/{token}}. */
public final class ReverbReceiver extends ReceiverFunction {
    /** The secret list: this variable locally, the Secrets Manager secret named by {@code REVERB_PATH_TOKENS_ARN} in AWS. */
    public static final String SECRETS = "REVERB_PATH_TOKENS";

    public ReverbReceiver() {
        super(SECRETS, ReverbProvider::from);
    }

    public ReverbReceiver(Env env, Clock clock, Observability observability) {
        super(SECRETS, ReverbProvider::from, env, clock, observability);
    }
}

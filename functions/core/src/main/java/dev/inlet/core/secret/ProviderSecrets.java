package dev.inlet.core.secret;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.observe.Log;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a receiver's secret list comes from. Deployed: {@code <VARIABLE>_ARN} names a Secrets Manager
 * secret, read at run time ({@link RefreshingProvider}). Locally and under {@code sam local invoke}: the
 * plain {@code <VARIABLE>} holds the list. Empty counts as unset; both set fails the start.
 */
public final class ProviderSecrets {
    public static final String ARN_SUFFIX = "_ARN";

    private ProviderSecrets() {
    }

    /**
     * @param variable the plain list variable, e.g. {@code RHEO_WEBHOOK_SECRETS}
     * @param build the provider's own reading of the environment (its list parser and key checks included)
     * @param reader built only when the secret is read at run time
     */
    public static WebhookProvider provider(Env env, String variable, Function<Env, WebhookProvider> build,
                                           Supplier<SecretReader> reader, Clock clock, Log log) {
        String arnVariable = variable + ARN_SUFFIX;
        var arn = env.optional(arnVariable);
        if (arn.isEmpty()) {
            return build.apply(env);
        }
        if (env.optional(variable).isPresent()) {
            throw new ConfigException(variable + " and " + arnVariable,
                    "both are set: set the ARN in AWS, or the plain list for local runs, not both");
        }
        if (!arn.get().startsWith("arn:")) {
            throw new ConfigException(arnVariable, "must be the ARN of a Secrets Manager secret");
        }
        return new RefreshingProvider(arnVariable, arn.get(), value -> build.apply(env.with(variable, value)),
                build.apply(env), build.apply(env.with(variable, RefreshingProvider.PRIMING_KEY)), reader.get(),
                SecretSettings.from(env), clock, log);
    }
}

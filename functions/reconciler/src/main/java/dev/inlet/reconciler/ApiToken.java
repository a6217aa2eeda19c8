package dev.inlet.reconciler;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.reconcile.FeedException;
import dev.inlet.core.secret.SecretReader;
import dev.inlet.core.secret.SecretUnavailableException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the provider API token comes from, like the webhook secrets: deployed, {@code <NAME>_ARN} names
 * a Secrets Manager secret read at run time (each run, never at init, so never in a SnapStart snapshot);
 * locally and under {@code sam local invoke} the plain {@code <NAME>} holds it. Neither set: the function
 * is not configured and does nothing. Both set fails the start. Errors name the setting, never the value.
 *
 * @param setting what an error names: {@code REVERB_API_TOKEN} or {@code REVERB_API_TOKEN_ARN}
 */
public record ApiToken(String setting, Supplier<String> value) {
    /** @return empty when neither the variable nor its ARN twin is set */
    public static Optional<ApiToken> from(Env env, String variable, Supplier<SecretReader> reader) {
        String arnVariable = variable + "_ARN";
        Optional<String> arn = env.optional(arnVariable);
        Optional<String> plain = env.optional(variable);
        if (arn.isPresent() && plain.isPresent()) {
            throw new ConfigException(variable + " and " + arnVariable,
                    "both are set: set the ARN in AWS, or the plain token for local runs, not both");
        }
        if (plain.isPresent()) {
            String token = plain.get();
            return Optional.of(new ApiToken(variable, () -> token));
        }
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        if (!arn.get().startsWith("arn:")) {
            throw new ConfigException(arnVariable, "must be the ARN of a Secrets Manager secret");
        }
        String secretId = arn.get();
        String setting = "the secret named by " + arnVariable;
        return Optional.of(new ApiToken(setting, () -> {
            try {
                String value = reader.get().read(secretId).trim();
                if (value.isEmpty()) {
                    throw new FeedException(FeedException.Reason.REFUSED, setting + " is empty");
                }
                return value;
            } catch (SecretUnavailableException e) {
                throw new FeedException(FeedException.Reason.UNAVAILABLE, "cannot read " + setting + ": "
                        + e.getMessage());
            }
        }));
    }
}

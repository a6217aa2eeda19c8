package dev.inlet.core.secret;

import dev.inlet.core.config.Env;
import java.time.Duration;

/**
 * How secrets read at run time are cached.
 *
 * @param cache {@code SECRETS_CACHE_SECONDS}, default 300: a secret list read is used this long, then
 *              read again on the next request
 * @param missRefresh {@code SECRETS_MISS_REFRESH_SECONDS}, default 10: a signature (or Reverb token) that
 *                    matches no cached value makes the function read the secret again at most this
 *                    often, so forged traffic cannot turn into a Secrets Manager bill; a failed read is
 *                    retried no sooner either
 */
public record SecretSettings(Duration cache, Duration missRefresh) {
    public static SecretSettings from(Env env) {
        return new SecretSettings(env.seconds("SECRETS_CACHE_SECONDS", Duration.ofMinutes(5)),
                env.seconds("SECRETS_MISS_REFRESH_SECONDS", Duration.ofSeconds(10)));
    }
}

package dev.inlet.core.secret;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.TimestampException;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.observe.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A provider whose secret list lives in Secrets Manager: read on the first request (never at init, so
 * never before a SnapStart snapshot), cached, and read again
 * <ul>
 *   <li>on the first request after {@link SecretSettings#cache()};</li>
 *   <li>when a signature or token matches no cached value (the provider may have switched to a value
 *       added since), at most once per {@link SecretSettings#missRefresh()}, then verified again.</li>
 * </ul>
 * A failed read keeps the cached list and is retried no sooner than the miss interval. Without any list
 * ever read, verification answers {@link Verification.Unavailable} (503: the provider retries).
 *
 * <p>Each read builds a new immutable provider holding the decoded keys. Everything that does not depend
 * on the secret (name, envelope, windows) comes from the provider built without one.
 */
final class RefreshingProvider implements WebhookProvider {
    /** The key priming verifies with: made up, valid for every provider (64 hex digits), matches nothing. */
    static final String PRIMING_KEY = "0".repeat(64);

    private final String setting;
    private final String secretId;
    private final Function<String, WebhookProvider> build;
    private final WebhookProvider unkeyed;
    private final WebhookProvider priming;
    private final SecretReader reader;
    private final SecretSettings settings;
    private final Clock clock;
    private final Log log;

    private volatile WebhookProvider keyed;          // null until the first successful read
    private Instant nextRead = Instant.MIN;           // guarded by this
    private Instant nextMissRead = Instant.MIN;       // guarded by this
    private String lastError = "not read yet";        // guarded by this

    /**
     * @param setting the variable naming the secret ({@code RHEO_WEBHOOK_SECRETS_ARN}), for log lines
     * @param build the provider for one secret string; throws {@link ConfigException} when it is malformed
     * @param unkeyed the provider with no secret, for everything but verification
     * @param priming the provider with {@link #PRIMING_KEY}, for SnapStart priming
     */
    RefreshingProvider(String setting, String secretId, Function<String, WebhookProvider> build,
                       WebhookProvider unkeyed, WebhookProvider priming, SecretReader reader,
                       SecretSettings settings, Clock clock, Log log) {
        this.setting = setting;
        this.secretId = secretId;
        this.build = build;
        this.unkeyed = unkeyed;
        this.priming = priming;
        this.reader = reader;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public Verification verify(RawRequest request) {
        WebhookProvider current = current(clock.instant());
        if (current == null) {
            return Verification.unavailable(unavailableReason());
        }
        Verification verification = current.verify(request);
        if (matchedNoValue(verification)) {
            WebhookProvider fresh = readAfterMiss(clock.instant(), current);
            if (fresh != current) {
                return fresh.verify(request);
            }
        }
        return verification;
    }

    private static boolean matchedNoValue(Verification v) {
        return v instanceof Verification.Rejected r && (r.reason() == RejectionReason.BAD_SIGNATURE
                || r.reason() == RejectionReason.BAD_TOKEN || r.reason() == RejectionReason.NO_SECRETS_CONFIGURED);
    }

    private synchronized String unavailableReason() {
        return setting + ": " + lastError;
    }

    private synchronized WebhookProvider current(Instant now) {
        if (!now.isBefore(nextRead)) {
            read(now, "cache");
        }
        return keyed;
    }

    private synchronized WebhookProvider readAfterMiss(Instant now, WebhookProvider seen) {
        if (keyed != seen || now.isBefore(nextMissRead)) {
            return keyed;
        }
        nextMissRead = now.plus(settings.missRefresh());
        read(now, "no_match");
        return keyed;
    }

    /** One read; on failure the cached provider stays and the next try waits for the miss interval. */
    private void read(Instant now, String why) {
        String value;
        try {
            value = reader.read(secretId);
        } catch (SecretUnavailableException e) {
            failed(now, why, e.getMessage());
            return;
        }
        try {
            keyed = build.apply(value);
        } catch (ConfigException e) {
            failed(now, why, e.getMessage());
            return;
        }
        nextRead = now.plus(settings.cache());
        log.info("secret_read", "provider", unkeyed.name(), "setting", setting, "trigger", why);
    }

    private void failed(Instant now, String why, String error) {
        lastError = error;
        nextRead = now.plus(settings.missRefresh());
        log.warn("secret_read_failed", "provider", unkeyed.name(), "setting", setting, "trigger", why,
                "error", error, "servingCached", keyed != null);
    }

    @Override
    public WebhookProvider forPriming() {
        return priming;
    }

    @Override
    public String name() {
        return unkeyed.name();
    }

    @Override
    public Envelope read(RawRequest request) throws UnreadableBodyException, TimestampException {
        return unkeyed.read(request);
    }

    @Override
    public Optional<Duration> timestampTolerance() {
        return unkeyed.timestampTolerance();
    }

    @Override
    public Optional<Instant> signedTime(RawRequest request) throws TimestampException {
        return unkeyed.signedTime(request);
    }

    @Override
    public String quarantineKey(RawRequest request) {
        return unkeyed.quarantineKey(request);
    }

    @Override
    public boolean hidesRoute() {
        return unkeyed.hidesRoute();
    }

    @Override
    public List<String> auditHeaders() {
        return unkeyed.auditHeaders();
    }

    @Override
    public List<String> knownHeaders() {
        return unkeyed.knownHeaders();
    }
}

package dev.inlet.core.reconcile;

import dev.inlet.core.config.Env;
import java.time.Duration;

/**
 * How reconciliation chooses its window.
 *
 * @param overlap  {@code RECONCILE_OVERLAP_SECONDS}, default 900: each window starts this long before the
 *                 cursor, so a change the provider recorded late (its clock, its indexing) is still seen
 * @param settle   {@code RECONCILE_SETTLE_SECONDS}, default 300: a window ends this long before now, so a
 *                 webhook on its way (and its processing) is not mistaken for a lost one
 * @param lookback {@code RECONCILE_LOOKBACK_SECONDS}, default 86400: the first window, with no cursor yet
 * @param maxWindow {@code RECONCILE_MAX_WINDOW_SECONDS}, default 604800: a cursor far behind (a switched-off
 *                 schedule) catches up a week per run, each run moving the cursor
 */
public record ReconcileSettings(Duration overlap, Duration settle, Duration lookback, Duration maxWindow) {
    public static ReconcileSettings from(Env env) {
        return new ReconcileSettings(env.seconds("RECONCILE_OVERLAP_SECONDS", Duration.ofMinutes(15)),
                env.seconds("RECONCILE_SETTLE_SECONDS", Duration.ofMinutes(5)),
                env.seconds("RECONCILE_LOOKBACK_SECONDS", Duration.ofDays(1)),
                env.seconds("RECONCILE_MAX_WINDOW_SECONDS", Duration.ofDays(7)));
    }
}

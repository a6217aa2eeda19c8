package dev.inlet.aws.lambda;

import dev.inlet.core.observe.Log;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Runs a function's priming (its code paths, no writes) just before SnapStart takes the snapshot, so a
 * restored function starts with classes loaded and JIT-warmed code. A failure is logged and never
 * blocks the snapshot. Outside SnapStart (no CRaC in the JVM) nothing ever calls it.
 */
public final class SnapStartPriming implements Resource {
    private final Runnable priming;
    private final Log log;

    private SnapStartPriming(Runnable priming, Log log) {
        this.priming = priming;
        this.log = log;
    }

    /** Registers the priming; the CRaC context holds resources weakly, so the caller keeps the instance. */
    public static SnapStartPriming register(Runnable priming, Log log) {
        SnapStartPriming resource = new SnapStartPriming(priming, log);
        Core.getGlobalContext().register(resource);
        return resource;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing: the SDK clients re-resolve credentials from the container endpoint after a restore
    }

    /** The priming itself (public for tests and for a manual warm-up). */
    public void prime() {
        try {
            priming.run();
        } catch (RuntimeException e) {
            log.warn("priming_failed", "error", e.getClass().getSimpleName());
        }
    }
}

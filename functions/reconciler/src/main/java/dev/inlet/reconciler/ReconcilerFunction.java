package dev.inlet.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.inlet.aws.lambda.LambdaLogSink;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.reconcile.FeedException;
import dev.inlet.core.reconcile.Reconciler;
import dev.inlet.core.observe.Log;
import java.time.Clock;
import java.util.Optional;

/**
 * Lambda entry point for the reconciliation schedule (default hourly): reads what changed at Reverb
 * since the cursor and sends what the webhooks missed through the intake. Without a token
 * ({@code REVERB_API_TOKEN_ARN} deployed, {@code REVERB_API_TOKEN} locally) it does nothing, which is
 * why {@code ./inlet local} never polls by itself. A run that cannot read its window completely fails
 * (Lambda counts the error; the cursor stays, so the next run reads the window again).
 */
public final class ReconcilerFunction implements RequestHandler<ScheduledEvent, String> {
    private final Optional<Reconciler> reconciler;
    private final Log log;

    public ReconcilerFunction() {
        this(Env.system(), Clock.systemUTC(), Observability.lambda(Clock.systemUTC(), Env.system()));
    }

    public ReconcilerFunction(Env env, Clock clock, Observability observability) {
        this(ReverbReconciler.compose(env, clock, observability), observability.log());
    }

    ReconcilerFunction(Optional<Reconciler> reconciler, Log log) {
        this.reconciler = reconciler;
        this.log = log;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        LambdaLogSink.startInvocation(context);
        if (reconciler.isEmpty()) {
            return "{\"skipped\":\"no API token: set REVERB_API_TOKEN_ARN\"}";
        }
        Reconciler.Summary s;
        try {
            s = reconciler.get().run(Reconciler.Request.scheduled(), Reconciler.Progress.NONE);
        } catch (FeedException e) {
            log.error("reconcile_failed", "provider", "reverb", "reason", e.reason().name(), "error", e.getMessage());
            throw new IllegalStateException(e.getMessage());
        }
        var out = Json.object();
        out.put("from", s.window().from().toString());
        out.put("until", s.window().until().toString());
        out.put("pages", s.pages());
        out.put("seen", s.seen());
        out.put("known", s.known());
        out.put("recovered", s.recovered());
        out.put("refused", s.refused());
        out.put("cursorMoved", s.cursorMoved());
        return Json.write(out);
    }
}

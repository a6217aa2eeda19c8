package dev.inlet.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbAuditIndex;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.lambda.LambdaLogSink;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.core.config.AuditSettings;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.outbox.OutboxSweeper;
import dev.inlet.core.outbox.ResendBackoff;
import dev.inlet.core.outbox.StrandedAudit;
import dev.inlet.core.outbox.SweeperRun;
import java.time.Clock;
import java.time.Duration;

/**
 * Lambda entry point for the EventBridge schedule (every minute). First the stranded-record audit
 * ({@link StrandedAudit}: records nothing owns any more go back to the outbox; {@code QUEUE_VISIBILITY_SECONDS},
 * {@code AUDIT_READ_LIMIT}, {@code AUDIT_TIME_BUDGET_SECONDS}), within the invocation's remaining time less what
 * the sweep needs; then the sweep: sends again the records still in the outbox after their lease, each resend
 * doubling that record's lease. {@code SWEEP_BATCH_LIMIT} (default 500) bounds one sweep,
 * {@code SWEEP_TIME_BUDGET_SECONDS} (default 40, under the 60 s timeout) its time; the rest waits a minute.
 */
public final class SweeperFunction implements RequestHandler<ScheduledEvent, String> {
    /** Kept free after the sweep's own budget, for answering. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final SweeperRun run;
    private final Clock clock;

    public SweeperFunction() {
        this(Env.system(), Clock.systemUTC(), Observability.lambda(Clock.systemUTC(), Env.system()));
    }

    public SweeperFunction(Env env, Clock clock, Observability observability) {
        this(compose(env, clock, observability), clock);
    }

    SweeperFunction(SweeperRun run, Clock clock) {
        this.run = run;
        this.clock = clock;
    }

    private static SweeperRun compose(Env env, Clock clock, Observability observability) {
        AwsClients clients = new AwsClients(BackendSettings.from(env));
        String table = clients.settings().eventsTable();
        Duration sweepBudget = env.seconds("SWEEP_TIME_BUDGET_SECONDS", OutboxSweeper.DEFAULT_TIME_BUDGET);
        OutboxSweeper sweeper = new OutboxSweeper(new DynamoDbEventStore(clients.dynamoDb(), table),
                new SqsEventQueue(clients.sqs(), clients.settings().requireQueueUrl()),
                ResendBackoff.startingAt(IntakeSettings.from(env).intakeLease()),
                env.positiveInt("SWEEP_BATCH_LIMIT", 500), sweepBudget, clock,
                observability.log(), observability.metrics());
        AuditSettings audit = AuditSettings.from(env);
        return new SweeperRun(new StrandedAudit(new DynamoDbAuditIndex(clients.dynamoDb(), table),
                audit.visibilityWindow(), audit.readLimit(), clock, observability.log(), observability.metrics()),
                sweeper, audit.timeBudget(), sweepBudget.plus(MARGIN), clock, observability.log());
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        LambdaLogSink.startInvocation(context);
        SweeperRun.Result r = run.run(clock.instant().plusMillis(context.getRemainingTimeInMillis()));
        OutboxSweeper.Sweep s = r.sweep();
        return "{\"due\":" + s.due() + ",\"sent\":" + s.sent() + ",\"skipped\":" + s.skipped()
                + ",\"failed\":" + s.failed() + ",\"stoppedEarly\":" + s.stoppedEarly()
                + ",\"audited\":" + r.audit().examined() + ",\"strandedRecovered\":" + r.audit().returned() + "}";
    }
}

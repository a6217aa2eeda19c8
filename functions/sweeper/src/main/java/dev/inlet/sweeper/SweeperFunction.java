package dev.inlet.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.lambda.LambdaLogSink;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.outbox.OutboxSweeper;
import dev.inlet.core.outbox.ResendBackoff;
import java.time.Clock;

/**
 * Lambda entry point for the EventBridge schedule (every minute): sends again the records still in the
 * outbox after their lease, each resend doubling that record's lease. {@code SWEEP_BATCH_LIMIT} (default
 * 500) bounds one run, {@code SWEEP_TIME_BUDGET_SECONDS} (default 40, under the 60 s timeout) its time;
 * the rest waits a minute.
 */
public final class SweeperFunction implements RequestHandler<ScheduledEvent, String> {
    private final OutboxSweeper sweeper;

    public SweeperFunction() {
        this(Env.system(), Clock.systemUTC(), Observability.lambda(Clock.systemUTC(), Env.system()));
    }

    public SweeperFunction(Env env, Clock clock, Observability observability) {
        this(compose(env, clock, observability));
    }

    SweeperFunction(OutboxSweeper sweeper) {
        this.sweeper = sweeper;
    }

    private static OutboxSweeper compose(Env env, Clock clock, Observability observability) {
        AwsClients clients = new AwsClients(BackendSettings.from(env));
        return new OutboxSweeper(new DynamoDbEventStore(clients.dynamoDb(), clients.settings().eventsTable()),
                new SqsEventQueue(clients.sqs(), clients.settings().requireQueueUrl()),
                ResendBackoff.startingAt(IntakeSettings.from(env).intakeLease()),
                env.positiveInt("SWEEP_BATCH_LIMIT", 500),
                env.seconds("SWEEP_TIME_BUDGET_SECONDS", OutboxSweeper.DEFAULT_TIME_BUDGET), clock,
                observability.log(), observability.metrics());
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        LambdaLogSink.startInvocation(context);
        OutboxSweeper.Sweep s = sweeper.sweep();
        return "{\"due\":" + s.due() + ",\"sent\":" + s.sent() + ",\"skipped\":" + s.skipped()
                + ",\"failed\":" + s.failed() + ",\"stoppedEarly\":" + s.stoppedEarly() + "}";
    }
}

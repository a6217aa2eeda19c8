package dev.inlet.processor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.eventbridge.EventBridgeBus;
import dev.inlet.aws.lambda.LambdaLogSink;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.SnapStartPriming;
import dev.inlet.aws.sqs.SqsDeadLetterQueue;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.publish.EventBus;
import java.time.Clock;

/**
 * Lambda entry point for the events queue: SQS batch in, partial batch failures out. An environment left
 * running an abandoned handler answers, then ends ({@link EnvironmentRecycler}).
 */
public final class ProcessorFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final SqsBatchProcessor batch;
    private final EnvironmentRecycler recycler;
    private final SnapStartPriming priming;

    public ProcessorFunction() {
        this(Env.system(), Clock.systemUTC(), Observability.lambda(Clock.systemUTC(), Env.system()));
    }

    public ProcessorFunction(Env env, Clock clock, Observability observability) {
        this(env, clock, observability, new AwsClients(BackendSettings.from(env)));
    }

    private ProcessorFunction(Env env, Clock clock, Observability observability, AwsClients clients) {
        this(env, clock, observability, clients,
                EventBridgeBus.from(clients));   // EVENT_BUS_NAME; empty: publishing off, no client built
    }

    /**
     * Composed from {@code env} as Lambda composes it (the same clients, settings and default handlers), but
     * publishing to the caller's bus: {@code ./inlet local} passes its in-process bus.
     */
    public ProcessorFunction(Env env, Clock clock, Observability observability, EventBus bus) {
        this(env, clock, observability, new AwsClients(BackendSettings.from(env)), bus);
    }

    private ProcessorFunction(Env env, Clock clock, Observability observability, AwsClients clients, EventBus bus) {
        this(clients, clock, observability, ProcessingSettings.from(env, clients.callTimeout()), Handlers.defaults(
                new DynamoDbEntityStore(clients.dynamoDb(), env.required("ENTITIES_TABLE")),
                observability.log(), observability.metrics()).build(), bus);
    }

    /** With the caller's handlers, publishing nothing: for tests and for users who compose their own registry. */
    public ProcessorFunction(AwsClients clients, Clock clock, Observability observability,
                             ProcessingSettings settings, HandlerRegistry handlers) {
        this(clients, clock, observability, settings, handlers, EventBus.disabled());
    }

    /** With the caller's handlers and bus: completed runs publish their entity changes to {@code bus}. */
    public ProcessorFunction(AwsClients clients, Clock clock, Observability observability,
                             ProcessingSettings settings, HandlerRegistry handlers, EventBus bus) {
        this(new SqsBatchProcessor(new ProcessingService(
                new DynamoDbEventStore(clients.dynamoDb(), clients.settings().eventsTable()),
                handlers, bus, settings, clock, observability.log(), observability.metrics()),
                new SqsDeadLetterQueue(clients.sqs(), clients.settings().env().required("DEAD_LETTER_QUEUE_URL")),
                observability.log()), EnvironmentRecycler.from(clients.settings().env(), observability.log()));
    }

    ProcessorFunction(SqsBatchProcessor batch, EnvironmentRecycler recycler) {
        this.batch = batch;
        this.recycler = recycler;
        this.priming = SnapStartPriming.register(batch.processing()::prime, batch.log());
    }

    /** What SnapStart runs before the snapshot: the claim path's read, without writing anything. */
    public SnapStartPriming priming() {
        return priming;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        LambdaLogSink.startInvocation(context);
        SQSBatchResponse response = batch.process(event, context::getRemainingTimeInMillis);
        int stuck = batch.processing().abandonedHandlers();
        if (stuck > 0) {
            recycler.recycle(context.getAwsRequestId(), response, stuck);
        }
        return response;
    }
}

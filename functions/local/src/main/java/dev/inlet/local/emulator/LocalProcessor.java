package dev.inlet.local.emulator;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.core.config.Env;
import dev.inlet.core.publish.EventBus;
import dev.inlet.processor.ProcessorFunction;
import java.time.Clock;

/**
 * The processor of {@code ./inlet local}: built from its environment as its Lambda composition root builds it
 * (the same clients, settings and default handlers), publishing to the local stack's in-process bus where the
 * deployed one publishes to EventBridge.
 */
final class LocalProcessor {
    private LocalProcessor() {
    }

    static boolean is(String handlerClass) {
        return handlerClass.equals(ProcessorFunction.class.getName());
    }

    static ProcessorFunction build(Env env, Clock clock, Observability observability, EventBus bus) {
        return new ProcessorFunction(env, clock, observability, bus);
    }
}

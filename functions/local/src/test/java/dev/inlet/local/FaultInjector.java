package dev.inlet.local;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Fails chosen AWS SDK calls at the SDK boundary, so the real code path runs against the real local
 * backends. A call can fail before it is sent (the backend never sees it) or after the backend answered
 * (the write happened, the caller cannot know): both happen in real outages.
 */
final class FaultInjector implements ExecutionInterceptor {
    enum When { BEFORE_SEND, AFTER_RESPONSE }

    private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
    private final Map<String, When> failAlways = new ConcurrentHashMap<>();
    private volatile Set<String> randomOps = Set.of();
    private volatile double randomRate;
    private Random random = new Random(0);
    private final AtomicInteger injected = new AtomicInteger();
    private final java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Fails the next {@code times} calls of {@code operation} (e.g. "SendMessage", "PutItem") before sending. */
    FaultInjector failNext(String operation, int times) {
        failNext.put(operation, new AtomicInteger(times));
        return this;
    }

    FaultInjector failAlways(String operation, When when) {
        failAlways.put(operation, when);
        return this;
    }

    /** Fails each call of these operations with probability {@code rate}, half before sending, half after. */
    synchronized FaultInjector failRandomly(Set<String> operations, double rate, long seed) {
        this.random = new Random(seed);
        this.randomOps = Set.copyOf(operations);
        this.randomRate = rate;
        return this;
    }

    void heal() {
        failNext.clear();
        failAlways.clear();
        randomOps = Set.of();
        randomRate = 0;
    }

    int injected() {
        return injected.get();
    }

    /** Every call made through the clients carrying this interceptor, by operation name, in order. */
    java.util.List<String> calls() {
        return java.util.List.copyOf(calls);
    }

    void clearCalls() {
        calls.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.add(operation(context.request()));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String op = operation(context.request());
        AtomicInteger remaining = failNext.get(op);
        if (remaining != null && remaining.getAndDecrement() > 0) {
            fail(op, When.BEFORE_SEND);
        }
        if (failAlways.get(op) == When.BEFORE_SEND) {
            fail(op, When.BEFORE_SEND);
        }
        if (roll(op) == When.BEFORE_SEND) {
            fail(op, When.BEFORE_SEND);
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        String op = operation(context.request());
        if (failAlways.get(op) == When.AFTER_RESPONSE || roll(op) == When.AFTER_RESPONSE) {
            fail(op, When.AFTER_RESPONSE);
        }
    }

    private synchronized When roll(String op) {
        if (!randomOps.contains(op) || random.nextDouble() >= randomRate) {
            return null;
        }
        return random.nextBoolean() ? When.BEFORE_SEND : When.AFTER_RESPONSE;
    }

    private void fail(String op, When when) {
        injected.incrementAndGet();
        throw SdkClientException.create("injected fault: " + op + " " + when);
    }

    private static String operation(SdkRequest request) {
        String name = request.getClass().getSimpleName();
        return name.endsWith("Request") ? name.substring(0, name.length() - "Request".length()) : name;
    }
}

package dev.inlet.local.throttle;

/**
 * One route's limits: API Gateway's token bucket (rate per second, burst) and the reserved concurrency
 * of the receiver behind it.
 */
public record RouteLimits(int rate, int burst, int concurrency) {
    @Override
    public String toString() {
        return rate + " rps, burst " + burst + ", concurrency " + concurrency;
    }
}

package dev.inlet.local.throttle;

/**
 * API Gateway's throttle as its documentation describes it: a bucket of {@code burst} tokens, refilled at
 * {@code rate} tokens per second, one token per request; a request that finds no token gets 429. Time is
 * virtual (microseconds), so a run of an hour of traffic takes milliseconds and is the same every time.
 */
public final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long lastMicros;

    public TokenBucket(double rate, double burst) {
        if (rate <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate " + rate + ", burst " + burst);
        }
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Whether a request at this time would find a token (takes none). */
    boolean hasToken(long atMicros) {
        refill(atMicros);
        return tokens >= 1;
    }

    void take() {
        tokens -= 1;
    }

    /** One request at this time: true when it gets a token (and spends it), false for a 429. */
    public boolean tryTake(long atMicros) {
        if (!hasToken(atMicros)) {
            return false;
        }
        take();
        return true;
    }

    private void refill(long atMicros) {
        if (atMicros < lastMicros) {
            throw new IllegalArgumentException("time runs forwards: " + atMicros + " < " + lastMicros);
        }
        tokens = Math.min(burst, tokens + rate * (atMicros - lastMicros) / 1_000_000.0);
        lastMicros = atMicros;
    }
}

package dev.inlet.local.throttle;

/**
 * What a simulated burst came to. {@code delivered + lost} is the burst; {@code throttled} counts 429s
 * answered to genuine tries, {@code lambdaThrottled} tries refused for want of a receiver execution,
 * {@code refused} tries the receiver itself answered with a non-2xx.
 */
public record Outcome(int deliveries, int delivered, int lost, int throttled, int lambdaThrottled, int refused,
                      boolean endpointDisabled, int junkAdmitted, int junkThrottled, int maxInFlight, double lastDeliverySeconds) {
    public boolean nothingLost() {
        return lost == 0;
    }

    @Override
    public String toString() {
        return delivered + "/" + deliveries + " delivered, " + lost + " lost, " + throttled + " x 429, "
                + lambdaThrottled + " Lambda-throttled, " + refused + " refused" + (endpointDisabled ? ", ENDPOINT DISABLED" : "")
                + ", junk " + junkAdmitted + " in / " + junkThrottled + " x 429, max in flight " + maxInFlight
                + ", last delivery at " + String.format(java.util.Locale.ROOT, "%.1f", lastDeliverySeconds) + " s";
    }
}

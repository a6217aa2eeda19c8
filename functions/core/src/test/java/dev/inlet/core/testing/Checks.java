package dev.inlet.core.testing;

import java.util.Collection;

/** Guards for tests whose assertions sit in a loop: a loop over nothing checks nothing and still passes. */
public final class Checks {
    private Checks() {
    }

    /** Returns {@code items}; fails when there are none, naming {@code what} was expected. */
    public static <C extends Collection<?>> C nonEmpty(C items, String what) {
        if (items.isEmpty()) {
            throw new AssertionError("no " + what + ": the checks over them would run zero times");
        }
        return items;
    }

    /** Fails unless a loop of checks ran at least once ({@code ran} counts its passes). */
    public static void ranAtLeastOnce(int ran, String what) {
        if (ran < 1) {
            throw new AssertionError("no " + what + " was checked: the loop ran zero times");
        }
    }
}

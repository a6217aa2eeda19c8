package dev.inlet.local.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.throttle.DeliverySimulator.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Invariant 10 in virtual time: each provider's real retry schedule against the route limits and
 * reserved concurrency template.yaml sets. The floor: 10,000 deliveries arriving within 60 s, nothing
 * lost, with and without a junk flood of {@link RouteLimitsTable#JUNK_RPS} sharing the bucket.
 */
class DeliverySimulatorTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(SamTemplate.locate());
    private static final int SEARCH_CAP = 200_000;
    private static final Map<String, RouteLimits> BEFORE = RouteLimitsTable.BEFORE_ISSUE_22;

    private static Scenario floor(String provider, RouteLimits limits, int junk) {
        return new Scenario(RouteLimitsTable.row(provider).schedule(), limits, RouteLimitsTable.FLOOR, Arrival.EVEN,
                RouteLimitsTable.WINDOW, junk);
    }

    @Test
    void aTokenBucket_admitsItsBurstAtOnce_thenOnlyItsRate_andNeverHoldsMoreThanItsBurst() {
        TokenBucket bucket = new TokenBucket(20, 50);
        int atOnce = 0;
        while (bucket.tryTake(0)) {
            atOnce++;
        }
        assertEquals(50, atOnce, "the burst, at once");
        int secondLater = 0;
        while (bucket.tryTake(1_000_000)) {
            secondLater++;
        }
        assertEquals(20, secondLater, "one second of rate");
        int minuteLater = 0;
        while (bucket.tryTake(61_000_000)) {
            minuteLater++;
        }
        assertEquals(50, minuteLater, "a minute idle refills to the burst, not to 60 x 20");
    }

    @Test
    void rheoBulkPublishOf1000AtOnce_atTheOldLimits_isMostlyLost_andTheFifteenFailuresRuleLosesAllButTheBurst() {
        Scenario bulk = new Scenario(RetrySchedule.RHEO.neverDisabling(), BEFORE.get("rheo"), 1_000, Arrival.AT_ONCE,
                RouteLimitsTable.WINDOW, 0);
        Outcome withoutRule = DeliverySimulator.run(bulk);
        // The issue estimated 670 (50 + 20 x 31 s); a bucket holds at most its burst, so each retry wave
        // finds at most 50 tokens: 50 + 20 + 40 + 50 + 50 + 50.
        assertEquals(260, withoutRule.delivered(), withoutRule.toString());
        Outcome withRule = DeliverySimulator.run(new Scenario(RetrySchedule.RHEO, BEFORE.get("rheo"), 1_000,
                Arrival.AT_ONCE, RouteLimitsTable.WINDOW, 0));
        assertTrue(withRule.endpointDisabled(), withRule.toString());
        assertEquals(50, withRule.delivered(), "the burst got through, then 15 429s in a row disabled the endpoint");
    }

    @Test
    void theLimitsBeforeIssue22_loseGenuineDeliveriesOfTheFloor_forEveryProvider() {
        for (String provider : BEFORE.keySet()) {
            Outcome o = DeliverySimulator.run(floor(provider, BEFORE.get(provider), 0));
            assertFalse(o.nothingLost(), provider + ": " + o);
            assertTrue(o.throttled() > 0 && o.lambdaThrottled() == 0, provider + " loses to 429s: " + o);
        }
    }

    @Test
    void theTemplatesLimits_absorbTenThousandDeliveriesWithinSixtySeconds_forEveryProvider_withAndWithoutJunk() {
        Map<String, RouteLimits> deployed = RouteLimitsTable.fromTemplate(TEMPLATE);
        assertEquals(4, deployed.size(), "four receivers");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, RouteLimits> e : deployed.entrySet()) {
            for (int junk : new int[] {0, RouteLimitsTable.JUNK_RPS}) {
                Outcome o = DeliverySimulator.run(floor(e.getKey(), e.getValue(), junk));
                if (!o.nothingLost() || o.endpointDisabled() || o.lambdaThrottled() > 0) {
                    problems.add(e.getKey() + " at " + e.getValue() + ", junk " + junk + " rps: " + o);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aJunkFloodAboveTheRouteRate_stillLosesNoRetryDeliveries_whichIsWhatPerClientLimitsAreFor() {
        RouteLimits reverb = RouteLimitsTable.fromTemplate(TEMPLATE).get("reverb");
        Outcome o = DeliverySimulator.run(floor("reverb", reverb, 2 * reverb.rate()));
        assertFalse(o.nothingLost(), "a route bucket shared with a flood twice its rate cannot protect the genuine: " + o);
        assertTrue(o.junkThrottled() > 0);
    }

    @Test
    void largestBurstAbsorbed_perProvider_isAtLeastTheFloor_printedAsTheTable() {
        Map<String, RouteLimits> deployed = RouteLimitsTable.fromTemplate(TEMPLATE);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%-8s %-34s %9s %11s %11s %9s%n", "provider", "limits", "even 60s", "+junk " + RouteLimitsTable.JUNK_RPS,
                "at once", "before"));
        List<String> belowFloor = new ArrayList<>();
        for (Map.Entry<String, RouteLimits> e : deployed.entrySet()) {
            Scenario even = floor(e.getKey(), e.getValue(), 0);
            int absorbed = DeliverySimulator.largestAbsorbed(even, SEARCH_CAP);
            int withJunk = DeliverySimulator.largestAbsorbed(floor(e.getKey(), e.getValue(), RouteLimitsTable.JUNK_RPS),
                    SEARCH_CAP);
            int atOnce = DeliverySimulator.largestAbsorbed(new Scenario(even.schedule(), e.getValue(), 1, Arrival.AT_ONCE,
                    RouteLimitsTable.WINDOW, 0), SEARCH_CAP);
            int before = DeliverySimulator.largestAbsorbed(floor(e.getKey(), BEFORE.get(e.getKey()), 0), SEARCH_CAP);
            table.append(String.format(Locale.ROOT, "%-8s %-34s %9d %11d %11d %9d%n", e.getKey(), e.getValue(), absorbed,
                    withJunk, atOnce, before));
            if (Math.min(absorbed, withJunk) < RouteLimitsTable.FLOOR) {
                belowFloor.add(e.getKey());
            }
        }
        System.out.println("largest burst absorbed with nothing lost (deliveries; even = arriving evenly within 60 s):\n"
                + table);
        assertTrue(belowFloor.isEmpty(), "below the floor of " + RouteLimitsTable.FLOOR + ": " + belowFloor + "\n" + table);
    }
}

package dev.inlet.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The processor's events:PutEvents grant under each mode of the EventBusName parameter, as SAM's translator
 * makes the role and IAM evaluates it ({@link Simulator}): the stack's own bus by default, the named bus
 * only when one is given, none at all when publishing is off.
 */
class EventBusGrantsTest {
    private static final String F = "ProcessorFunction";
    private static final String BUS = "arn:aws:events:us-east-1:123456789012:event-bus/";

    @Test
    void byDefault_theProcessorPublishesOnTheStacksNewBus_andOnNoOther() throws Exception {
        ExecutionRoles roles = ExecutionRoles.ofTemplate(Map.of());
        assertEquals(BUS + "inlet", roles.arn("EventBus"), "the bus is named after the stack");
        assertTrue(roles.creates("EventBus"));

        assertEquals(List.of(), IamEvaluation.refusedCalls(roles, List.of(AwsCall.of(F, "events:PutEvents", BUS + "inlet"))));
        assertEquals(List.of(), IamEvaluation.allowedAttacks(roles, Map.of(
                AwsCall.of(F, "events:PutEvents", BUS + "default"), "the default bus",
                AwsCall.of(F, "events:PutEvents", BUS + "inlet-other"), "a bus whose name starts like the stack's")));
    }

    @Test
    void anExistingBusNamed_isTheOnlyOneTheProcessorMayPublishOn() throws Exception {
        ExecutionRoles roles = ExecutionRoles.ofTemplate(Map.of("EventBusName", "orders-bus"));

        assertEquals(List.of(), IamEvaluation.refusedCalls(roles, List.of(AwsCall.of(F, "events:PutEvents", BUS + "orders-bus"))));
        Map<AwsCall, String> attacks = new LinkedHashMap<>();
        attacks.put(AwsCall.of(F, "events:PutEvents", BUS + "inlet"), "a bus named after the stack");
        attacks.put(AwsCall.of(F, "events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/orders-bus"),
                "the same name in another region");
        attacks.put(AwsCall.of(F, "events:PutEvents", "arn:aws:events:us-east-1:210987654321:event-bus/orders-bus"),
                "the same name in another account");
        assertEquals(List.of(), IamEvaluation.allowedAttacks(roles, attacks));
        assertFalse(roles.creates("EventBus"), "no bus is created for an existing one");
        assertTrue(roles.creates("EventArchive") && roles.creates("ReverbOrderPaidRule"), "its archive and example rule are");
    }

    @Test
    void publishingOff_leavesTheProcessorNoEventBridgeGrant_andCreatesNoBusRuleOrArchive() throws Exception {
        ExecutionRoles roles = ExecutionRoles.ofTemplate(Map.of("EventBusName", ""));

        assertEquals(List.of(), roles.statementsAllowing(F, "events:"), "an EventBridge grant with publishing off");
        assertEquals(List.of(), IamEvaluation.allowedAttacks(roles, Map.of(
                AwsCall.of(F, "events:PutEvents", BUS + "inlet"), "the bus it would have had")));
        for (String id : List.of("EventBus", "EventArchive", "ReverbOrderPaidRule", "PaidOrdersQueue", "PaidOrdersQueuePolicy")) {
            assertFalse(roles.creates(id), id + " exists with publishing off");
        }
    }

}

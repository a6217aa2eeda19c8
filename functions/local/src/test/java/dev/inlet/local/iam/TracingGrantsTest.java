package dev.inlet.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Tracing parameter as SAM's translator turns it into the functions and the processor's role: Active
 * traces the four receivers and the processor and lets the processor's role write segments; PassThrough
 * records nothing of its own and leaves that role no X-Ray grant.
 */
class TracingGrantsTest {
    private static final List<String> TRACED = List.of("RheoReceiverFunction", "ReverbReceiverFunction",
            "ReuselyReceiverFunction", "RechatReceiverFunction", "ProcessorFunction");
    private static final String P = "ProcessorFunction";

    @Test
    void byDefault_theReceiversAndTheProcessorTraceActively_andTheProcessorMayWriteItsSegments() throws Exception {
        ExecutionRoles roles = ExecutionRoles.ofTemplate(Map.of());
        for (String f : TRACED) {
            assertEquals("Active", mode(roles, f), f);
        }
        assertEquals(List.of(), IamEvaluation.refusedCalls(roles, List.of(
                AwsCall.of(P, "xray:PutTraceSegments", "*"), AwsCall.of(P, "xray:PutTelemetryRecords", "*"))));
    }

    @Test
    void passThrough_tracesNothingOfItsOwn_andLeavesTheProcessorsRoleNoXRayGrant() throws Exception {
        ExecutionRoles roles = ExecutionRoles.ofTemplate(Map.of("Tracing", "PassThrough"));
        for (String f : TRACED) {
            assertEquals("PassThrough", mode(roles, f), f);
        }
        assertEquals(List.of(), roles.statementsAllowing(P, "xray:"), "an X-Ray grant without tracing");
        assertEquals(List.of(), IamEvaluation.allowedAttacks(roles, Map.of(
                AwsCall.of(P, "xray:PutTraceSegments", "*"), "segments of a function that does not trace")));
    }

    private static String mode(ExecutionRoles roles, String function) {
        return roles.resolve(roles.translated().path("Resources").path(function).path("Properties")
                .path("TracingConfig").path("Mode")).asText();
    }

}

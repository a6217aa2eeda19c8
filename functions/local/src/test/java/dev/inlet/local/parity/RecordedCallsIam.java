package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.iam.AwsCall;
import dev.inlet.local.iam.ExecutionRoles;
import dev.inlet.local.iam.IamEvaluation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The calls {@link RuntimeParityTest} recorded, against the roles SAM's translator makes from the
 * template, both ways: every call is allowed by its function's role (evaluated with IAM's rules), and
 * every grant is used by a call or listed with its reason ({@link IamEvaluation#UNUSED_BY_DESIGN}).
 */
final class RecordedCallsIam {
    private RecordedCallsIam() {
    }

    static void check(SamTemplate template, AwsCallRecorder recorder) throws Exception {
        List<AwsCall> calls = recorder.calls();
        assertEquals(List.of(), recorder.unread(), "every recorded request is read");
        Set<String> functions = calls.stream().map(AwsCall::function).collect(Collectors.toSet());
        assertEquals(template.functions().stream().map(SamTemplate.Function::logicalId).collect(Collectors.toSet()),
                functions, "every function made AWS calls in the run");
        assertTrue(calls.stream().anyMatch(c -> c.action().equals("secretsmanager:GetSecretValue")),
                "a receiver read its secret by ARN: " + calls);

        // The secret parameters as deployed: the ARN each function was given is the one it read.
        Map<String, String> parameters = ExecutionRoles.defaultParameters();
        for (AwsCall c : calls) {
            if (c.action().equals("secretsmanager:GetSecretValue")) {
                SamTemplate.Function f = template.functions().stream().filter(fn -> fn.logicalId().equals(c.function()))
                        .findFirst().orElseThrow();
                f.environment().forEach((name, value) -> {
                    JsonNode ref = value.path("Ref");
                    if (name.endsWith("_ARN") && ref.isTextual()) {
                        parameters.put(ref.asText(), c.resource());
                    }
                });
            }
        }
        parameters.put("SecretsKmsKeyArn", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        ExecutionRoles roles = ExecutionRoles.of(ParityFixtures.ROOT.resolve("template.yaml"), parameters);
        assertEquals(List.of(), IamEvaluation.refusedCalls(roles, calls), "calls the functions made that their roles refuse");
        assertEquals(List.of(), IamEvaluation.unexplainedGrants(roles, calls), "grants no call used, without a reason");
    }
}

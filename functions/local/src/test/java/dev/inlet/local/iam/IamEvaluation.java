package dev.inlet.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Least privilege, checked both ways by evaluation (IAM's own rules, {@link Simulator}): every call a
 * function made is allowed by its role; every grant of the role is used by some call it made, or is
 * listed in {@link #UNUSED_BY_DESIGN} with the reason; every attack in a list is denied.
 */
public final class IamEvaluation {
    /**
     * Grants that no recorded call uses, and why they are there anyway: "function action" ("* action" for
     * every function, "*ReceiverFunction action" for the four receivers).
     */
    public static final Map<String, String> UNUSED_BY_DESIGN = Map.ofEntries(
            Map.entry("* logs:CreateLogGroup", "Lambda writes the function's logs with its role (not an SDK call of ours)"),
            Map.entry("* logs:CreateLogStream", "Lambda writes the function's logs with its role"),
            Map.entry("* logs:PutLogEvents", "Lambda writes the function's logs with its role"),
            Map.entry("ProcessorFunction sqs:ReceiveMessage", "the SQS event source mapping polls the events queue with the processor's role"),
            Map.entry("ProcessorFunction sqs:DeleteMessage", "the event source mapping deletes the messages of a batch that succeeded"),
            Map.entry("ProcessorFunction sqs:SendMessage", "parks the message of a record whose own attempts ran out "
                    + "in the dead-letter queue (ProcessorFateParityTest does it under the runtime client); this run's "
                    + "records all complete"),
            Map.entry("SweeperFunction dynamodb:GetItem", "the stranded-record audit reads a record its index "
                    + "lists as due (StrandedAuditParityTest does it under the runtime client); this run strands none "
                    + "past the queue's visibility window"),
            Map.entry("ProcessorFunction sqs:GetQueueAttributes", "the event source mapping reads the queue's attributes when it is created"),
            Map.entry("* kms:Decrypt", "only with SecretsKmsKeyArn set: Secrets Manager decrypts the secret with the caller's kms:Decrypt (kms:ViaService); the local run has no KMS"),
            Map.entry("ProcessorFunction dynamodb:GetItem", "SnapStart priming reads one item before the snapshot "
                    + "(ProcessingService, key priming#priming), and a large body is read from its own item (bodyRef); "
                    + "the run has neither SnapStart nor a body that large"),
            receivers("dynamodb:GetItem", "SnapStart priming reads the provider's own priming item before the "
                    + "snapshot (IntakeService, key <provider>#priming); the runtime client runs without SnapStart"),
            receivers("dynamodb:UpdateItem", "a provider retry of a record whose intake lease ran out takes the lease "
                    + "over (IntakeService.takeOverIntakeLease); the run's retries arrive while the lease is live"),
            Map.entry("* xray:PutTraceSegments", "Tracing: Active: Lambda sends the function's trace segments with its role (not an SDK call of ours)"),
            Map.entry("* xray:PutTelemetryRecords", "Tracing: Active: Lambda sends X-Ray telemetry with the function's role"),
            receivers("xray:GetSamplingRules", "in AWSXrayWriteOnlyAccess, which SAM attaches to the roles it makes for "
                    + "Tracing: Active; only an X-Ray SDK's centralized sampling calls it, and the functions have none"),
            receivers("xray:GetSamplingTargets", "in AWSXrayWriteOnlyAccess (SAM, Tracing: Active); for an X-Ray SDK only"),
            receivers("xray:GetSamplingStatisticSummaries", "in AWSXrayWriteOnlyAccess (SAM, Tracing: Active); for an X-Ray SDK only"),
            Map.entry("ProcessorFunction events:PutEvents", "publishes entity changes to the stack's bus; events/env.json "
                    + "switches publishing off for the parity run (EventBridgeBusTest and the processor's end-to-end test "
                    + "publish to moto's EventBridge)"),
            Map.entry("* secretsmanager:GetSecretValue", "reads its own secret at run time; the parity run reads by ARN from Secrets Manager (moto) for one receiver, the others run the same ReceiverFunction code with their list in the environment"));

    /**
     * Actions for which IAM's service authorization reference lists no resource type (X-Ray's trace writes
     * and sampling reads): {@code "*"} is the only resource they can be granted on.
     */
    public static final java.util.Set<String> NO_RESOURCE_TYPES = java.util.Set.of("xray:PutTraceSegments",
            "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
            "xray:GetSamplingStatisticSummaries");

    private IamEvaluation() {
    }

    private static Map.Entry<String, String> receivers(String action, String reason) {
        return Map.entry("*ReceiverFunction " + action, reason);
    }

    /** Calls the role does not allow (each with the simulator's answer): none may remain. */
    public static List<String> refusedCalls(ExecutionRoles roles, List<AwsCall> calls) throws IOException {
        Simulator sim = new Simulator();
        List<AwsCall> asked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (AwsCall call : calls) {
            ExecutionRoles.Role role = roles.byFunction().get(call.function());
            if (role == null) {
                problems.add(call + ": no function of that name in the template");
                continue;
            }
            sim.identity(call, role.roleId(), role.policies());
            asked.add(call);
        }
        List<String> answers = sim.run();
        for (int i = 0; i < asked.size(); i++) {
            if (!answers.get(i).equals("Allowed")) {
                problems.add(asked.get(i) + " is " + answers.get(i) + " by " + asked.get(i).function() + "'s role");
            }
        }
        return problems;
    }

    /** Attacks the role allows: none may remain. */
    public static List<String> allowedAttacks(ExecutionRoles roles, Map<AwsCall, String> attacks) throws IOException {
        Simulator sim = new Simulator();
        List<Map.Entry<AwsCall, String>> asked = new ArrayList<>(attacks.entrySet());
        for (Map.Entry<AwsCall, String> a : asked) {
            ExecutionRoles.Role role = roles.byFunction().get(a.getKey().function());
            sim.identity(a.getKey(), role.roleId(), role.policies());
        }
        List<String> answers = sim.run();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            if (!answers.get(i).startsWith("ImplicitlyDenied") && !answers.get(i).startsWith("ExplicitlyDenied")) {
                problems.add(asked.get(i).getValue() + ": " + asked.get(i).getKey() + " is " + answers.get(i));
            }
        }
        return problems;
    }

    /**
     * Grants (one action of one statement) that no recorded call of the function uses and that
     * {@link #UNUSED_BY_DESIGN} does not explain.
     */
    public static List<String> unexplainedGrants(ExecutionRoles roles, List<AwsCall> calls) throws IOException {
        Simulator sim = new Simulator();
        Map<String, List<Integer>> byGrant = new LinkedHashMap<>();
        for (ExecutionRoles.Role role : roles.byFunction().values()) {
            for (JsonNode named : role.policies()) {
                for (JsonNode statement : statements(named.path("policy"))) {
                    for (String action : strings(statement.path("Action"))) {
                        String grant = role.function() + " " + action + " on " + statement.path("Resource")
                                + (statement.has("Condition") ? " if " + statement.path("Condition") : "")
                                + " (" + named.path("name").asText() + ")";
                        List<Integer> ids = byGrant.computeIfAbsent(grant, k -> new ArrayList<>());
                        ObjectNode single = statement.deepCopy();
                        single.putArray("Action").add(action);
                        ObjectNode policy = Json.object();
                        policy.put("Version", "2012-10-17");
                        policy.putArray("Statement").add(single);
                        ObjectNode one = Json.object();
                        one.put("name", "one-grant");
                        one.set("policy", policy);
                        for (AwsCall call : calls) {
                            if (call.function().equals(role.function())) {
                                ids.add(sim.identity(call, role.roleId(), List.of(one)));
                            }
                        }
                    }
                }
            }
        }
        List<String> answers = sim.run();
        List<String> problems = new ArrayList<>();
        byGrant.forEach((grant, ids) -> {
            boolean used = ids.stream().anyMatch(i -> answers.get(i).equals("Allowed"));
            String function = grant.substring(0, grant.indexOf(' '));
            String action = grant.substring(grant.indexOf(' ') + 1, grant.indexOf(" on "));
            boolean listed = UNUSED_BY_DESIGN.containsKey(function + " " + action)
                    || UNUSED_BY_DESIGN.containsKey("* " + action)
                    || function.endsWith("ReceiverFunction") && UNUSED_BY_DESIGN.containsKey("*ReceiverFunction " + action);
            boolean everyResource = grant.contains(" on \"*\"") || grant.contains(" on [\"*\"");
            if (everyResource && !action.startsWith("logs:") && !NO_RESOURCE_TYPES.contains(action)) {
                problems.add(grant + ": on every resource; only writing logs and traces may be (no reason explains it away)");
            } else if (!used && !listed) {
                problems.add(grant + ": no recorded call uses it and no reason is listed");
            }
        });
        return problems;
    }

    /** A policy's statements, one or a list. */
    public static List<JsonNode> statements(JsonNode policy) {
        JsonNode s = policy.path("Statement");
        List<JsonNode> out = new ArrayList<>();
        if (s.isArray()) {
            s.forEach(out::add);
        } else if (s.isObject()) {
            out.add(s);
        }
        return out;
    }

    public static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            ((ArrayNode) node).forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode()) {
            out.add(node.asText());
        }
        return out;
    }
}

package dev.inlet.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an attacker holding one function's credentials would try, evaluated against that function's role
 * as SAM's translator makes it from template.yaml (IAM's rules: {@link Simulator}). Each must be denied.
 * The attacks are fixed lists per kind of function; the sanity checks show the same evaluation allows
 * the function's own work, so a denial is never vacuous.
 */
class ExecutionRoleAttacksTest {
    private static final Map<String, String> RECEIVERS = Map.of(
            "RheoReceiverFunction", "rheo", "ReverbReceiverFunction", "reverb",
            "ReuselyReceiverFunction", "reusely", "RechatReceiverFunction", "rechat");
    private static final Map<String, String> SECRET_PARAMETER = Map.of(
            "rheo", "RheoWebhookSecretsArn", "reverb", "ReverbPathTokensArn",
            "reusely", "ReuselyWebhookSecretsArn", "rechat", "RechatWebhookKeysArn");
    private static final String OTHER_TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/SomeoneElsesTable";
    private static final String OTHER_QUEUE = "arn:aws:sqs:us-east-1:123456789012:someone-elses-queue";
    private static final String OTHER_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-password-XyZ789";
    private static final String OTHER_BUS = "arn:aws:events:us-east-1:123456789012:event-bus/someone-elses-bus";
    private static final String DEFAULT_BUS = "arn:aws:events:us-east-1:123456789012:event-bus/default";
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";

    private static ExecutionRoles roles;
    private static String events;
    private static String entities;
    private static String queue;
    private static String dlq;

    @BeforeAll
    static void translate() throws Exception {
        roles = ExecutionRoles.of(IamTools.ROOT.resolve("template.yaml"), ExecutionRoles.defaultParameters());
        events = roles.arn("EventsTable");
        entities = roles.arn("EntitiesTable");
        queue = roles.arn("EventsQueue");
        dlq = roles.arn("EventsDeadLetterQueue");
    }

    @Test
    void everyFunction_canDoItsOwnWork_soTheDenialsBelowAreNotVacuous() throws Exception {
        List<AwsCall> own = new ArrayList<>();
        RECEIVERS.forEach((f, p) -> {
            own.add(AwsCall.of(f, "dynamodb:PutItem", events).with("dynamodb:LeadingKeys", p + "#evt-1"));
            own.add(AwsCall.of(f, "sqs:SendMessage", queue));
            own.add(AwsCall.of(f, "secretsmanager:GetSecretValue", ExecutionRoles.secretArn(SECRET_PARAMETER.get(p))));
        });
        own.add(AwsCall.of("ProcessorFunction", "dynamodb:UpdateItem", entities).with("dynamodb:LeadingKeys", "reverb#order#1"));
        own.add(AwsCall.of("ProcessorFunction", "sqs:ReceiveMessage", queue));
        own.add(AwsCall.of("ProcessorFunction", "events:PutEvents", roles.arn("EventBus")));
        own.add(AwsCall.of("SweeperFunction", "dynamodb:Query", events + "/index/outbox"));
        assertEquals(List.of(), IamEvaluation.refusedCalls(roles, own));
    }

    @Test
    void aReceiversCredentials_touchNothingButItsOwnProvidersKeys_itsQueueSend_andItsOwnSecret() throws Exception {
        Map<AwsCall, String> attacks = new LinkedHashMap<>();
        RECEIVERS.forEach((f, p) -> {
            String other = RECEIVERS.values().stream().filter(o -> !o.equals(p)).sorted().findFirst().orElseThrow();
            for (String write : List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem")) {
                attacks.put(AwsCall.of(f, write, events).with("dynamodb:LeadingKeys", other + "#forged"),
                        "another provider's keys (" + write + ")");
            }
            attacks.put(AwsCall.of(f, "dynamodb:PutItem", events).with("dynamodb:LeadingKeys", p + "#a", other + "#b"),
                    "a request naming its own and another provider's keys");
            attacks.put(AwsCall.of(f, "dynamodb:DeleteItem", events).with("dynamodb:LeadingKeys", p + "#evt"), "deleting a record");
            attacks.put(AwsCall.of(f, "dynamodb:Scan", events), "scanning the events table");
            attacks.put(AwsCall.of(f, "dynamodb:Query", events + "/index/listing"), "listing events by provider and day");
            attacks.put(AwsCall.of(f, "dynamodb:BatchWriteItem", events).with("dynamodb:LeadingKeys", p + "#evt"), "batch writes");
            attacks.put(AwsCall.of(f, "dynamodb:DeleteTable", events), "dropping the table");
            for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")) {
                attacks.put(AwsCall.of(f, action, entities).with("dynamodb:LeadingKeys", p + "#x"), "the entities table (" + action + ")");
            }
            attacks.put(AwsCall.of(f, "dynamodb:PutItem", OTHER_TABLE).with("dynamodb:LeadingKeys", p + "#x"), "any other table");
            attacks.put(AwsCall.of(f, "secretsmanager:GetSecretValue", ExecutionRoles.secretArn(SECRET_PARAMETER.get(other))),
                    "another provider's secret");
            attacks.put(AwsCall.of(f, "secretsmanager:GetSecretValue", OTHER_SECRET), "any other secret");
            attacks.put(AwsCall.of(f, "secretsmanager:PutSecretValue", ExecutionRoles.secretArn(SECRET_PARAMETER.get(p))),
                    "overwriting its own secret");
            attacks.put(AwsCall.of(f, "sqs:ReceiveMessage", queue), "receiving from the queue");
            attacks.put(AwsCall.of(f, "sqs:PurgeQueue", queue), "purging the queue");
            attacks.put(AwsCall.of(f, "sqs:DeleteMessage", queue), "deleting queued messages");
            attacks.put(AwsCall.of(f, "sqs:SendMessage", dlq), "sending to the dead-letter queue");
            attacks.put(AwsCall.of(f, "sqs:SendMessage", OTHER_QUEUE), "sending to any other queue");
            attacks.put(AwsCall.of(f, "events:PutEvents", roles.arn("EventBus")), "publishing on the stack's bus");
            attacks.put(AwsCall.of(f, "kms:Decrypt", OTHER_KEY).with("kms:ViaService", "secretsmanager.us-east-1.amazonaws.com"),
                    "decrypting with a key (no SecretsKmsKeyArn given)");
        });
        assertEquals(List.of(), IamEvaluation.allowedAttacks(roles, attacks));
    }

    @Test
    void theProcessorsCredentials_pollOnlyTheEventsQueue_andWriteOnlyWhatProcessingWrites() throws Exception {
        String f = "ProcessorFunction";
        Map<AwsCall, String> attacks = new LinkedHashMap<>();
        attacks.put(AwsCall.of(f, "sqs:ReceiveMessage", OTHER_QUEUE), "receiving from any other queue in the account");
        attacks.put(AwsCall.of(f, "sqs:DeleteMessage", OTHER_QUEUE), "deleting from any other queue in the account");
        attacks.put(AwsCall.of(f, "sqs:ReceiveMessage", dlq), "draining the dead-letter queue");
        attacks.put(AwsCall.of(f, "sqs:PurgeQueue", queue), "purging the queue");
        attacks.put(AwsCall.of(f, "sqs:SendMessage", queue), "sending to the queue");
        attacks.put(AwsCall.of(f, "dynamodb:PutItem", events).with("dynamodb:LeadingKeys", "rheo#forged"), "forging a record");
        attacks.put(AwsCall.of(f, "dynamodb:DeleteItem", events).with("dynamodb:LeadingKeys", "rheo#evt"), "deleting a record");
        attacks.put(AwsCall.of(f, "dynamodb:Scan", events), "scanning the events table");
        attacks.put(AwsCall.of(f, "dynamodb:Query", events + "/index/listing"), "listing events");
        attacks.put(AwsCall.of(f, "dynamodb:DeleteItem", entities).with("dynamodb:LeadingKeys", "rheo#item#1"), "deleting entity state");
        attacks.put(AwsCall.of(f, "dynamodb:Scan", entities), "scanning entity state");
        attacks.put(AwsCall.of(f, "dynamodb:UpdateItem", OTHER_TABLE), "any other table");
        for (String parameter : SECRET_PARAMETER.values()) {
            attacks.put(AwsCall.of(f, "secretsmanager:GetSecretValue", ExecutionRoles.secretArn(parameter)), "a provider's secret");
        }
        attacks.put(AwsCall.of(f, "events:PutEvents", OTHER_BUS), "publishing on another bus");
        attacks.put(AwsCall.of(f, "events:PutEvents", DEFAULT_BUS), "publishing on the account's default bus");
        attacks.put(AwsCall.of(f, "events:PutRule", roles.arn("EventBus").replace(":event-bus/", ":rule/") + "/exfiltrate"),
                "adding a rule to its own bus (routing the events elsewhere)");
        attacks.put(AwsCall.of(f, "events:StartReplay", "arn:aws:events:us-east-1:123456789012:archive/inlet-events"),
                "replaying the archive onto the bus");
        assertEquals(List.of(), IamEvaluation.allowedAttacks(roles, attacks));
    }

    @Test
    void theSweepersCredentials_readOnlyTheOutboxIndex_andSendOnlyToTheEventsQueue() throws Exception {
        String f = "SweeperFunction";
        Map<AwsCall, String> attacks = new LinkedHashMap<>();
        // The stranded-record audit reads a due record by key (GetItem on the events table), so the sweeper's
        // credentials can read stored records, bodies included: docs/security.md lists it. What stays denied:
        attacks.put(AwsCall.of(f, "dynamodb:PutItem", events).with("dynamodb:LeadingKeys", "rheo#forged"), "forging a record");
        attacks.put(AwsCall.of(f, "dynamodb:DeleteItem", events).with("dynamodb:LeadingKeys", "rheo#evt"), "deleting a record");
        attacks.put(AwsCall.of(f, "dynamodb:Scan", events), "scanning the events table");
        attacks.put(AwsCall.of(f, "dynamodb:Query", events), "querying the table itself");
        attacks.put(AwsCall.of(f, "dynamodb:Query", events + "/index/listing"), "the listing index");
        attacks.put(AwsCall.of(f, "dynamodb:UpdateItem", entities), "entity state");
        attacks.put(AwsCall.of(f, "dynamodb:UpdateItem", OTHER_TABLE), "any other table");
        attacks.put(AwsCall.of(f, "sqs:ReceiveMessage", queue), "receiving from the queue");
        attacks.put(AwsCall.of(f, "sqs:PurgeQueue", queue), "purging the queue");
        attacks.put(AwsCall.of(f, "sqs:SendMessage", dlq), "the dead-letter queue");
        attacks.put(AwsCall.of(f, "sqs:SendMessage", OTHER_QUEUE), "any other queue");
        for (String parameter : SECRET_PARAMETER.values()) {
            attacks.put(AwsCall.of(f, "secretsmanager:GetSecretValue", ExecutionRoles.secretArn(parameter)), "a provider's secret");
        }
        assertEquals(List.of(), IamEvaluation.allowedAttacks(roles, attacks));
    }

    @Test
    void noFunction_holdsAnActionOnEveryResource_butWritingItsLogsAndTraces() {
        List<String> wide = new ArrayList<>();
        for (ExecutionRoles.Role role : roles.byFunction().values()) {
            for (JsonNode named : role.policies()) {
                for (JsonNode statement : IamEvaluation.statements(named.path("policy"))) {
                    if (IamEvaluation.strings(statement.path("Resource")).contains("*") || statement.has("NotResource")) {
                        IamEvaluation.strings(statement.path("Action")).stream().filter(a -> !a.startsWith("logs:"))
                                .filter(a -> !IamEvaluation.NO_RESOURCE_TYPES.contains(a))
                                .forEach(a -> wide.add(role.function() + ": " + a + " on * (" + named.path("name").asText() + ")"));
                    }
                }
            }
        }
        assertTrue(roles.byFunction().size() >= 6, "every function's role: " + roles.byFunction().keySet());
        assertEquals(List.of(), wide);
    }
}

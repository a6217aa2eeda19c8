package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.dynamodb.DynamoDbAuditIndex;
import dev.inlet.embedded.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What template.yaml gives the stranded-record audit, checked against the queue and the code. */
class AuditTemplateTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(SamTemplate.locate());

    private static SamTemplate.Function sweeper() {
        return TEMPLATE.functions().stream().filter(SamTemplate.Function::scheduled).findFirst().orElseThrow();
    }

    @Test
    void sweepersVisibilityWindow_isTheEventsQueuesVisibilityTimeout() {
        JsonNode queue = TEMPLATE.resourcesOfType("AWS::SQS::Queue").get("EventsQueue").path("Properties");

        assertEquals(queue.path("VisibilityTimeout").asText(), sweeper().environment().get("QUEUE_VISIBILITY_SECONDS")
                .asText(), "a shorter window would return records whose message is still on its way");
    }

    @Test
    void auditIndex_isSparseKeysOnlyAndSharded_andTheSweeperMayQueryOnlyItAndTheOutbox() {
        JsonNode table = TEMPLATE.resourcesOfType("AWS::DynamoDB::Table").get("EventsTable").path("Properties");
        JsonNode index = null;
        for (JsonNode gsi : table.path("GlobalSecondaryIndexes")) {
            if (gsi.path("IndexName").asText().equals(DynamoDbAuditIndex.AUDIT_INDEX)) {
                index = gsi;
            }
        }
        assertTrue(index != null, "the events table has the audit index");
        assertEquals("auditShard", index.path("KeySchema").get(0).path("AttributeName").asText());
        assertEquals("auditAt", index.path("KeySchema").get(1).path("AttributeName").asText());
        assertEquals("KEYS_ONLY", index.path("Projection").path("ProjectionType").asText(),
                "no status update writes it");

        List<String> queried = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        for (JsonNode policy : sweeper().properties().path("Policies")) {
            for (JsonNode statement : policy.path("Statement")) {
                String actions = statement.path("Action").toString();
                if (actions.contains("dynamodb:Query")) {
                    queried.add(statement.path("Resource").toString());
                }
                if (actions.contains("dynamodb:GetItem")) {
                    reads.add(statement.path("Resource").toString());
                }
                assertTrue(!actions.contains("Scan") && !actions.contains("*"), "no scan, no wildcard: " + actions);
            }
        }
        assertEquals(List.of("{\"Fn::Sub\":\"${EventsTable.Arn}/index/outbox\"}",
                "{\"Fn::Sub\":\"${EventsTable.Arn}/index/audit\"}"), queried);
        assertEquals(List.of("{\"Fn::GetAtt\":[\"EventsTable\",\"Arn\"]}"), reads);
    }
}

package dev.inlet.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the tables and queues that template.yaml declares on the embedded backends, named by their
 * logical ids, and resolves {@code !Ref} / {@code !GetAtt} of them to local names, URLs and ARNs.
 */
public final class LocalResources {
    private final Map<String, String> refs = new HashMap<>();
    private final Map<String, String> arns = new HashMap<>();
    private final String prefix;

    private LocalResources(String prefix) {
        this.prefix = prefix;
    }

    /**
     * @param prefix prepended to every table and queue name, so several stacks can share one pair of
     *               backends (tests); empty for {@code ./inlet local}
     * @param visibilityOverride when present, every queue's visibility timeout (seconds): local retries
     *                           come back in seconds instead of the deployed minutes
     */
    public static LocalResources create(SamTemplate template, Backends backends, String prefix,
                                        Optional<Integer> visibilityOverride) {
        LocalResources r = new LocalResources(prefix);
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, node) -> r.createTable(backends, id, node));
        Map<String, JsonNode> queues = template.resourcesOfType("AWS::SQS::Queue");
        List<String> ordered = new ArrayList<>();
        queues.forEach((id, node) -> {
            if (node.path("Properties").path("RedrivePolicy").isMissingNode()) {
                ordered.add(0, id);
            } else {
                ordered.add(id);
            }
        });
        for (String id : ordered) {
            r.createQueue(backends, id, queues.get(id), visibilityOverride);
        }
        return r;
    }

    /** What {@code !Ref logicalId} means locally: a table's name, a queue's URL. */
    public Optional<String> ref(String logicalId) {
        return Optional.ofNullable(refs.get(logicalId));
    }

    public Optional<String> arn(String logicalId) {
        return Optional.ofNullable(arns.get(logicalId));
    }

    /** Resolves a template value to a local string when it is plain, a Ref or a GetAtt of a local resource. */
    public Optional<String> resolve(JsonNode value) {
        if (value.isTextual()) {
            return Optional.of(value.asText());
        }
        if (value.has("Ref")) {
            return ref(value.get("Ref").asText());
        }
        if (value.has("Fn::GetAtt")) {
            JsonNode parts = value.get("Fn::GetAtt");
            String id = parts.get(0).asText();
            return "Arn".equals(parts.get(1).asText()) ? arn(id) : ref(id);
        }
        return Optional.empty();
    }

    private void createTable(Backends backends, String id, JsonNode node) {
        JsonNode props = node.path("Properties");
        String name = prefix + (props.path("TableName").isTextual() ? props.path("TableName").asText() : id);
        List<AttributeDefinition> attributes = new ArrayList<>();
        props.path("AttributeDefinitions").forEach(a -> attributes.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText()).attributeType(a.path("AttributeType").asText()).build()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        props.path("GlobalSecondaryIndexes").forEach(g -> {
            JsonNode projection = g.path("Projection");
            Projection.Builder p = Projection.builder().projectionType(projection.path("ProjectionType").asText("ALL"));
            List<String> nonKey = new ArrayList<>();
            projection.path("NonKeyAttributes").forEach(n -> nonKey.add(n.asText()));
            if (!nonKey.isEmpty()) {
                p.nonKeyAttributes(nonKey);
            }
            indexes.add(GlobalSecondaryIndex.builder().indexName(g.path("IndexName").asText())
                    .keySchema(keySchema(g.path("KeySchema"))).projection(p.build()).build());
        });
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(attributes).keySchema(keySchema(props.path("KeySchema")))
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        try {
            backends.dynamo().createTable(request.build());
        } catch (ResourceInUseException alreadyThere) {
            // a second stack on the same backends: the table is what the template says already
        }
        refs.put(id, name);
        arns.put(id, "arn:aws:dynamodb:" + backends.region() + ":000000000000:table/" + name);
    }

    private void createQueue(Backends backends, String id, JsonNode node, Optional<Integer> visibility) {
        JsonNode props = node.path("Properties");
        String name = prefix + (props.path("QueueName").isTextual() ? props.path("QueueName").asText() : id);
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        visibility.map(String::valueOf).or(() -> Optional.ofNullable(props.path("VisibilityTimeout").textValue()))
                .ifPresent(v -> attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, v));
        JsonNode redrive = props.path("RedrivePolicy");
        if (!redrive.isMissingNode()) {
            String target = resolve(redrive.path("deadLetterTargetArn")).orElseThrow(() ->
                    new IllegalStateException(id + ": dead-letter target must be a queue of this template"));
            attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + target
                    + "\",\"maxReceiveCount\":\"" + redrive.path("maxReceiveCount").asText("5") + "\"}");
        }
        String url = backends.sqs().createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
        String arn = backends.sqs().getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        refs.put(id, url);
        arns.put(id, arn);
    }

    private static List<KeySchemaElement> keySchema(JsonNode node) {
        List<KeySchemaElement> out = new ArrayList<>();
        node.forEach(k -> out.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(k.path("KeyType").asText()).build()));
        return out;
    }
}

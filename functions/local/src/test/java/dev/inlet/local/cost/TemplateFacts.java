package dev.inlet.local.cost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.embedded.SamTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the bill needs from template.yaml under given parameter values: the resources whose conditions
 * hold, counted, and the functions' memory, architecture and schedules. A resource type or a function the
 * model does not know fails, so a new cost cannot slip in unpriced.
 */
record TemplateFacts(int receivers, int secrets, int alarms, int dashboards, int kmsKeys, int awsManagedKeyTables,
                     boolean pitr, boolean arm64, double receiverGb, double processorGb, int processorBatchSize,
                     double sweeperGb, double sweeperRunsPerMonth, int logRetentionDays, int eventRetentionDays,
                     boolean publishes, int archiveRetentionDays, int exampleRuleQueues, int tracedReceivers,
                     boolean processorTraced) {

    /**
     * Types the model prices (or knows to be free: the log groups' own cost is in logs, SNS idles free, IAM
     * roles are free, a metric filter is free and its 429 series exists only in hours with a 429).
     */
    static final Set<String> KNOWN_TYPES = Set.of("AWS::Serverless::Function", "AWS::Serverless::HttpApi",
            "AWS::Logs::LogGroup", "AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::SNS::Topic",
            "AWS::SNS::Subscription", "AWS::CloudWatch::Alarm", "AWS::KMS::Key", "AWS::CloudWatch::Dashboard",
            "AWS::IAM::Role", "AWS::Logs::MetricFilter", "AWS::Events::EventBus", "AWS::Events::Archive",
            "AWS::Events::Rule", "AWS::SQS::QueuePolicy");
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours)\\)");

    static TemplateFacts read(SamTemplate template, Map<String, String> parameters) {
        JsonNode root = template.root();
        Map<String, String> values = new HashMap<>();
        root.path("Parameters").properties().forEach(e -> values.put(e.getKey(), e.getValue().path("Default").asText("")));
        values.putAll(parameters);
        Conditions conditions = new Conditions(root.path("Conditions"), values);

        List<String> unknown = new ArrayList<>();
        root.path("Resources").properties().forEach(e -> {
            if (!KNOWN_TYPES.contains(e.getValue().path("Type").asText())) {
                unknown.add(e.getKey() + " (" + e.getValue().path("Type").asText() + ")");
            }
        });
        if (!unknown.isEmpty()) {
            throw new AssertionError("resources the monthly bill does not price: " + unknown
                    + "; add them to TemplateFacts and docs/performance.md section 6");
        }
        int alarms = count(template, "AWS::CloudWatch::Alarm", conditions);
        int dashboards = count(template, "AWS::CloudWatch::Dashboard", conditions);
        int keys = count(template, "AWS::KMS::Key", conditions);
        int secrets = 0;
        for (var p : (Iterable<Map.Entry<String, JsonNode>>) root.path("Parameters").properties()::iterator) {
            // A secret ARN parameter left empty (an optional one, such as ReverbApiTokenArn) names no secret.
            if (p.getValue().path("AllowedPattern").asText().contains(":secretsmanager:")
                    && !(p.getValue().has("Default") && values.getOrDefault(p.getKey(), "").isEmpty())) {
                secrets++;
            }
        }
        int awsManagedKeyTables = 0;
        boolean pitr = false;
        for (JsonNode table : template.resourcesOfType("AWS::DynamoDB::Table").values()) {
            JsonNode sse = table.path("Properties").path("SSESpecification");
            if (sse.path("SSEEnabled").asBoolean(false) && sse.path("KMSMasterKeyId").isMissingNode()) {
                awsManagedKeyTables++;
            }
            pitr |= table.path("Properties").path("PointInTimeRecoverySpecification")
                    .path("PointInTimeRecoveryEnabled").asBoolean(false);
        }

        JsonNode globals = root.path("Globals").path("Function");
        boolean arm64 = globals.path("Architectures").toString().contains("arm64");
        int receivers = 0;
        double receiverGb = 0;
        double processorGb = 0;
        int batch = 10;
        double sweeperGb = 0;
        double sweeperRuns = 0;
        int eventRetention = 30; // IntakeSettings' default for EVENT_RETENTION_DAYS
        int tracedReceivers = 0;
        boolean processorTraced = false;
        if (!globals.path("Tracing").isMissingNode()) {
            throw new AssertionError("X-Ray tracing in Globals: the bill prices it per function (receivers, processor)");
        }
        for (SamTemplate.Function f : template.functions()) {
            JsonNode props = f.properties();
            JsonNode tracing = props.path("Tracing");
            String mode = tracing.has("Ref") ? values.getOrDefault(tracing.path("Ref").asText(), "") : tracing.asText("");
            boolean traced = mode.equals("Active");
            if (!tracing.isMissingNode() && !traced && !mode.equals("PassThrough")) {
                throw new AssertionError(f.logicalId() + ": a Tracing mode the bill does not price: " + tracing);
            }
            if (traced && f.routes().isEmpty() && !f.sqsTriggered()) {
                throw new AssertionError(f.logicalId() + " has X-Ray tracing: price it in the monthly bill");
            }
            if (traced && !f.routes().isEmpty()) {
                tracedReceivers++;
            }
            processorTraced |= traced && f.sqsTriggered();
            double gb = props.path("MemorySize").asDouble(globals.path("MemorySize").asDouble(128)) / 1024.0;
            if (f.environment().containsKey("EVENT_RETENTION_DAYS")) {
                eventRetention = f.environment().get("EVENT_RETENTION_DAYS").asInt(eventRetention);
            }
            if (!f.routes().isEmpty()) {
                receivers++;
                receiverGb = Math.max(receiverGb, gb);
            } else if (f.sqsTriggered()) {
                processorGb = gb;
                batch = props.path("Events").elements().next().path("Properties").path("BatchSize").asInt(10);
            } else if (f.scheduled() && f.logicalId().equals("SweeperFunction")) {
                sweeperGb = gb;
                for (JsonNode event : props.path("Events")) {
                    Matcher m = RATE.matcher(event.path("Properties").path("Schedule").asText());
                    if (!m.matches()) {
                        throw new AssertionError("the sweeper's schedule is not a rate the bill reads: " + event);
                    }
                    double minutes = Double.parseDouble(m.group(1)) * (m.group(2).startsWith("hour") ? 60 : 1);
                    sweeperRuns += CostInputs.HOURS_PER_MONTH * 60 / minutes;
                }
            } else if (f.logicalId().equals("ReconcilerFunction")) {
                // Reconciliation runs only with a Reverb API token (ReverbApiTokenArn; empty by default, and
                // then its schedule is disabled): the bill prices the stack without it.
                if (!values.getOrDefault("ReverbApiTokenArn", "").isEmpty()) {
                    throw new AssertionError("the monthly bill does not price reconciliation runs yet");
                }
            } else {
                throw new AssertionError("a function the monthly bill does not price: " + f.logicalId());
            }
        }
        int logRetention = Integer.parseInt(values.getOrDefault("LogRetentionDays", "30"));
        boolean publishes = count(template, "AWS::Events::Archive", conditions) > 0;
        int archiveRetention = Integer.parseInt(values.getOrDefault("EventArchiveRetentionDays", "30"));
        if (publishes && archiveRetention == 0) {
            throw new AssertionError("an archive kept for ever grows without end: the bill prices a retention in days");
        }
        int ruleQueues = 0;
        for (Map.Entry<String, JsonNode> rule : template.resourcesOfType("AWS::Events::Rule").entrySet()) {
            JsonNode r = rule.getValue();
            if (r.path("Condition").isMissingNode() || conditions.holds(r.path("Condition").asText())) {
                for (JsonNode target : r.path("Properties").path("Targets")) {
                    String arn = target.path("Arn").path("Fn::GetAtt").path(0).asText();
                    if (!template.resourcesOfType("AWS::SQS::Queue").containsKey(arn)) {
                        throw new AssertionError(rule.getKey() + ": a rule target the bill does not price: " + target);
                    }
                    ruleQueues++;
                }
            }
        }
        return new TemplateFacts(receivers, secrets, alarms, dashboards, keys, awsManagedKeyTables, pitr, arm64,
                receiverGb, processorGb, batch, sweeperGb, sweeperRuns, logRetention, eventRetention, publishes,
                archiveRetention, ruleQueues, tracedReceivers, processorTraced);
    }

    private static int count(SamTemplate template, String type, Conditions conditions) {
        return (int) template.resourcesOfType(type).values().stream()
                .filter(r -> r.path("Condition").isMissingNode() || conditions.holds(r.path("Condition").asText()))
                .count();
    }

    /** CloudFormation's condition functions over parameter values: Equals, Not, And, Or, Condition. */
    record Conditions(JsonNode definitions, Map<String, String> values) {
        boolean holds(String name) {
            JsonNode definition = definitions.path(name);
            if (definition.isMissingNode()) {
                throw new AssertionError("no condition " + name);
            }
            return eval(definition);
        }

        private boolean eval(JsonNode node) {
            if (node.has("Condition") || node.has("Fn::Condition")) { // !Condition X reads as Fn::Condition
                return holds(node.path(node.has("Condition") ? "Condition" : "Fn::Condition").asText());
            }
            if (node.has("Fn::Equals")) {
                return value(node.path("Fn::Equals").get(0)).equals(value(node.path("Fn::Equals").get(1)));
            }
            if (node.has("Fn::Not")) {
                return !eval(node.path("Fn::Not").get(0));
            }
            if (node.has("Fn::And")) {
                boolean all = true;
                for (JsonNode n : node.path("Fn::And")) {
                    all &= eval(n);
                }
                return all;
            }
            if (node.has("Fn::Or")) {
                boolean any = false;
                for (JsonNode n : node.path("Fn::Or")) {
                    any |= eval(n);
                }
                return any;
            }
            throw new AssertionError("a condition the bill cannot evaluate: " + node);
        }

        private String value(JsonNode node) {
            if (node.has("Ref")) {
                String v = values.get(node.path("Ref").asText());
                if (v == null) {
                    throw new AssertionError("a condition on " + node + ", not a parameter");
                }
                return v;
            }
            return node.asText();
        }
    }
}

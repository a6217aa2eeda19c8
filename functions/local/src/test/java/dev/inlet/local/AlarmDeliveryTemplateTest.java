package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.embedded.SamTemplate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Alarm notifications must be deliverable: CloudWatch publishes to an encrypted SNS topic only when the
 * topic's KMS key policy lets {@code cloudwatch.amazonaws.com} use the key, which an AWS-managed key
 * ({@code alias/aws/sns}) never does.
 */
class AlarmDeliveryTemplateTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(SamTemplate.locate());

    @Test
    void everyTopicAnAlarmNotifies_isUnencryptedOrUsesAKeyWhosePolicyLetsCloudWatchPublish() {
        Map<String, JsonNode> keys = TEMPLATE.resourcesOfType("AWS::KMS::Key");
        Set<String> topics = notifiedTopics();
        assertFalse(topics.isEmpty(), "the alarms notify a topic");
        for (String topic : topics) {
            JsonNode keyId = TEMPLATE.resourcesOfType("AWS::SNS::Topic").get(topic).path("Properties").path("KmsMasterKeyId");
            // With an !If (the key only when AlarmEmail is set), each branch is checked: a key, or none.
            List<JsonNode> choices = keyId.has("Fn::If") ? List.of(keyId.path("Fn::If").path(1), keyId.path("Fn::If").path(2))
                    : List.of(keyId);
            for (JsonNode choice : choices) {
                if (choice.isMissingNode() || choice.path("Ref").asText().equals("AWS::NoValue")) {
                    continue;
                }
                String keyRef = choice.path("Ref").asText(choice.path("Fn::GetAtt").path(0).asText(""));
                assertTrue(keys.containsKey(keyRef), topic + " is encrypted with " + choice
                        + ": not a key of this template, so its policy cannot let CloudWatch use it");
                assertTrue(letsCloudWatchPublish(keys.get(keyRef).path("Properties").path("KeyPolicy")),
                        keyRef + "'s policy must allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*");
                if (keyId.has("Fn::If")) {
                    assertEquals(keyId.path("Fn::If").path(0).asText(), keys.get(keyRef).path("Condition").asText(),
                            keyRef + " exists under the same condition the topic uses it under");
                }
            }
        }
    }

    @Test
    void aKeyPolicyWithoutCloudWatch_isRecognisedAsUndeliverable() {
        JsonNode accountOnly = TEMPLATE.resourcesOfType("AWS::KMS::Key").values().iterator().next()
                .path("Properties").path("KeyPolicy").deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) accountOnly.path("Statement")).removeIf(
                s -> s.path("Principal").has("Service"));
        assertFalse(letsCloudWatchPublish(accountOnly));
    }

    @Test
    void theDashboard_isAStackOutputAsItsConsoleUrl() {
        Map<String, JsonNode> dashboards = TEMPLATE.resourcesOfType("AWS::CloudWatch::Dashboard");
        assertEquals(1, dashboards.size(), "one dashboard per stack");
        String id = dashboards.keySet().iterator().next();
        JsonNode url = TEMPLATE.root().path("Outputs").path("DashboardUrl").path("Value").path("Fn::Sub");
        assertTrue(url.asText().contains("#dashboards/dashboard/${" + id + "}"), "DashboardUrl: " + url);
    }

    private static Set<String> notifiedTopics() {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode alarm : TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm").values()) {
            for (String list : List.of("AlarmActions", "OKActions", "InsufficientDataActions")) {
                alarm.path("Properties").path(list).forEach(a -> out.add(a.path("Ref").asText()));
            }
        }
        return out;
    }

    /**
     * No condition, or conditions only on aws:SourceAccount / aws:SourceArn, which CloudWatch sends with
     * every alarm it publishes (issue 23; SecretAndKeyGrantsTest evaluates them).
     */
    private static boolean onlyAboutTheAlarmsSource(JsonNode condition) {
        for (JsonNode operator : condition) {
            for (String key : (Iterable<String>) operator::fieldNames) {
                if (!key.equals("aws:SourceAccount") && !key.equals("aws:SourceArn")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean letsCloudWatchPublish(JsonNode policy) {
        List<String> granted = new ArrayList<>();
        for (JsonNode s : policy.path("Statement")) {
            JsonNode service = s.path("Principal").path("Service");
            boolean cloudWatch = service.asText().equals("cloudwatch.amazonaws.com")
                    || (service.isArray() && service.toString().contains("\"cloudwatch.amazonaws.com\""));
            if (cloudWatch && s.path("Effect").asText().equals("Allow") && s.path("Resource").asText().equals("*")
                    && onlyAboutTheAlarmsSource(s.path("Condition"))) {
                if (s.path("Action").isArray()) {
                    s.path("Action").forEach(a -> granted.add(a.asText()));
                } else {
                    granted.add(s.path("Action").asText());
                }
            }
        }
        return (granted.contains("kms:*") || granted.contains("kms:Decrypt") && granted.contains("kms:GenerateDataKey*"));
    }
}

package dev.inlet.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.embedded.SamTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The secrets' parameters and the two KMS grants, by evaluation: the optional customer-managed key of
 * the secrets, and the alarm topic's key as CloudWatch may use it.
 */
class SecretAndKeyGrantsTest {
    private static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/99999999-12ab-34cd-56ef-1234567890ab";
    private static final String VIA_SECRETS_MANAGER = "secretsmanager.us-east-1.amazonaws.com";

    @Test
    void secretArnParameters_acceptOnlyAFullSecretArn_whichAPolicyCanMatch() {
        SamTemplate template = SamTemplate.load(IamTools.ROOT.resolve("template.yaml"));
        int checked = 0;
        for (Map.Entry<String, JsonNode> p : template.root().path("Parameters").properties()) {
            if (!p.getKey().endsWith("Arn") || p.getKey().equals("SecretsKmsKeyArn")) {
                continue;
            }
            checked++;
            Pattern allowed = Pattern.compile(p.getValue().path("AllowedPattern").asText());
            String full = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:inlet/rheo-webhook-secrets-a1B2c3";
            assertTrue(allowed.matcher(full).matches(), p.getKey() + " accepts the ARN create-secret prints");
            for (String refused : List.of(
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:inlet/rheo-webhook-secrets", // partial: no suffix
                    "inlet/rheo-webhook-secrets-a1B2c3",                                            // a name
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*",                       // a wildcard
                    "arn:aws:ssm:eu-west-1:123456789012:parameter/inlet-a1B2c3")) {                  // another service
                assertFalse(allowed.matcher(refused).matches(), p.getKey() + " refuses " + refused);
            }
        }
        assertEquals(5, checked, "the four webhook secrets and the Reverb API token (optional: may also be empty)");
    }

    @Test
    void withSecretsKmsKeyArn_theReceiversMayDecryptWithThatKeyAlone_andOnlyThroughSecretsManager() throws Exception {
        Map<String, String> parameters = ExecutionRoles.defaultParameters();
        parameters.put("SecretsKmsKeyArn", KEY);
        ExecutionRoles roles = ExecutionRoles.of(IamTools.ROOT.resolve("template.yaml"), parameters);
        List<String> receivers = roles.byFunction().keySet().stream().filter(f -> f.endsWith("ReceiverFunction")).toList();
        assertEquals(4, receivers.size());
        List<AwsCall> allowed = receivers.stream().map(f -> AwsCall.of(f, "kms:Decrypt", KEY)
                .with("kms:ViaService", VIA_SECRETS_MANAGER)).toList();
        assertEquals(List.of(), IamEvaluation.refusedCalls(roles, allowed));

        Map<AwsCall, String> attacks = new LinkedHashMap<>();
        for (String f : receivers) {
            attacks.put(AwsCall.of(f, "kms:Decrypt", KEY), "decrypting directly, not through Secrets Manager");
            attacks.put(AwsCall.of(f, "kms:Decrypt", KEY).with("kms:ViaService", "s3.us-east-1.amazonaws.com"), "through another service");
            attacks.put(AwsCall.of(f, "kms:Decrypt", OTHER_KEY).with("kms:ViaService", VIA_SECRETS_MANAGER), "another key");
            attacks.put(AwsCall.of(f, "kms:Encrypt", KEY).with("kms:ViaService", VIA_SECRETS_MANAGER), "another action");
        }
        for (String f : List.of("ProcessorFunction", "SweeperFunction")) {
            attacks.put(AwsCall.of(f, "kms:Decrypt", KEY).with("kms:ViaService", VIA_SECRETS_MANAGER), "a function that reads no secret");
        }
        assertEquals(List.of(), IamEvaluation.allowedAttacks(roles, attacks));
    }

    @Test
    void theAlarmTopicsKey_letsCloudWatchUseItForThisAccountsAlarmsOnly() throws Exception {
        ExecutionRoles roles = ExecutionRoles.of(IamTools.ROOT.resolve("template.yaml"), ExecutionRoles.defaultParameters());
        JsonNode keyPolicy = roles.resolve(roles.translated().path("Resources").path("AlarmTopicKey").path("Properties")
                .path("KeyPolicy"));
        String key = roles.arn("AlarmTopicKey");
        String ownAlarm = roles.arn("DeadLetterQueueNotEmptyAlarm");
        String cloudWatch = "cloudwatch.amazonaws.com";
        Simulator sim = new Simulator();
        for (String action : List.of("kms:Decrypt", "kms:GenerateDataKey")) {
            sim.resource(AwsCall.of("-", action, key).with("aws:SourceAccount", ExecutionRoles.ACCOUNT)
                    .with("aws:SourceArn", ownAlarm), cloudWatch, keyPolicy);
        }
        List<String> own = sim.run();
        assertEquals(List.of("Allowed", "Allowed"), own, "CloudWatch publishes this account's alarms");

        Map<String, AwsCall> attacks = new LinkedHashMap<>();
        attacks.put("another account's alarm", AwsCall.of("-", "kms:GenerateDataKey", key)
                .with("aws:SourceAccount", "999999999999").with("aws:SourceArn", "arn:aws:cloudwatch:us-east-1:999999999999:alarm:theirs"));
        attacks.put("an alarm ARN of another account under this account's id", AwsCall.of("-", "kms:GenerateDataKey", key)
                .with("aws:SourceAccount", ExecutionRoles.ACCOUNT).with("aws:SourceArn", "arn:aws:cloudwatch:us-east-1:999999999999:alarm:theirs"));
        attacks.put("a request without its source", AwsCall.of("-", "kms:GenerateDataKey", key));
        attacks.put("a CloudWatch resource that is not an alarm", AwsCall.of("-", "kms:Decrypt", key)
                .with("aws:SourceAccount", ExecutionRoles.ACCOUNT)
                .with("aws:SourceArn", "arn:aws:cloudwatch:us-east-1:123456789012:dashboard/inlet"));
        Simulator denied = new Simulator();
        attacks.values().forEach(c -> denied.resource(c, cloudWatch, keyPolicy));
        List<String> answers = denied.run();
        List<String> allowedAttacks = new java.util.ArrayList<>();
        int i = 0;
        for (String what : attacks.keySet()) {
            if (answers.get(i++).equals("Allowed")) {
                allowedAttacks.add(what);
            }
        }
        assertEquals(List.of(), allowedAttacks, "CloudWatch may not use the key for these");
    }
}

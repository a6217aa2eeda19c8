package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.embedded.SamTemplate;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * template.yaml puts no secret value in any function's configuration: each receiver gets the ARN of its
 * secret (a parameter) and may read that one secret, nothing else in Secrets Manager.
 */
class TemplateSecretsTest {
    private static final List<String> SECRET_VARIABLES = List.of("RHEO_WEBHOOK_SECRETS", "REVERB_PATH_TOKENS",
            "REUSELY_WEBHOOK_SECRETS", "RECHAT_WEBHOOK_KEYS");
    /**
     * Provider API tokens read by ARN (the reconciler's). Their plain twin is not declared at all, so the local
     * stack never gets one from the shell and never calls a provider by itself.
     */
    private static final List<String> TOKEN_VARIABLES = List.of("REVERB_API_TOKEN");
    private final SamTemplate template = SamTemplate.load(SamTemplate.locate());

    @Test
    void noDynamicReferenceNoRevisionParameter_andEverySecretVariableIsEmptyBesideItsArn() throws Exception {
        String text = Files.readString(SamTemplate.locate());
        assertFalse(text.contains("{{resolve:"), "no value is resolved into the template at deploy time");
        assertFalse(text.contains("SecretsRevision"));
        assertFalse(text.contains("SECRETS_REVISION"));
        int receivers = 0;
        for (SamTemplate.Function f : template.functions()) {
            for (String variable : SECRET_VARIABLES) {
                JsonNode arn = f.environment().get(variable + "_ARN");
                if (arn == null) {
                    assertFalse(f.environment().containsKey(variable), f.logicalId() + " " + variable);
                    continue;
                }
                receivers++;
                assertEquals("", f.environment().get(variable).asText("x"),
                        f.logicalId() + ": " + variable + " is declared empty (for sam local invoke only)");
                String parameter = arn.path("Ref").asText();
                JsonNode declared = template.root().path("Parameters").path(parameter);
                assertFalse(declared.isMissingNode(), f.logicalId() + ": the ARN is a template parameter");
                assertFalse(declared.has("Default"), parameter + " has no default");
            }
        }
        assertEquals(4, receivers, "each of the four receivers has its secret by ARN");
    }

    @Test
    void theReconcilersApiToken_isReadByArnFromAnOptionalParameter_andNeverDeclaredAsAPlainVariable() {
        SamTemplate.Function reconciler = template.functions().stream()
                .filter(f -> f.logicalId().equals("ReconcilerFunction")).findFirst().orElseThrow();
        for (String variable : TOKEN_VARIABLES) {
            assertFalse(reconciler.environment().containsKey(variable), variable + " is not declared");
            String parameter = reconciler.environment().get(variable + "_ARN").path("Ref").asText();
            JsonNode declared = template.root().path("Parameters").path(parameter);
            assertFalse(declared.isMissingNode(), "the ARN is a template parameter");
            // Optional: empty by default (no reconciliation), so a stack without a Reverb API token deploys.
            assertEquals("", declared.path("Default").asText("x"), parameter + " defaults to empty");
            assertTrue(Pattern.matches(declared.path("AllowedPattern").asText(), ""), parameter + " may be empty");
            assertFalse(Pattern.matches(declared.path("AllowedPattern").asText(), "arn:aws:secretsmanager:x"),
                    parameter + " takes only a full secret ARN when set");
        }
    }

    @Test
    void eachReceiver_mayGetTheValueOfItsOwnSecretOnly_andNoFunctionAnyOtherSecretsManagerAction() {
        for (SamTemplate.Function f : template.functions()) {
            List<JsonNode> statements = new ArrayList<>();
            f.properties().path("Policies").forEach(p -> p.path("Statement").forEach(each -> {
                // A statement granted only under a condition (!If [Cond, statement, AWS::NoValue]) counts as one.
                JsonNode s = each.has("Fn::If") ? each.path("Fn::If").path(1) : each;
                if (actions(s).stream().anyMatch(a -> a.toLowerCase().startsWith("secretsmanager:")
                        || a.equals("*"))) {
                    statements.add(s);
                }
            }));
            JsonNode arn = java.util.stream.Stream.concat(SECRET_VARIABLES.stream(), TOKEN_VARIABLES.stream())
                    .map(v -> f.environment().get(v + "_ARN"))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (arn == null) {
                assertTrue(statements.isEmpty(), f.logicalId() + " reads no secret");
                continue;
            }
            assertEquals(1, statements.size(), f.logicalId());
            JsonNode statement = statements.get(0);
            assertEquals(List.of("secretsmanager:GetSecretValue"), actions(statement), f.logicalId());
            assertEquals(arn.path("Ref").asText(), statement.path("Resource").path("Ref").asText(),
                    f.logicalId() + ": exactly the secret its ARN variable names");
            assertTrue(statement.path("Resource").isObject(), f.logicalId() + ": one resource, no list, no wildcard");
        }
    }

    private static List<String> actions(JsonNode statement) {
        JsonNode action = statement.path("Action");
        List<String> out = new ArrayList<>();
        if (action.isArray()) {
            action.forEach(a -> out.add(a.asText()));
        } else {
            out.add(action.asText());
        }
        return out;
    }
}

package dev.inlet.local.iam;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each function's execution role as deployed: template.yaml through SAM's translator, the role's inline
 * policies and the AWS managed policies it attaches (their documents as AWS publishes them, in
 * src/test/iam/managed-policies.json), with CloudFormation's intrinsics resolved for one test account
 * and region. Resources are named by their logical ids, as the local stack names them.
 */
public final class ExecutionRoles {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    static final String NO_VALUE = "\u0000no value";

    /** One function's role: its id and its policies ({name, policy} each, intrinsics resolved). */
    public record Role(String function, String roleId, List<JsonNode> policies) {
    }

    private final JsonNode cfn;
    private final Map<String, String> parameters;
    private final Map<String, Role> roles = new TreeMap<>();

    private ExecutionRoles(JsonNode cfn, Map<String, String> parameters) throws IOException {
        this.cfn = cfn;
        this.parameters = parameters;
        JsonNode managed = Json.parse(Files.readString(IamTools.DIR.resolve("managed-policies.json")));
        for (Map.Entry<String, JsonNode> e : cfn.path("Resources").properties()) {
            if (!e.getValue().path("Type").asText().equals("AWS::Lambda::Function")) {
                continue;
            }
            String roleId = e.getValue().path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
            JsonNode role = cfn.path("Resources").path(roleId).path("Properties");
            assertTrue(role.isObject(), e.getKey() + "'s role " + roleId + " is a role of the template");
            List<JsonNode> policies = new ArrayList<>();
            for (JsonNode arn : role.path("ManagedPolicyArns")) {
                String name = resolve(arn).asText();
                JsonNode document = managed.path(name);
                assertTrue(document.isObject(), "managed-policies.json holds " + name + " (as AWS publishes it)");
                policies.add(named(name, document));
            }
            for (JsonNode inline : role.path("Policies")) {
                JsonNode resolved = resolve(inline);
                if (!resolved.isMissingNode() && !resolved.asText().equals(NO_VALUE)) {
                    policies.add(named(resolved.path("PolicyName").asText(), resolved.path("PolicyDocument")));
                }
            }
            roles.put(e.getKey(), new Role(e.getKey(), roleId, policies));
        }
    }

    /** The default test parameters: a full secret ARN per secret parameter, no customer-managed key. */
    public static Map<String, String> defaultParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        for (String name : List.of("RheoWebhookSecretsArn", "ReverbPathTokensArn", "ReuselyWebhookSecretsArn",
                "RechatWebhookKeysArn")) {
            p.put(name, secretArn(name));
        }
        p.put("SecretsKmsKeyArn", "");
        return p;
    }

    /** A full secret ARN (with the six characters Secrets Manager appends) for a parameter. */
    public static String secretArn(String parameter) {
        return "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:inlet/" + parameter + "-AbC123";
    }

    public static ExecutionRoles of(Path template, Map<String, String> parameters) throws IOException {
        ObjectNode values = Json.object();
        parameters.forEach(values::put);
        return new ExecutionRoles(IamTools.translate(template, values), parameters);
    }

    /** The roles of the project's template.yaml under the default test parameters, with {@code more} on top. */
    public static ExecutionRoles ofTemplate(Map<String, String> more) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>(defaultParameters());
        parameters.putAll(more);
        return of(IamTools.ROOT.resolve("template.yaml"), parameters);
    }

    /** The statements of the function's role that allow any action starting with {@code actionPrefix}. */
    public List<JsonNode> statementsAllowing(String function, String actionPrefix) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode named : roles.get(function).policies()) {
            for (JsonNode statement : IamEvaluation.statements(named.path("policy"))) {
                if (IamEvaluation.strings(statement.path("Action")).stream().anyMatch(a -> a.startsWith(actionPrefix))) {
                    found.add(statement);
                }
            }
        }
        return found;
    }

    public Map<String, Role> byFunction() {
        return roles;
    }

    public JsonNode translated() {
        return cfn;
    }

    /** Whether the stack has the resource under these parameters: declared, and its Condition (if any) holds. */
    public boolean creates(String logicalId) {
        JsonNode r = cfn.path("Resources").path(logicalId);
        return r.isObject() && (!r.has("Condition") || condition(r.path("Condition").asText()));
    }

    /** A resource's ARN, as Fn::GetAtt X.Arn (or Ref, for a topic) gives it in the test account. */
    public String arn(String logicalId) {
        String type = cfn.path("Resources").path(logicalId).path("Type").asText();
        String where = REGION + ":" + ACCOUNT + ":";
        return switch (type) {
            case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb:" + where + "table/" + logicalId;
            case "AWS::SQS::Queue" -> "arn:aws:sqs:" + where + logicalId;
            case "AWS::SNS::Topic" -> "arn:aws:sns:" + where + logicalId;
            case "AWS::KMS::Key" -> "arn:aws:kms:" + where + "key/" + keyId(logicalId);
            case "AWS::IAM::Role" -> "arn:aws:iam::" + ACCOUNT + ":role/" + logicalId;
            case "AWS::CloudWatch::Alarm" -> "arn:aws:cloudwatch:" + where + "alarm:" + logicalId;
            case "AWS::Lambda::Function" -> "arn:aws:lambda:" + where + "function:" + logicalId;
            case "AWS::Logs::LogGroup" -> "arn:aws:logs:" + where + "log-group:" + logicalId + ":*";
            case "AWS::Events::EventBus" -> "arn:aws:events:" + where + "event-bus/" + ref(logicalId);
            default -> throw new AssertionError("no ARN for " + logicalId + " (" + type + ")");
        };
    }

    private static String keyId(String logicalId) {
        return String.format("%08x-0000-4000-8000-%012x", Math.abs(logicalId.hashCode()), logicalId.length());
    }

    private static JsonNode named(String name, JsonNode policy) {
        ObjectNode n = Json.object();
        n.put("name", name);
        n.set("policy", policy);
        return n;
    }

    /** CloudFormation's intrinsics, resolved: Ref, Fn::GetAtt, Fn::Sub, Fn::If (with the template's conditions). */
    public JsonNode resolve(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : node) {
                JsonNode r = resolve(item);
                if (!r.asText().equals(NO_VALUE)) {
                    out.add(r);
                }
            }
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            String fn = node.fieldNames().next();
            JsonNode arg = node.path(fn);
            switch (fn) {
                case "Ref":
                    return TextNode.valueOf(ref(arg.asText()));
                case "Fn::GetAtt":
                    return TextNode.valueOf(getAtt(arg.path(0).asText(), arg.path(1).asText()));
                case "Fn::Sub":
                    return TextNode.valueOf(sub(arg.isArray() ? arg.path(0).asText() : arg.asText()));
                case "Fn::If":
                    return resolve(condition(arg.path(0).asText()) ? arg.path(1) : arg.path(2));
                default:
                    break;
            }
        }
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode r = resolve(e.getValue());
            if (!r.asText().equals(NO_VALUE)) {
                out.set(e.getKey(), r);
            }
        }
        return out;
    }

    private String ref(String name) {
        switch (name) {
            case "AWS::Region":
                return REGION;
            case "AWS::AccountId":
                return ACCOUNT;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return "inlet";
            case "AWS::NoValue":
                return NO_VALUE;
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        JsonNode declared = cfn.path("Parameters").path(name);
        if (!declared.isMissingNode()) {
            return declared.path("Default").asText();
        }
        String type = cfn.path("Resources").path(name).path("Type").asText();
        return switch (type) {
            case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + name;
            case "AWS::SNS::Topic" -> arn(name);
            case "AWS::KMS::Key" -> keyId(name);
            case "AWS::Events::EventBus" -> resolve(cfn.path("Resources").path(name).path("Properties").path("Name")).asText();
            default -> name;
        };
    }

    private String getAtt(String id, String attribute) {
        if (attribute.equals("Arn")) {
            return arn(id);
        }
        if (attribute.equals("QueueName")) {
            return id;
        }
        throw new AssertionError("Fn::GetAtt " + id + "." + attribute + " is not resolved by the test");
    }

    private String sub(String text) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            int dot = name.indexOf('.');
            String value = dot > 0 && !name.startsWith("AWS::") ? getAtt(name.substring(0, dot), name.substring(dot + 1))
                    : ref(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private boolean condition(String name) {
        JsonNode c = cfn.path("Conditions").path(name);
        assertTrue(!c.isMissingNode(), "condition " + name);
        return evaluate(c);
    }

    private boolean evaluate(JsonNode c) {
        String fn = c.fieldNames().next();
        JsonNode arg = c.path(fn);
        return switch (fn) {
            case "Fn::Not" -> !evaluate(arg.path(0));
            case "Fn::And" -> {
                boolean all = true;
                for (JsonNode a : arg) {
                    all &= evaluate(a);
                }
                yield all;
            }
            case "Fn::Or" -> {
                boolean any = false;
                for (JsonNode a : arg) {
                    any |= evaluate(a);
                }
                yield any;
            }
            case "Fn::Equals" -> resolve(arg.path(0)).asText().equals(resolve(arg.path(1)).asText());
            case "Condition" -> condition(arg.asText());
            default -> throw new AssertionError("condition function " + fn);
        };
    }
}

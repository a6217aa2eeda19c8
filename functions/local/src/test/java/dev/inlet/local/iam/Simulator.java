package dev.inlet.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Batches of requests for {@link IamTools#simulate}: identity policies of a role, or a resource policy. */
public final class Simulator {
    private static final JsonNode DEFAULT_KEY_POLICY = parse("{\"Version\":\"2012-10-17\",\"Statement\":[{"
            + "\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ExecutionRoles.ACCOUNT + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
    private final ArrayNode requests = Json.mapper().createArrayNode();

    /** The call made with the role's credentials, against the role's policies (or the given ones). */
    public int identity(AwsCall call, String roleId, List<JsonNode> policies) {
        ObjectNode r = request("arn:aws:sts::" + ExecutionRoles.ACCOUNT + ":assumed-role/" + roleId + "/"
                + call.function(), call);
        ArrayNode p = r.putArray("identityPolicies");
        policies.forEach(p::add);
        if (call.action().startsWith("kms:")) {
            // KMS asks the key's own policy too: a customer-managed key with the default key policy, which
            // leaves the decision to the account's IAM policies.
            r.set("resourcePolicy", DEFAULT_KEY_POLICY);
        }
        return requests.size() - 1;
    }

    /** The call made by a principal (a service, say) against a resource's policy alone. */
    public int resource(AwsCall call, String principal, JsonNode resourcePolicy) {
        ObjectNode r = request(principal, call);
        r.set("resourcePolicy", resourcePolicy);
        return requests.size() - 1;
    }

    private ObjectNode request(String principal, AwsCall call) {
        ObjectNode r = requests.addObject();
        r.put("id", Integer.toString(requests.size() - 1));
        r.put("principal", principal);
        r.put("action", call.action());
        r.put("resource", call.resource());
        r.put("accountId", ExecutionRoles.ACCOUNT);
        ObjectNode context = r.putObject("context");
        call.context().forEach((k, v) -> {
            if (v.size() == 1 && !k.equals("dynamodb:LeadingKeys") && !k.equals("dynamodb:Attributes")) {
                context.put(k, v.get(0));
            } else {
                ArrayNode values = context.putArray(k);
                v.forEach(values::add);
            }
        });
        return r;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every request's answer (Allowed, ImplicitlyDenied, ExplicitlyDenied), in the order they were added. */
    public List<String> run() throws IOException {
        List<String> out = new ArrayList<>();
        if (requests.isEmpty()) {
            return out;
        }
        JsonNode answers = IamTools.simulate(requests);
        for (JsonNode a : answers) {
            String result = a.path("result").asText();
            out.add(result.equals("Error") ? "Error " + a.path("errors") : result);
        }
        if (out.size() != requests.size()) {
            throw new AssertionError(requests.size() + " requests, " + out.size() + " answers");
        }
        return out;
    }
}

package dev.inlet.local.iam;

import java.util.List;
import java.util.Map;

/**
 * One AWS request as IAM authorizes it: who (the function), the action ({@code dynamodb:PutItem}), the
 * resource ARN and the condition keys that apply ({@code dynamodb:LeadingKeys}...).
 */
public record AwsCall(String function, String action, String resource, Map<String, List<String>> context) {
    public AwsCall {
        context = Map.copyOf(context);
    }

    public static AwsCall of(String function, String action, String resource) {
        return new AwsCall(function, action, resource, Map.of());
    }

    public AwsCall with(String key, String... values) {
        Map<String, List<String>> more = new java.util.TreeMap<>(context);
        more.put(key, List.of(values));
        return new AwsCall(function, action, resource, more);
    }

    @Override
    public String toString() {
        return function + " " + action + " on " + resource + (context.isEmpty() ? "" : " " + context);
    }
}

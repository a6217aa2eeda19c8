package dev.inlet.local.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a function gets locally, built like Lambda builds it: the variables template.yaml
 * declares for it. For each: a reference to a table or queue points at the embedded backend; otherwise
 * the real environment wins, then the template's own plain value (so local settings are the deployed
 * ones), then the env file (which is where the test secrets come from: in AWS each receiver reads its
 * list from the Secrets Manager secret named by the {@code _ARN} twin, which env.json leaves empty).
 */
public final class FunctionEnvironment {
    private FunctionEnvironment() {
    }

    /** Where a secret setting comes from locally, for the start-up banner (never the value). */
    public static String secretSource(String name, Map<String, String> processEnv) {
        String arn = processEnv.getOrDefault(name + "_ARN", "");
        if (!arn.isBlank() && !processEnv.containsKey(name)) {
            return "read from Secrets Manager (" + name + "_ARN)";
        }
        return processEnv.containsKey(name) ? "from the environment" : "test value from events/env.json";
    }

    /**
     * The template's secret settings: the plain list variables that have an {@code _ARN} twin (in AWS the
     * list is read from Secrets Manager at run time; locally the plain variable holds it).
     */
    public static boolean isSecret(String name, Map<String, JsonNode> declared) {
        return declared.containsKey(name + "_ARN");
    }

    public static Map<String, String> resolve(SamTemplate.Function function, LocalResources resources,
                                              Backends backends, EnvFile envFile,
                                              Map<String, String> processEnv) {
        Map<String, String> fromFile = envFile.forFunction(function.logicalId());
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> declared : function.environment().entrySet()) {
            String name = declared.getKey();
            JsonNode value = declared.getValue();
            boolean resourceReference = value.has("Ref") || value.has("Fn::GetAtt");
            Optional<String> local = resourceReference ? resources.resolve(value) : Optional.empty();
            if (local.isPresent()) {
                env.put(name, local.get());
            } else if (processEnv.containsKey(name)) {
                env.put(name, processEnv.get(name));
            } else if (value.isTextual() && !value.asText().isEmpty()) {
                env.put(name, value.asText());
            } else if (fromFile.containsKey(name)) {
                env.put(name, fromFile.get(name));
            }
        }
        // An ARN from the real environment means "read it from Secrets Manager": the test list of the env
        // file must not also be set (both set fails the start).
        for (String name : function.environment().keySet()) {
            if (isSecret(name, function.environment()) && !processEnv.containsKey(name)
                    && !env.getOrDefault(name + "_ARN", "").isBlank()) {
                env.remove(name);
            }
        }
        env.putAll(backends.awsEnvironment());
        return env;
    }
}

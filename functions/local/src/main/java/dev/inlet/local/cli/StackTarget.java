package dev.inlet.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.local.emulator.LocalEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Which Inlet a command talks to: the running local stack (default), or a deployed stack named with
 * {@code --stack}, whose table and queues come from its CloudFormation outputs. The outputs are read
 * with the AWS CLI ({@code aws cloudformation describe-stacks}), which the deploy guide already needs,
 * so credentials and region come from your usual AWS configuration (profiles, SSO, environment).
 */
public final class StackTarget {
    private StackTarget() {
    }

    /** {@code environment}: the process environment (or a test's), overlaid on the local defaults. */
    static Env resolve(Optional<String> stack, Env environment) {
        return stack.map(s -> deployed(s, environment)).orElseGet(() -> LocalEnv.forCommands(environment.asMap()));
    }

    static String describe(Optional<String> stack) {
        return stack.map(s -> "stack " + s).orElse("the local stack");
    }

    private static Env deployed(String stackName, Env environment) {
        Map<String, String> outputs = outputs(stackName);
        Map<String, String> env = new HashMap<>(environment.asMap());
        env.put("EVENTS_TABLE", required(outputs, "EventsTableName", stackName));
        env.put("EVENTS_QUEUE_URL", required(outputs, "EventsQueueUrl", stackName));
        env.put("ENTITIES_TABLE", required(outputs, "EntitiesTableName", stackName));
        env.put("DEAD_LETTER_QUEUE_URL", required(outputs, "DeadLetterQueueUrl", stackName));
        String queueUrl = outputs.get("EventsQueueUrl");
        // https://sqs.<region>.amazonaws.com/<account>/<name>: the stack's region, whatever the shell's default.
        String host = java.net.URI.create(queueUrl).getHost();
        if (host != null && host.startsWith("sqs.")) {
            env.put("AWS_REGION", host.split("\\.")[1]);
        }
        env.remove("DYNAMODB_ENDPOINT");
        env.remove("SQS_ENDPOINT");
        return Env.of(env);
    }

    static Map<String, String> outputs(String stackName) {
        JsonNode list = awsCli(List.of("cloudformation", "describe-stacks", "--stack-name", stackName,
                "--query", "Stacks[0].Outputs", "--output", "json"), "stack " + stackName);
        Map<String, String> out = new HashMap<>();
        if (list != null) {
            list.forEach(o -> out.put(o.path("OutputKey").asText(), o.path("OutputValue").asText()));
        }
        return out;
    }

    /**
     * Runs the AWS CLI ({@code aws <arguments>}, JSON output) with the user's usual configuration and
     * returns what it printed. {@code what} names the target in error messages.
     */
    public static JsonNode awsCli(List<String> arguments, String what) {
        return awsCli(arguments, what, Map.of());
    }

    /** {@link #awsCli(List, String)} with these variables added to the CLI's environment. */
    public static JsonNode awsCli(List<String> arguments, String what, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add("aws");
        command.addAll(arguments);
        Process p;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
            builder.environment().putAll(environment);
            p = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("--stack needs the AWS CLI (aws) on the PATH, configured for the "
                    + "account and region of " + what);
        }
        try {
            byte[] stdout = p.getInputStream().readAllBytes();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("cannot read " + what + ": "
                        + (stderr.isEmpty() ? "aws " + arguments.get(0) + " " + arguments.get(1) + " failed" : stderr));
            }
            return Json.mapper().readTree(stdout);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + what);
        }
    }

    private static String required(Map<String, String> outputs, String key, String stack) {
        String v = outputs.get(key);
        if (v == null) {
            throw new IllegalStateException("stack " + stack + " has no output " + key + ": is it an Inlet stack?");
        }
        return v;
    }
}

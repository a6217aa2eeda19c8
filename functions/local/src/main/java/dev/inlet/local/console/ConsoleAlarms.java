package dev.inlet.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.local.cli.StackTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The alarms in ALARM that the console shows. Deployed, they are the stack's CloudWatch alarms,
 * read with the AWS CLI like {@link StackTarget} reads the stack (CloudFormation names an alarm
 * without an {@code AlarmName} {@code <stack>-<LogicalId>-<suffix>}); locally there is no CloudWatch,
 * and the console says so instead of showing an empty list as if all were well.
 */
public final class ConsoleAlarms {
    /** An alarm in ALARM: its name and CloudWatch's reason. */
    record Alarm(String name, String reason, String since) {}

    private final String stackName;
    private final Function<List<String>, JsonNode> awsCli;

    private ConsoleAlarms(String stackName, Function<List<String>, JsonNode> awsCli) {
        this.stackName = stackName;
        this.awsCli = awsCli;
    }

    /** Locally: no CloudWatch, no alarms to read. */
    public static ConsoleAlarms none() {
        return new ConsoleAlarms(null, null);
    }

    public static ConsoleAlarms ofStack(String stackName) {
        return new ConsoleAlarms(stackName, arguments -> StackTarget.awsCli(arguments, "the alarms of stack "
                + stackName));
    }

    /** For tests: the same parsing over another runner of the AWS CLI. */
    public static ConsoleAlarms ofStack(String stackName, Function<List<String>, JsonNode> awsCli) {
        return new ConsoleAlarms(stackName, awsCli);
    }

    boolean available() {
        return stackName != null;
    }

    /** The AWS CLI arguments that list this stack's alarms in ALARM. */
    List<String> command() {
        return List.of("cloudwatch", "describe-alarms", "--state-value", "ALARM", "--alarm-name-prefix",
                stackName + "-", "--output", "json");
    }

    List<Alarm> inAlarm() {
        if (!available()) {
            return List.of();
        }
        List<Alarm> out = new ArrayList<>();
        JsonNode result = awsCli.apply(command());
        for (JsonNode a : result.path("MetricAlarms")) {
            if ("ALARM".equals(a.path("StateValue").asText("ALARM"))) {
                out.add(new Alarm(a.path("AlarmName").asText(), a.path("StateReason").asText(""),
                        a.path("StateUpdatedTimestamp").asText("")));
            }
        }
        return out;
    }
}

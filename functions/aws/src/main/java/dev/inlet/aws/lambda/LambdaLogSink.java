package dev.inlet.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.inlet.core.observe.Log;
import java.nio.charset.StandardCharsets;

/**
 * Writes our JSON lines through the Lambda runtime's logger as bytes, so each reaches CloudWatch as it
 * is: one top-level JSON object per log event, under the JSON and the Text log format alike. (The
 * runtime's {@code log(String, LogLevel)} would wrap it as a string in its own {@code message} field
 * under JSON, or prefix {@code [INFO]} under Text: Logs Insights could not filter on our fields, and
 * CloudWatch would extract no embedded metric.) Log lines keep their level, so the function's
 * ApplicationLogLevel filters them; metric lines are written without a level, so it never drops them.
 * Each line carries the Lambda request id of the invocation that wrote it ({@code AWSRequestId}, the
 * field the runtime itself uses).
 */
public final class LambdaLogSink implements Log.Sink {
    private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

    /** Called first by each handler: the lines written on this thread now belong to this invocation. */
    public static void startInvocation(Context context) {
        String id = context == null ? null : context.getAwsRequestId();
        if (id == null || id.isEmpty()) {
            REQUEST_ID.remove();
        } else {
            REQUEST_ID.set(id);
        }
    }

    @Override
    public void write(Log.Level level, String line) {
        LambdaRuntime.getLogger().log(withRequestId(line), switch (level) {
            case DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARN -> LogLevel.WARN;
            case ERROR -> LogLevel.ERROR;
        });
    }

    @Override
    public void metric(String line) {
        LambdaRuntime.getLogger().log(withRequestId(line), LogLevel.UNDEFINED);
    }

    /** {@code {"AWSRequestId":"<id>",...}}: the line's own fields follow unchanged. */
    static byte[] withRequestId(String line) {
        String id = REQUEST_ID.get();
        if (id == null || !line.startsWith("{")) {
            return line.getBytes(StandardCharsets.UTF_8);
        }
        String field = "{\"AWSRequestId\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(id)) + "\"";
        String rest = line.substring(1).trim();
        return (field + (rest.equals("}") ? "" : ",") + rest).getBytes(StandardCharsets.UTF_8);
    }
}

package dev.inlet.aws.lambda;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.inlet.core.observe.Log;

/**
 * Writes our JSON lines through the Lambda runtime's logger, with their level, so the function's
 * LoggingConfig (JSON format, application log level) applies. Lambda does not re-encode lines that
 * are already JSON, and embedded-metric lines reach CloudWatch as they are.
 */
public final class LambdaLogSink implements Log.Sink {
    @Override
    public void write(Log.Level level, String line) {
        LambdaRuntime.getLogger().log(line, switch (level) {
            case DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARN -> LogLevel.WARN;
            case ERROR -> LogLevel.ERROR;
        });
    }
}

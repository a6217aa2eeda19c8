package dev.inlet.aws.slf4j;

import dev.inlet.aws.lambda.LambdaLogSink;
import dev.inlet.core.observe.Log;
import java.time.Clock;
import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * The SLF4J 1.7 binding of the function jars: the AWS SDK's warnings and errors become our JSON log
 * lines ({@link LibraryLogger}); its debug and info chatter is dropped on purpose. Without a binding,
 * SLF4J prints three lines to stderr at every cold start. The function jars' shade step relocates this
 * package to {@code org.slf4j.impl}, where SLF4J 1.7 looks for it; the thin jar that {@code ./inlet
 * local} and the tests use keeps it here, where SLF4J never looks, so it never competes with theirs.
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {
    /** Read by SLF4J to check compatibility (not final, as SLF4J's contract asks). */
    public static String REQUESTED_API_VERSION = "1.6.99";

    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

    private final ILoggerFactory factory;

    private StaticLoggerBinder() {
        Log log = new Log(new LambdaLogSink(), Clock.systemUTC());
        factory = name -> new LibraryLogger(name, log);
    }

    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public String getLoggerFactoryClassStr() {
        return LibraryLogger.class.getName();
    }
}

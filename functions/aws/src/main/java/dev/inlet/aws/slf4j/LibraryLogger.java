package dev.inlet.aws.slf4j;

import dev.inlet.core.observe.Log;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MarkerIgnoringBase;
import org.slf4j.helpers.MessageFormatter;

/**
 * A library's SLF4J logger (the AWS SDK's): WARN and ERROR become our JSON lines
 * ({@code "event":"library_warning"} or {@code "library_error"}, with the logger, the message and the
 * exception's class); TRACE, DEBUG and INFO are off.
 */
public final class LibraryLogger extends MarkerIgnoringBase {
    private static final long serialVersionUID = 1L;

    private final transient Log log;

    public LibraryLogger(String name, Log log) {
        this.name = name;
        this.log = log;
    }

    private void emit(boolean error, String format, Object... args) {
        FormattingTuple t = MessageFormatter.arrayFormat(format, args);
        String exception = t.getThrowable() == null ? null : t.getThrowable().getClass().getName();
        if (error) {
            log.error("library_error", "logger", name, "message", t.getMessage(), "exception", exception);
        } else {
            log.warn("library_warning", "logger", name, "message", t.getMessage(), "exception", exception);
        }
    }

    @Override public boolean isWarnEnabled() { return true; }
    @Override public void warn(String msg) { emit(false, msg); }
    @Override public void warn(String format, Object arg) { emit(false, format, arg); }
    @Override public void warn(String format, Object... arguments) { emit(false, format, arguments); }
    @Override public void warn(String format, Object arg1, Object arg2) { emit(false, format, arg1, arg2); }
    @Override public void warn(String msg, Throwable t) { emit(false, msg, t); }

    @Override public boolean isErrorEnabled() { return true; }
    @Override public void error(String msg) { emit(true, msg); }
    @Override public void error(String format, Object arg) { emit(true, format, arg); }
    @Override public void error(String format, Object arg1, Object arg2) { emit(true, format, arg1, arg2); }
    @Override public void error(String format, Object... arguments) { emit(true, format, arguments); }
    @Override public void error(String msg, Throwable t) { emit(true, msg, t); }

    @Override public boolean isTraceEnabled() { return false; }
    @Override public void trace(String msg) { }
    @Override public void trace(String format, Object arg) { }
    @Override public void trace(String format, Object arg1, Object arg2) { }
    @Override public void trace(String format, Object... arguments) { }
    @Override public void trace(String msg, Throwable t) { }

    @Override public boolean isDebugEnabled() { return false; }
    @Override public void debug(String msg) { }
    @Override public void debug(String format, Object arg) { }
    @Override public void debug(String format, Object arg1, Object arg2) { }
    @Override public void debug(String format, Object... arguments) { }
    @Override public void debug(String msg, Throwable t) { }

    @Override public boolean isInfoEnabled() { return false; }
    @Override public void info(String msg) { }
    @Override public void info(String format, Object arg) { }
    @Override public void info(String format, Object arg1, Object arg2) { }
    @Override public void info(String format, Object... arguments) { }
    @Override public void info(String msg, Throwable t) { }
}

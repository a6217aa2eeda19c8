package dev.inlet.core.processing;

import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One run of a handler on a thread of its own. A new thread per run (tens of microseconds, next to the
 * store calls' milliseconds) rather than a pool: it inherits the invocation's inheritable thread-locals,
 * such as the request id on log lines, and a hung one never holds up a later event. The run is never
 * cancelled (a cancelled task reports itself done while its thread still runs): when abandoned, it
 * reports its real end to the callback given to {@link #abandon}.
 */
final class HandlerRun extends FutureTask<Void> {
    private final Thread thread;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<Consumer<HandlerRun>> onLateEnd = new AtomicReference<>();

    HandlerRun(EventHandler handler, ReceivedEvent event) {
        super(() -> {
            handler.handle(event);
            return null;
        });
        this.thread = new Thread(this, "inlet-handler");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /**
     * The caller stops waiting: {@code lateEnd} runs (on the handler's thread) when the run really ends.
     *
     * @return false if the run had already ended, so the caller takes its outcome itself
     */
    boolean abandon(Consumer<HandlerRun> lateEnd) {
        onLateEnd.set(lateEnd);
        return !(ended.get() && onLateEnd.compareAndSet(lateEnd, null));
    }

    @Override
    protected void done() {
        ended.set(true);
        Consumer<HandlerRun> lateEnd = onLateEnd.getAndSet(null);
        if (lateEnd != null) {
            lateEnd.accept(this);
        }
    }
}

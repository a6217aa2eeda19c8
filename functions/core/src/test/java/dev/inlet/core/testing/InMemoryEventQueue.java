package dev.inlet.core.testing;

import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A queue that remembers what was sent, and can be told to fail. */
public final class InMemoryEventQueue implements EventQueue {
    private final List<QueueMessage> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();

    @Override
    public void send(QueueMessage message) {
        if (down.get()) {
            throw new QueueUnavailableException("queue is down (test)", null);
        }
        sent.add(message);
    }

    public void setDown(boolean isDown) {
        down.set(isDown);
    }

    public void clear() {
        sent.clear();
    }

    public List<QueueMessage> sent() {
        return List.copyOf(sent);
    }
}

package dev.inlet.processor;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.inlet.core.observe.Log;
import dev.inlet.core.processing.ProcessingResult;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.queue.DeadLetterQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * An SQS batch in, partial batch failures out (ReportBatchItemFailures): each message is processed on
 * its own, and only the ones that should be retried are reported. Once the invocation has less time
 * left than one event's worst case ({@link dev.inlet.core.config.ProcessingSettings#batchStopMargin()}),
 * or {@link #ABANDONED_HANDLER_CAP} handlers of this batch overran their bound and still run, no further
 * message is started: the rest are reported as failures and come back on a later receive. That costs
 * them a receive, which decides nothing: a record's fate is its own attempts. A message whose record
 * gave up (FAILED) is parked in the dead-letter queue here, then reported done so SQS deletes it. A message's
 * {@code AWSTraceHeader} system attribute (the receiver's trace) goes with it into processing, and on to the
 * domain events it publishes.
 */
public final class SqsBatchProcessor {
    /** How many abandoned handler threads one batch may leave running before it starts nothing more. */
    public static final int ABANDONED_HANDLER_CAP = 2;
    /** The SQS message system attribute that carries the sender's X-Ray trace header. */
    static final String TRACE_ATTRIBUTE = "AWSTraceHeader";

    private final ProcessingService processing;
    private final DeadLetterQueue deadLetters;
    private final Log log;

    public SqsBatchProcessor(ProcessingService processing, DeadLetterQueue deadLetters, Log log) {
        this.processing = processing;
        this.deadLetters = deadLetters;
        this.log = log;
    }

    public ProcessingService processing() {
        return processing;
    }

    public Log log() {
        return log;
    }

    /** A batch with all the time in the world (tests, tools). */
    public SQSBatchResponse process(SQSEvent event) {
        return process(event, () -> Long.MAX_VALUE);
    }

    /** @param remainingMillis the invocation's time left, {@code context::getRemainingTimeInMillis} in Lambda */
    public SQSBatchResponse process(SQSEvent event, LongSupplier remainingMillis) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        long margin = processing.settings().batchStopMargin().toMillis();
        int abandonedBefore = processing.abandonedHandlers();
        int left = 0;
        for (SQSEvent.SQSMessage message : records) {
            if (left > 0 || remainingMillis.getAsLong() < margin
                    || processing.abandonedHandlers() - abandonedBefore >= ABANDONED_HANDLER_CAP) {
                left++;
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
                continue;
            }
            if (!processOne(message)) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
            }
        }
        if (left > 0) {
            log.warn("batch_stopped_early", "notStarted", left, "batchSize", records.size(),
                    "remainingMillis", remainingMillis.getAsLong(),
                    "abandonedHandlers", processing.abandonedHandlers() - abandonedBefore);
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** @return true when the message is done with (SQS may delete it) */
    private boolean processOne(SQSEvent.SQSMessage message) {
        QueueMessage parsed;
        try {
            parsed = QueueMessage.fromJson(message.getBody()).withTraceHeader(traceHeader(message));
        } catch (IllegalArgumentException e) {
            // Not ours: no record to decide anything, so straight to the DLQ, where it can be looked at.
            log.error("foreign_message", "messageId", message.getMessageId(), "error", e.getMessage());
            return park(message, "foreign message");
        }
        ProcessingResult result;
        try {
            result = processing.process(parsed);
        } catch (RuntimeException e) {
            log.error("processing_crashed", "provider", parsed.key().provider(),
                    "eventKey", parsed.key().dedupKey(), "error", e.getClass().getName());
            return false;
        }
        if (result instanceof ProcessingResult.DeadLetter d) {
            return park(message, d.why());
        }
        return !(result instanceof ProcessingResult.RetryLater);
    }

    /** The message's AWSTraceHeader attribute, if SQS delivered one. */
    static Optional<String> traceHeader(SQSEvent.SQSMessage message) {
        return message.getAttributes() == null ? Optional.empty()
                : Optional.ofNullable(message.getAttributes().get(TRACE_ATTRIBUTE)).filter(h -> !h.isBlank());
    }

    /**
     * Parks the message in the DLQ. If the send fails, the message stays on the queue; its record is
     * FAILED already, so its next receive parks it.
     */
    private boolean park(SQSEvent.SQSMessage message, String why) {
        try {
            deadLetters.park(message.getBody());
        } catch (QueueUnavailableException e) {
            log.warn("dead_letter_send_failed", "messageId", message.getMessageId(), "error", e.getMessage());
            return false;
        }
        log.warn("dead_lettered", "messageId", message.getMessageId(), "why", why);
        return true;
    }
}

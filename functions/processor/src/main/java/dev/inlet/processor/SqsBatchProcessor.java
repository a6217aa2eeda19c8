package dev.inlet.processor;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.inlet.core.observe.Log;
import dev.inlet.core.processing.ProcessingResult;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.queue.QueueMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * An SQS batch in, partial batch failures out (ReportBatchItemFailures): each message is processed on
 * its own, and only the ones that should be retried are reported. Once the invocation has less time
 * left than one event's worst case ({@link dev.inlet.core.config.ProcessingSettings#batchStopMargin()}),
 * no further message is started: the rest are reported as failures and come back on a later receive,
 * instead of the whole batch timing out and returning with every message charged a receive.
 */
public final class SqsBatchProcessor {
    private final ProcessingService processing;
    private final Log log;

    public SqsBatchProcessor(ProcessingService processing, Log log) {
        this.processing = processing;
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
        int left = 0;
        for (SQSEvent.SQSMessage message : records) {
            if (left > 0 || remainingMillis.getAsLong() < margin) {
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
            log.warn("batch_out_of_time", "notStarted", left, "batchSize", records.size(),
                    "remainingMillis", remainingMillis.getAsLong());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private boolean processOne(SQSEvent.SQSMessage message) {
        QueueMessage parsed;
        try {
            parsed = QueueMessage.fromJson(message.getBody());
        } catch (IllegalArgumentException e) {
            // Not ours: leave it to the redrive policy, which parks it in the DLQ where it can be looked at.
            log.error("foreign_message", "messageId", message.getMessageId(), "error", e.getMessage());
            return false;
        }
        try {
            return !(processing.process(parsed, receiveCount(message)) instanceof ProcessingResult.RetryLater);
        } catch (RuntimeException e) {
            log.error("processing_crashed", "provider", parsed.key().provider(),
                    "eventKey", parsed.key().dedupKey(), "error", e.getClass().getName());
            return false;
        }
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        if (message.getAttributes() == null) {
            return 1;
        }
        try {
            return Integer.parseInt(message.getAttributes().getOrDefault("ApproximateReceiveCount", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}

package dev.inlet.processor;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.inlet.core.observe.Log;
import dev.inlet.core.processing.ProcessingResult;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.queue.QueueMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * An SQS batch in, partial batch failures out (ReportBatchItemFailures): each message is processed on
 * its own, and only the ones that should be retried are reported.
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

    public SQSBatchResponse process(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            if (!processOne(message)) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
            }
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

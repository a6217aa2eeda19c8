package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.processor.ProcessorFunction;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SnapStart priming of every function, against the real local backends: it runs, and it writes nothing. */
class SnapStartPrimingTest {
    @Test
    void primingEveryReceiverAndTheProcessor_storesQueuesAndLogsNothing() {
        CapturingSink sink = new CapturingSink();
        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests().withPolling(false).withSink(sink))) {
            List<SamTemplate.Function> functions = SamTemplate.load(SamTemplate.locate()).functions();
            int primed = 0;
            for (SamTemplate.Function f : functions) {
                Object handler = stack.handler(f.logicalId());
                if (handler instanceof ReceiverFunction receiver) {
                    receiver.priming().prime();
                    primed++;
                } else if (handler instanceof ProcessorFunction processor) {
                    processor.priming().prime();
                    primed++;
                }
            }

            assertEquals(5, primed, "four receivers and the processor");
            assertTrue(new StackClient(stack, "RheoReceiverFunction").all().isEmpty(), "nothing stored");
            String queue = stack.resources().ref("EventsQueue").orElseThrow();
            assertEquals("0", stack.backends().sqs().getQueueAttributes(r -> r.queueUrl(queue)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), "nothing queued");
            assertTrue(sink.lines().isEmpty(), "no log line, no metric (a failed priming would log): " + sink.lines());
        }
    }
}

package dev.inlet.aws.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.LocalTables;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import dev.inlet.core.store.EventKey;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** The SQS adapter against ElasticMQ. */
class SqsEventQueueTest {
    @Test
    void sentPointer_arrivesOnTheQueue() {
        var resources = LocalTables.create();
        var clients = TestClients.of(BackendSettings.from(LocalTables.env(resources)));
        String url = resources.ref("EventsQueue").orElseThrow();
        QueueMessage message = new QueueMessage(new EventKey("rheo", "evt_1"), "item.sold");

        new SqsEventQueue(clients.sqs(), url).send(message);

        var received = clients.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages();
        assertEquals(1, received.size());
        assertEquals(message, QueueMessage.fromJson(received.get(0).body()));
    }

    @Test
    void sdkFailure_becomesQueueUnavailable() {
        var resources = LocalTables.create();
        ExecutionInterceptor down = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                throw SdkClientException.create("injected: SQS unreachable");
            }
        };
        var clients = TestClients.of(BackendSettings.from(LocalTables.env(resources)), down);

        assertThrows(QueueUnavailableException.class, () -> new SqsEventQueue(clients.sqs(),
                resources.ref("EventsQueue").orElseThrow()).send(new QueueMessage(new EventKey("rheo", "e"), "t")));
    }

    @Test
    void batchOfTen_isOneCall_andEveryPointerArrives() {
        var resources = LocalTables.create();
        java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.add(context.request().getClass().getSimpleName());
            }
        };
        var clients = TestClients.of(BackendSettings.from(LocalTables.env(resources)), counting);
        String url = resources.ref("EventsQueue").orElseThrow();
        java.util.List<QueueMessage> messages = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> new QueueMessage(new EventKey("rheo", "evt_b" + i), "item.sold")).toList();

        java.util.List<QueueMessage> failed = new SqsEventQueue(clients.sqs(), url).sendBatch(messages);

        assertEquals(java.util.List.of(), failed);
        assertEquals(java.util.List.of("SendMessageBatchRequest"), calls);
        java.util.Set<QueueMessage> arrived = new java.util.HashSet<>();
        for (int i = 0; i < 5 && arrived.size() < 10; i++) {
            clients.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                    .forEach(m -> arrived.add(QueueMessage.fromJson(m.body())));
        }
        assertEquals(java.util.Set.copyOf(messages), arrived);
    }
}

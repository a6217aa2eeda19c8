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

    @Test
    void traceHeader_travelsAsTheAwsTraceHeaderSystemAttribute_onSendAndSendBatch_notInTheBody() {
        var resources = LocalTables.create();
        var clients = TestClients.of(BackendSettings.from(LocalTables.env(resources)));
        String url = resources.ref("EventsQueue").orElseThrow();
        String trace = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";
        SqsEventQueue queue = new SqsEventQueue(clients.sqs(), url);
        QueueMessage single = new QueueMessage(new EventKey("rheo", "evt_t1"), "item.sold", java.util.Optional.of(trace));
        QueueMessage untraced = new QueueMessage(new EventKey("rheo", "evt_t2"), "item.sold");
        QueueMessage batched = new QueueMessage(new EventKey("rheo", "evt_t3"), "item.sold",
                java.util.Optional.of(trace.replace("Sampled=1", "Sampled=0")));

        queue.send(single);
        assertEquals(java.util.List.of(), queue.sendBatch(java.util.List.of(untraced, batched)));

        java.util.Map<String, java.util.Optional<String>> headers = new java.util.HashMap<>();
        for (int i = 0; i < 5 && headers.size() < 3; i++) {
            clients.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                            .messageSystemAttributeNames(software.amazon.awssdk.services.sqs.model
                                    .MessageSystemAttributeName.AWS_TRACE_HEADER)).messages()
                    .forEach(m -> {
                        org.junit.jupiter.api.Assertions.assertFalse(m.body().contains("Root="), m.body());
                        headers.put(QueueMessage.fromJson(m.body()).key().dedupKey(), java.util.Optional.ofNullable(
                                m.attributesAsStrings().get("AWSTraceHeader")));
                    });
        }
        assertEquals(java.util.Map.of("evt_t1", single.traceHeader(), "evt_t2", java.util.Optional.empty(),
                "evt_t3", batched.traceHeader()), headers);
    }
}

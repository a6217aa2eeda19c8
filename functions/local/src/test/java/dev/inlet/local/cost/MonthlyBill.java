package dev.inlet.local.cost;

import static dev.inlet.local.cost.CostInputs.*;

import dev.inlet.core.store.OutboxShard;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stack's AWS bill for a month of {@code webhooks} 1 KB webhooks, spread evenly over the month's hours
 * and equally over the receivers, each received once, verified, stored, queued and processed by a default
 * handler, on list prices without the free tiers. Line by line, in dollars.
 */
final class MonthlyBill {
    private MonthlyBill() {
    }

    static Map<String, Double> of(double webhooks, TemplateFacts t, boolean detailedMetrics, double metricLineBytes,
                                  double processedMetricLineBytes) {
        Map<String, Double> line = new LinkedHashMap<>();
        double perGbSecond = t.arm64() ? LAMBDA_ARM_PER_GB_SECOND : LAMBDA_X86_PER_GB_SECOND;
        double perReceiverHour = webhooks / t.receivers() / HOURS_PER_MONTH;
        // A webhook finds its receiver cold when none came in the last WARM_IDLE_MINUTES (Poisson arrivals).
        double coldShare = Math.exp(-perReceiverHour * WARM_IDLE_MINUTES / 60);
        double perSecond = webhooks / HOURS_PER_MONTH / 3600;
        // The batching window (1 s) fills a batch with what arrives in it, up to the batch size.
        double eventsPerBatch = Math.max(1, Math.min(t.processorBatchSize(), perSecond));
        double batches = webhooks / eventsPerBatch;

        line.put("API Gateway HTTP API requests", webhooks * HTTP_API_PER_MILLION / 1e6);
        line.put("Lambda requests (receivers, processor batches, sweeper runs)",
                (webhooks + batches + t.sweeperRunsPerMonth()) * LAMBDA_PER_MILLION_REQUESTS / 1e6);
        line.put("Lambda duration, receivers",
                webhooks * (RECEIVER_MS + coldShare * COLD_EXTRA_MS) / 1000 * t.receiverGb() * perGbSecond);
        double published = t.publishes() ? webhooks * DOMAIN_EVENTS_PER_WEBHOOK : 0;
        line.put("Lambda duration, processor",
                (webhooks * PROCESSOR_MS_PER_EVENT + published * PUBLISH_MS_PER_EVENT) / 1000 * t.processorGb() * perGbSecond);
        line.put("Lambda duration, sweeper", t.sweeperRunsPerMonth() * SWEEPER_MS_PER_RUN / 1000 * t.sweeperGb() * perGbSecond);
        line.put("DynamoDB writes (" + (int) WRU_PER_EVENT + " WRU per event, " + (int) WRU_PER_PUBLISH + " per published change)",
                (webhooks * WRU_PER_EVENT + published * WRU_PER_PUBLISH) * DYNAMODB_PER_MILLION_WRU / 1e6);
        // Each run queries every shard of the outbox index and, for the stranded-record audit, of the audit index.
        line.put("DynamoDB reads (sweeper's outbox and audit queries)",
                t.sweeperRunsPerMonth() * 2 * OutboxShard.SHARDS * RRU_PER_EMPTY_QUERY * DYNAMODB_PER_MILLION_RRU / 1e6);
        double storedGb = webhooks * STORED_BYTES_PER_EVENT * (t.eventRetentionDays() * 24 / HOURS_PER_MONTH) / GB;
        line.put("DynamoDB storage and point-in-time recovery",
                storedGb * (DYNAMODB_STORAGE_PER_GB_MONTH + (t.pitr() ? DYNAMODB_PITR_PER_GB_MONTH : 0)));
        double idlePolls = IDLE_SQS_POLLERS * HOURS_PER_MONTH * 3600 / LONG_POLL_SECONDS;
        line.put("SQS requests (send, receive, delete; idle long polls)",
                (webhooks + 2 * batches + idlePolls) * SQS_PER_MILLION_REQUESTS / 1e6);
        line.put("SQS requests, the example rule's queue (EventBridge's sends)",
                published * PAID_ORDER_SHARE * t.exampleRuleQueues() * SQS_PER_MILLION_REQUESTS / 1e6);
        // Issue 24: one PutEvents entry per change (each under 64 KB), the archive's intake and what it keeps.
        line.put("EventBridge events published", published * EVENTBRIDGE_PER_MILLION_EVENTS / 1e6);
        double archivedGb = published * ARCHIVED_BYTES_PER_EVENT / GB;
        line.put("EventBridge archive (archived, and kept " + t.archiveRetentionDays() + " days)",
                archivedGb * (ARCHIVE_PER_GB_ARCHIVED + t.archiveRetentionDays() * 24 / HOURS_PER_MONTH * ARCHIVE_PER_GB_MONTH));
        // Tracing: Active on the receivers and the processor; each function samples its own invocations.
        double seconds = HOURS_PER_MONTH * 3600;
        double traces = t.tracedReceivers() * sampled(webhooks / t.receivers() / seconds) * seconds
                + (t.processorTraced() ? sampled(batches / seconds) * seconds : 0);
        line.put("X-Ray traces recorded and retrieved (default sampling)",
                traces * (XRAY_PER_MILLION_RECORDED + XRAY_RETRIEVED_SHARE * XRAY_PER_MILLION_RETRIEVED) / 1e6);
        line.put("Secrets Manager secrets", t.secrets() * SECRET_PER_MONTH);
        double secretCalls = Math.min(webhooks,
                t.receivers() * ENVIRONMENTS_PER_RECEIVER * SECRET_READS_PER_ENVIRONMENT_HOUR * HOURS_PER_MONTH);
        line.put("Secrets Manager API calls", secretCalls * SECRETS_MANAGER_PER_10K_CALLS / 10_000);
        line.put("KMS keys (alarm topic)", t.kmsKeys() * KMS_KEY_PER_MONTH);
        double kmsRequests = secretCalls + t.awsManagedKeyTables() * KMS_REQUESTS_PER_TABLE_HOUR * HOURS_PER_MONTH;
        line.put("KMS requests (secret reads, tables' keys)", kmsRequests * KMS_PER_10K_REQUESTS / 10_000);
        double appBytes = INTAKE_LOG_BYTES + PROCESSING_LOG_BYTES
                - (detailedMetrics ? 0 : metricLineBytes + processedMetricLineBytes);
        double logBytes = webhooks * (appBytes + ACCESS_LOG_BYTES)
                + (webhooks + batches + t.sweeperRunsPerMonth()) * PLATFORM_LOG_BYTES_PER_INVOCATION;
        line.put("CloudWatch Logs ingested", logBytes / GB * LOGS_INGESTED_PER_GB);
        line.put("CloudWatch Logs stored (uncompressed, an upper bound)",
                logBytes / GB * (t.logRetentionDays() * 24 / HOURS_PER_MONTH) * LOGS_STORED_PER_GB_MONTH);
        double seriesMonths = 0;
        if (detailedMetrics) {
            // received, enqueued, processed: one series per provider and one total each, billed per active hour.
            double perProvider = 1 - Math.exp(-perReceiverHour);
            double total = 1 - Math.exp(-perReceiverHour * t.receivers());
            seriesMonths = 3 * (t.receivers() * perProvider + total);
        }
        line.put("CloudWatch custom metrics", seriesMonths * CUSTOM_METRIC_PER_MONTH);
        line.put("CloudWatch alarms", t.alarms() * ALARM_PER_MONTH);
        line.put("CloudWatch dashboard", t.dashboards() * DASHBOARD_PER_MONTH);
        return line;
    }

    /**
     * Invocations a second that X-Ray's default rule records, for Poisson arrivals at {@code rate} a second:
     * the first of each second (the reservoir of one: a second with any invocation), then 5 % of the rest.
     */
    static double sampled(double rate) {
        double reservoir = 1 - Math.exp(-rate);
        return reservoir + XRAY_FIXED_RATE * (rate - reservoir);
    }

    static double total(Map<String, Double> lines) {
        return lines.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    static double hookdeck(double events) {
        return events <= HOOKDECK_FREE_EVENTS ? 0
                : HOOKDECK_TEAM_PER_MONTH + (events - HOOKDECK_FREE_EVENTS) / 100_000 * HOOKDECK_PER_100K_EVENTS;
    }

    static double svix(double messages) {
        return Math.max(0, messages - SVIX_FREE_MESSAGES) * SVIX_PER_MESSAGE;
    }

    private static final double GB = 1024.0 * 1024 * 1024;
}

package dev.inlet.local.cost;

/**
 * Everything the monthly bill uses that template.yaml does not say: AWS list prices (us-east-1) with where
 * and when they were read, the figures measured in docs/performance.md, and the few estimates, each named
 * as one. {@link MonthlyBillTest} recomputes docs/performance.md section 6 from these and the template.
 */
final class CostInputs {
    private CostInputs() {
    }

    /** Hours in a billing month, as AWS prices monthly rates (730 = 8,760 / 12). */
    static final double HOURS_PER_MONTH = 730;

    // ---- AWS list prices, us-east-1, read 2026-12-04 (stored copies of the pages; see section 6) ----
    /** API Gateway HTTP API, first 300 million requests a month (aws.amazon.com/api-gateway/pricing). */
    static final double HTTP_API_PER_MILLION = 1.00;
    /** Lambda requests (aws.amazon.com/lambda/pricing). */
    static final double LAMBDA_PER_MILLION_REQUESTS = 0.20;
    /** Lambda duration, Arm, first 7.5 billion GB-s a month (aws.amazon.com/lambda/pricing). */
    static final double LAMBDA_ARM_PER_GB_SECOND = 0.0000133334;
    /** Lambda duration, x86, first 6 billion GB-s a month, in case the template leaves arm64. */
    static final double LAMBDA_X86_PER_GB_SECOND = 0.0000166667;
    /** DynamoDB on demand, standard table class, since the November 2024 reduction. */
    static final double DYNAMODB_PER_MILLION_WRU = 0.625;
    static final double DYNAMODB_PER_MILLION_RRU = 0.125;
    static final double DYNAMODB_STORAGE_PER_GB_MONTH = 0.25;
    /** Continuous backups (point-in-time recovery), per GB-month of table size. */
    static final double DYNAMODB_PITR_PER_GB_MONTH = 0.20;
    /** SQS standard queue, per million requests (each 64 KB chunk of a request is one). */
    static final double SQS_PER_MILLION_REQUESTS = 0.40;
    static final double SECRET_PER_MONTH = 0.40;
    static final double SECRETS_MANAGER_PER_10K_CALLS = 0.05;
    /** A customer-managed KMS key, prorated hourly (rotation adds $1 a month per rotated key version, up to 2). */
    static final double KMS_KEY_PER_MONTH = 1.00;
    static final double KMS_PER_10K_REQUESTS = 0.03;
    static final double LOGS_INGESTED_PER_GB = 0.50;
    static final double LOGS_STORED_PER_GB_MONTH = 0.03;
    /** A custom metric (name + dimension set), first 10,000, prorated by the hour it receives data. */
    static final double CUSTOM_METRIC_PER_MONTH = 0.30;
    /** A standard-resolution alarm on one metric. */
    static final double ALARM_PER_MONTH = 0.10;
    static final double DASHBOARD_PER_MONTH = 3.00;

    // ---- Publishing and tracing (issue 24): list prices, us-east-1, read 2026-12-04 (section 6) ----
    /** EventBridge custom events, per million PutEvents entries (each 64 KB chunk of an entry is one). */
    static final double EVENTBRIDGE_PER_MILLION_EVENTS = 1.00;
    /** EventBridge archive: per GB of events archived, and per GB-month kept. */
    static final double ARCHIVE_PER_GB_ARCHIVED = 0.10;
    static final double ARCHIVE_PER_GB_MONTH = 0.023;
    /** X-Ray: traces recorded, and traces retrieved or scanned (first 100,000 and 1,000,000 a month free). */
    static final double XRAY_PER_MILLION_RECORDED = 5.00;
    static final double XRAY_PER_MILLION_RETRIEVED = 0.50;
    /** X-Ray's default sampling rule, which Lambda applies per function: a reservoir of 1 request a second, then 5 %. */
    static final double XRAY_FIXED_RATE = 0.05;

    // ---- Hosted services' published plans (transcriptions of their pricing pages dated 2026-09-20) ----
    /** Hookdeck Event Gateway: Developer $0 up to 10,000 events; Team from $39 with 10,000 included. */
    static final double HOOKDECK_FREE_EVENTS = 10_000;
    static final double HOOKDECK_TEAM_PER_MONTH = 39;
    /** "$1.00 per additional 100k" events ("as low as $0.33 per 100k" at volume, not modelled). */
    static final double HOOKDECK_PER_100K_EVENTS = 1.00;
    /** Svix: Free plan with 50,000 messages a month, then $0.0001 per message. */
    static final double SVIX_FREE_MESSAGES = 50_000;
    static final double SVIX_PER_MESSAGE = 0.0001;

    // ---- Measured (docs/performance.md) ----
    /**
     * Write units of one 1 KB event's whole life: 7 (section 4, 2026-12-01) plus the stranded-record audit
     * index's entry at the claim and its removal at the completion (DynamoDbAuditIndexTest, 2026-12-04).
     */
    static final double WRU_PER_EVENT = 9.0;
    /** Log and metric lines of one webhook's intake and processing, as the sinks received them (section 4). */
    static final double INTAKE_LOG_BYTES = 452;
    static final double PROCESSING_LOG_BYTES = 374;
    /** Receiver duration per webhook: the local p50 of intake, 17.7-19.7 ms, rounded up (section 3). */
    static final double RECEIVER_MS = 20;
    /** Processor duration per event: 3 sequential DynamoDB calls at about 7 ms each (section 3). */
    static final double PROCESSOR_MS_PER_EVENT = 22;
    /** Stored bytes per event: the item and its two index entries (section 4's 1 KB event). */
    static final double STORED_BYTES_PER_EVENT = 1_300;

    // ---- Estimates (not measured; each says what it stands for) ----
    /** Lambda's platform.start and platform.report lines per invocation (SystemLogLevel INFO), by their format. */
    static final double PLATFORM_LOG_BYTES_PER_INVOCATION = 600;
    /** One API Gateway access log line in the template's format. */
    static final double ACCESS_LOG_BYTES = 250;
    /** One sweeper run: 16 outbox queries that find nothing, about 7 ms each, plus the handler (the audit's 16 more not yet measured). */
    static final double SWEEPER_MS_PER_RUN = 120;
    /** A first request after a SnapStart restore (secret read, first TLS handshakes): extra duration. */
    static final double COLD_EXTRA_MS = 300;
    /** How long an idle execution environment is assumed to stay warm (AWS does not publish it). */
    static final double WARM_IDLE_MINUTES = 10;
    /** Each receiver's secret re-read every 300 s while warm, by up to this many environments at once. */
    static final double ENVIRONMENTS_PER_RECEIVER = 2;
    static final double SECRET_READS_PER_ENVIRONMENT_HOUR = 12;
    /** Idle SQS event source mapping: 5 long polls (20 s) at a time, each a ReceiveMessage request. */
    static final double IDLE_SQS_POLLERS = 5;
    static final double LONG_POLL_SECONDS = 20;
    /** DynamoDB tables encrypted with the AWS-managed key: about one KMS request per table per 5 minutes. */
    static final double KMS_REQUESTS_PER_TABLE_HOUR = 12;
    /** Read units of one outbox query that finds nothing (eventually consistent index query minimum). */
    static final double RRU_PER_EMPTY_QUERY = 0.5;
    /** Domain events published per webhook: one entity change each (an upper bound: duplicates and stale events publish none). */
    static final double DOMAIN_EVENTS_PER_WEBHOOK = 1;
    /** One published event as the archive keeps it: EventBridge's envelope (about 300 B) and a detail with the entity's state. */
    static final double ARCHIVED_BYTES_PER_EVENT = 1_500;
    /** Processor time per published event: one PutEvents (about 10 ms) and the record marked published (about 7 ms). */
    static final double PUBLISH_MS_PER_EVENT = 17;
    /** Write units of marking a record's change published: one update of the record. */
    static final double WRU_PER_PUBLISH = 1;
    /** The share of webhooks that are Reverb orders becoming paid: what the example rule sends to its queue. */
    static final double PAID_ORDER_SHARE = 0.05;
    /** Traces retrieved or scanned, as a share of those recorded (console service map and searches; an upper bound). */
    static final double XRAY_RETRIEVED_SHARE = 1;
}

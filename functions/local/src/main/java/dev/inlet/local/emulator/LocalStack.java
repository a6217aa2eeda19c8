package dev.inlet.local.emulator;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.observe.Log;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Inlet on one machine: DynamoDB Local and ElasticMQ in-process, the tables and queues of
 * template.yaml, every function of the template built with its own environment, the HTTP routes served
 * on loopback, and the processor fed from the local queue.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * @param visibilitySeconds the local queues' visibility timeout: failed events come back after this
     * @param pollQueue whether to run the processor on the queue (tests may drive it by hand)
     * @param scheduleSeconds how often scheduled functions (the sweeper) run; 0: never (tests call them)
     */
    public record Options(int httpPort, int dynamoPort, int sqsPort, Path template, EnvFile envFile,
                          Map<String, String> processEnv, Clock clock, int visibilitySeconds, Log.Sink sink,
                          boolean pollQueue, boolean sharedBackends, int scheduleSeconds) {
        /**
         * For tests: the JVM's shared embedded backends with this stack's own uniquely named tables and
         * queues, an ephemeral HTTP port, the repository's template and env file, the system clock, a
         * silent log, and a 2 s visibility timeout so retries come back quickly.
         */
        public static Options forTests() {
            Path template = SamTemplate.locate();
            return new Options(0, 0, 0, template, EnvFile.load(template.resolveSibling("events/env.json")),
                    Map.of(), Clock.systemUTC(), 2, (level, line) -> { }, true, true, 0);
        }

        public Options withClock(Clock c) {
            return new Options(httpPort, dynamoPort, sqsPort, template, envFile, processEnv, c, visibilitySeconds,
                    sink, pollQueue, sharedBackends, scheduleSeconds);
        }

        public Options withProcessEnv(Map<String, String> env) {
            return new Options(httpPort, dynamoPort, sqsPort, template, envFile, env, clock, visibilitySeconds, sink,
                    pollQueue, sharedBackends, scheduleSeconds);
        }

        public Options withSink(Log.Sink s) {
            return new Options(httpPort, dynamoPort, sqsPort, template, envFile, processEnv, clock, visibilitySeconds,
                    s, pollQueue, sharedBackends, scheduleSeconds);
        }

        public Options withPolling(boolean poll) {
            return new Options(httpPort, dynamoPort, sqsPort, template, envFile, processEnv, clock, visibilitySeconds,
                    sink, poll, sharedBackends, scheduleSeconds);
        }
    }

    private final Backends backends;
    private final boolean ownsBackends;
    private final LocalResources resources;
    private final Map<String, Map<String, String>> environments;
    private final Map<String, Object> handlers;
    private final LocalHttpServer http;
    private final List<AutoCloseable> workers;
    private final Optional<LocalBus> bus;

    private LocalStack(Backends backends, boolean ownsBackends, LocalResources resources,
                       Map<String, Map<String, String>> envs, Map<String, Object> handlers, LocalHttpServer http,
                       List<AutoCloseable> workers, Optional<LocalBus> bus) {
        this.backends = backends;
        this.ownsBackends = ownsBackends;
        this.resources = resources;
        this.environments = envs;
        this.handlers = handlers;
        this.http = http;
        this.workers = workers;
        this.bus = bus;
    }

    public static LocalStack start(Options options) {
        SamTemplate template = SamTemplate.load(options.template());
        boolean owns = !options.sharedBackends();
        Backends backends = owns ? EmbeddedBackends.start(options.dynamoPort(), options.sqsPort())
                : Backends.shared();
        String prefix = owns ? "" : "t" + Long.toHexString(System.nanoTime()) + "-";
        Optional<LocalBus> bus = Optional.empty();
        try {
            bus = busName(options.processEnv()).map(name -> LocalBus.open(LocalBus.directory(), prefix + name,
                    options.clock(), LocalBus.KEEP));
            LocalResources resources = LocalResources.create(template, backends, prefix,
                    Optional.of(options.visibilitySeconds()));
            Observability observability = Observability.to(options.sink(), options.clock());
            Map<String, Map<String, String>> envs = new LinkedHashMap<>();
            Map<String, Object> handlers = new LinkedHashMap<>();
            List<LocalHttpServer.Route> routes = new ArrayList<>();
            List<SamTemplate.Function> functions = template.functions();
            for (SamTemplate.Function f : functions) {
                Map<String, String> env = FunctionEnvironment.resolve(f, resources, backends, options.envFile(),
                        options.processEnv());
                if (f.environment().containsKey("EVENT_BUS_NAME")) {
                    env.put("EVENT_BUS_NAME", bus.map(LocalBus::name).orElse(""));
                }
                envs.put(f.logicalId(), env);
                Object handler = bus.isPresent() && LocalProcessor.is(f.handlerClass())
                        ? LocalProcessor.build(Env.of(env), options.clock(), observability, bus.get())
                        : instantiate(f, Env.of(env), options.clock(), observability);
                handlers.put(f.logicalId(), handler);
                for (SamTemplate.Route r : f.routes()) {
                    routes.add(new LocalHttpServer.Route(r.method(), r.path(), f.logicalId(), httpHandler(handler)));
                }
            }
            LocalHttpServer http = new LocalHttpServer(options.httpPort(), LocalHttpServer.sorted(routes),
                    options.clock());
            List<AutoCloseable> workers = new ArrayList<>();
            if (options.scheduleSeconds() > 0) {
                for (SamTemplate.Function f : functions) {
                    if (f.scheduled()) {
                        workers.add(new LocalScheduler(f.logicalId(), scheduledHandler(handlers.get(f.logicalId())),
                                options.scheduleSeconds(), options.clock()));
                    }
                }
            }
            if (options.pollQueue()) {
                for (SamTemplate.Function f : functions) {
                    for (String queueId : sqsSources(f)) {
                        workers.add(new QueuePoller(backends.sqs(), resources.ref(queueId).orElseThrow(),
                                resources.arn(queueId).orElseThrow(), f.logicalId(),
                                sqsHandler(handlers.get(f.logicalId())), timeoutMillis(template, f)));
                    }
                }
            }
            return new LocalStack(backends, owns, resources, envs, handlers, http, workers, bus);
        } catch (IOException e) {
            bus.ifPresent(LocalBus::close);
            if (owns) {
                backends.close();
            }
            throw new IllegalStateException("the local HTTP server could not start on port " + options.httpPort()
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            bus.ifPresent(LocalBus::close);
            if (owns) {
                backends.close();
            }
            throw e;
        }
    }

    /**
     * The local bus's name, one vocabulary with Lambda: {@code EVENT_BUS_NAME} from the environment, empty
     * for "publishing off"; unset, {@link LocalBus#DEFAULT_NAME} (the env file's value is for
     * {@code sam local invoke}, which has no bus).
     */
    static Optional<String> busName(Map<String, String> processEnv) {
        String name = processEnv.getOrDefault("EVENT_BUS_NAME", LocalBus.DEFAULT_NAME);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            LocalBus.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("EVENT_BUS_NAME", e.getMessage());
        }
        return Optional.of(name);
    }

    /** The in-process bus the processor publishes to; empty when publishing is off ({@code EVENT_BUS_NAME=""}). */
    public Optional<LocalBus> bus() {
        return bus;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + http.port());
    }

    public Backends backends() {
        return backends;
    }

    public LocalResources resources() {
        return resources;
    }

    /** The environment a function was built with (it may hold test secrets: do not print it). */
    public Map<String, String> environmentOf(String logicalId) {
        return environments.get(logicalId);
    }

    public Object handler(String logicalId) {
        return handlers.get(logicalId);
    }

    /**
     * Serves the console (or any other handler) on this stack's HTTP port for every path no webhook
     * route matches; the webhook routes are unchanged.
     */
    public void serveOthers(com.sun.net.httpserver.HttpHandler handler) {
        http.serveOthers(handler);
    }

    /**
     * The environment of an operator's command against this stack (as {@code ./inlet events} and
     * {@code replay} get it from {@link LocalEnv}): the backends, the table and queue names.
     */
    public Env commandEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(backends.awsEnvironment());
        env.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
        env.put("ENTITIES_TABLE", resources.ref("EntitiesTable").orElseThrow());
        env.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
        env.put("DEAD_LETTER_QUEUE_URL", resources.ref("EventsDeadLetterQueue").orElseThrow());
        env.put("EVENT_BUS_NAME", bus.map(LocalBus::name).orElse(""));
        return Env.of(env);
    }

    /**
     * Every function's settings in one environment: what signs samples the way the receivers verify
     * them (it holds test secrets: never print or serve it).
     */
    public Env functionSettings() {
        Map<String, String> env = new LinkedHashMap<>();
        environments.values().forEach(env::putAll);
        return Env.of(env);
    }

    public List<String> routeDescriptions() {
        return http.routes().stream().map(r -> r.method() + " " + baseUrl() + r.path()).toList();
    }

    @Override
    public void close() {
        for (AutoCloseable w : workers) {
            try {
                w.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
        http.close();
        bus.ifPresent(LocalBus::close);
        if (ownsBackends) {
            backends.close();
        }
    }

    private static List<String> sqsSources(SamTemplate.Function f) {
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = f.properties().path("Events").elements(); it.hasNext(); ) {
            JsonNode event = it.next();
            if ("SQS".equals(event.path("Type").asText())) {
                JsonNode queue = event.path("Properties").path("Queue");
                if (queue.has("Fn::GetAtt")) {
                    out.add(queue.get("Fn::GetAtt").get(0).asText());
                }
            }
        }
        return out;
    }

    /** Builds a handler through its (Env, Clock, Observability) constructor, the functions' composition root. */
    static Object instantiate(SamTemplate.Function f, Env env, Clock clock, Observability observability) {
        try {
            Class<?> type = Class.forName(f.handlerClass());
            return type.getConstructor(Env.class, Clock.class, Observability.class).newInstance(env, clock, observability);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(f.logicalId() + ": handler class " + f.handlerClass() + " not found", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(f.logicalId() + ": " + f.handlerClass()
                    + " needs a public (Env, Clock, Observability) constructor", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException(f.logicalId() + " failed to initialise: " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(f.logicalId() + ": cannot build " + f.handlerClass(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static RequestStreamHandler httpHandler(Object handler) {
        return (RequestStreamHandler) handler;
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<ScheduledEvent, ?> scheduledHandler(Object handler) {
        return (RequestHandler<ScheduledEvent, ?>) handler;
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<SQSEvent, SQSBatchResponse> sqsHandler(Object handler) {
        return (RequestHandler<SQSEvent, SQSBatchResponse>) handler;
    }

    /** The function's Timeout (or the Globals' one, or Lambda's default of 3 s), in milliseconds. */
    public static int timeoutMillis(SamTemplate template, SamTemplate.Function f) {
        int globals = template.root().path("Globals").path("Function").path("Timeout").asInt(3);
        return f.properties().path("Timeout").asInt(globals) * 1000;
    }
}

package dev.inlet.local.parity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Lambda Java runtime does with a {@code Handler} string, in a fresh JVM on the function's own
 * jar: load the class, call its public no-arg constructor (which reads System.getenv()), then for a
 * stream handler pass each event file's bytes and print what it writes; for a typed handler read each
 * event file with the runtime's serializer for the handler's input type, call {@code handleRequest}, and
 * print the result serialized the same way. One line per event.
 */
public final class InvokeMain {
    private InvokeMain() {
    }

    public static void main(String[] args) throws Exception {
        String handler = args[0];
        Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
        Object instance = type.getConstructor().newInstance();
        Context context = (Context) Proxy.newProxyInstance(InvokeMain.class.getClassLoader(),
                new Class<?>[] {Context.class}, (p, m, a) -> m.getName().equals("getRemainingTimeInMillis")
                        // the function's Timeout from the template, as Lambda starts an invocation with it
                        ? Integer.getInteger("inlet.remainingMillis", 10_000)
                        : m.getReturnType() == int.class ? 1024 : m.getReturnType() == String.class ? "parity" : null);
        if (instance instanceof RequestStreamHandler stream) {
            // The runtime hands a stream handler the event's bytes as they came, and returns what it writes.
            for (int i = 1; i < args.length; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (InputStream s = Files.newInputStream(Path.of(args[i]))) {
                    stream.handleRequest(s, out, context);
                }
                System.out.println("RESULT " + Path.of(args[i]).getFileName() + " "
                        + out.toString(StandardCharsets.UTF_8).replace('\n', ' '));
            }
            return;
        }
        Method method = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge()
                    && m.getParameterTypes()[0] != Object.class) {
                method = m;
            }
        }
        if (method == null) {
            throw new IllegalStateException(handler + " has no typed handleRequest");
        }
        for (int i = 1; i < args.length; i++) {
            @SuppressWarnings("unchecked")
            PojoSerializer<Object> in = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(
                    method.getParameterTypes()[0], InvokeMain.class.getClassLoader());
            Object event;
            try (InputStream s = Files.newInputStream(Path.of(args[i]))) {
                event = in.fromJson(s);
            }
            Object result = method.invoke(instance, event, context);
            String line;
            if (result instanceof String text) {
                line = text;
            } else {
                @SuppressWarnings("unchecked")
                PojoSerializer<Object> outSer = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(
                        result.getClass(), InvokeMain.class.getClassLoader());
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                outSer.toJson(result, buffer);
                line = buffer.toString(StandardCharsets.UTF_8);
            }
            System.out.println("RESULT " + Path.of(args[i]).getFileName() + " " + line.replace('\n', ' '));
        }
    }
}

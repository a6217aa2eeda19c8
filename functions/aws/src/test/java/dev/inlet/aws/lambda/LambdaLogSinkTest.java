package dev.inlet.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LambdaLogSinkTest {
    @AfterEach
    void outsideAnInvocation() {
        LambdaLogSink.startInvocation(null);
    }

    @Test
    void duringAnInvocation_eachLineStartsWithItsRequestId_andKeepsItsOwnFields() {
        LambdaLogSink.startInvocation(context("8f1c2d3e-0000-4000-8000-000000000001"));

        assertEquals("{\"AWSRequestId\":\"8f1c2d3e-0000-4000-8000-000000000001\",\"event\":\"accepted\"}",
                text(LambdaLogSink.withRequestId("{\"event\":\"accepted\"}")));
        assertEquals("{\"AWSRequestId\":\"8f1c2d3e-0000-4000-8000-000000000001\"}", text(LambdaLogSink.withRequestId("{}")));
    }

    @Test
    void outsideAnInvocation_theLineIsLeftAsItIs() {
        assertEquals("{\"event\":\"init\"}", text(LambdaLogSink.withRequestId("{\"event\":\"init\"}")));
    }

    @Test
    void aRequestIdIsWrittenAsAJsonString_whateverItHolds() {
        LambdaLogSink.startInvocation(context("a\"b"));

        assertEquals("{\"AWSRequestId\":\"a\\\"b\",\"x\":1}", text(LambdaLogSink.withRequestId("{\"x\":1}")));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Context context(String requestId) {
        return (Context) Proxy.newProxyInstance(LambdaLogSinkTest.class.getClassLoader(), new Class<?>[] {Context.class},
                (p, m, a) -> m.getName().equals("getAwsRequestId") ? requestId : null);
    }
}

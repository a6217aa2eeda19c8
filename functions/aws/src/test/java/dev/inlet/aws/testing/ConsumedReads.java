package dev.inlet.aws.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Every DynamoDB call's operation name, and the read units DynamoDB reports for each read (it asks every
 * GetItem, BatchGetItem, Query and Scan for its consumed capacity): tests that promise a read costs a bounded
 * number of units or never scans put this on the client they measure.
 */
public final class ConsumedReads implements ExecutionInterceptor {
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final DoubleAdder readUnits = new DoubleAdder();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        if (r instanceof GetItemRequest g) {
            return g.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (r instanceof BatchGetItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (r instanceof QueryRequest q) {
            return q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (r instanceof ScanRequest s) {
            return s.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        Object r = context.response();
        if (r instanceof GetItemResponse g && g.consumedCapacity() != null) {
            readUnits.add(g.consumedCapacity().capacityUnits());
        } else if (r instanceof BatchGetItemResponse b && b.hasConsumedCapacity()) {
            b.consumedCapacity().stream().map(ConsumedCapacity::capacityUnits).forEach(readUnits::add);
        } else if (r instanceof QueryResponse q && q.consumedCapacity() != null) {
            readUnits.add(q.consumedCapacity().capacityUnits());
        } else if (r instanceof ScanResponse s && s.consumedCapacity() != null) {
            readUnits.add(s.consumedCapacity().capacityUnits());
        }
    }

    /** The operations called since the last reset, in order ("GetItem", "Query", ...). */
    public List<String> operations() {
        return List.copyOf(operations);
    }

    /** The read units consumed since the last reset. */
    public double readUnits() {
        return readUnits.sum();
    }

    /** Forgets the calls so far; returns the read units they consumed. */
    public double reset() {
        operations.clear();
        return readUnits.sumThenReset();
    }
}

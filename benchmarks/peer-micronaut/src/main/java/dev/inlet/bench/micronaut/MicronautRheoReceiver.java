package dev.inlet.bench.micronaut;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/**
 * The second peer: the same Rheo work as Inlet's receiver on Micronaut's AWS Lambda support, as its
 * guides show it: a {@code MicronautRequestHandler} over API Gateway's v2 event, the work in an injected
 * singleton, the SDK clients from a factory with the SDK's defaults (endpoints overridden only to reach
 * the local backends).
 */
public class MicronautRheoReceiver extends MicronautRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Inject
    RheoIntake intake;

    @Override
    public APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent event) {
        return intake.handle(event);
    }
}

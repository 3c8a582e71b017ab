package io.multuseni.aws;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * One debug line per EC2 call, as the SDK made it: the action, what it concerns (the ENI, instance, attachment or
 * filters), the result or error code, how long it took with the SDK's retries, how many attempts, and EC2's request
 * id (what AWS support asks for). Only the request's own fields are read: never a header, so never a credential or a
 * signature.
 */
final class CallLog implements ExecutionInterceptor {
    private static final Logger log = LoggerFactory.getLogger(CallLog.class);
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("multus-eni.started");
    private static final ExecutionAttribute<Integer> ATTEMPTS = new ExecutionAttribute<>("multus-eni.attempts");
    /** The request fields that say what a call concerns, in the order they are told. */
    private static final List<String> SUBJECTS = List.of("NetworkInterfaceId", "NetworkInterfaceIds", "AttachmentId",
            "InstanceId", "Resources", "InstanceTypes", "DeviceIndex");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
        attributes.putAttribute(ATTEMPTS, 0);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(ATTEMPTS, attributes.getOptionalAttribute(ATTEMPTS).orElse(0) + 1);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (log.isDebugEnabled()) {
            String requestId = context.response() instanceof AwsResponse r ? r.responseMetadata().requestId() : null;
            say(context.request(), attributes, "ok", requestId);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (log.isDebugEnabled()) {
            Throwable e = context.exception();
            if (e instanceof AwsServiceException s) {
                say(context.request(), attributes, s.awsErrorDetails() == null ? "HTTP " + s.statusCode()
                        : s.awsErrorDetails().errorCode(), s.requestId());
            } else {
                say(context.request(), attributes, e.getClass().getSimpleName() + " (" + e.getMessage() + ")", null);
            }
        }
    }

    private static void say(SdkRequest request, ExecutionAttributes attributes, String result, String requestId) {
        long ms = (System.nanoTime() - attributes.getOptionalAttribute(STARTED).orElse(System.nanoTime())) / 1_000_000;
        int attempts = attributes.getOptionalAttribute(ATTEMPTS).orElse(0);
        log.debug("EC2 {}{}: {} in {} ms, {} attempt{}, request id {}",
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), subjects(request), result, ms,
                attempts, attempts == 1 ? "" : "s", requestId == null ? "none" : requestId);
    }

    private static String subjects(SdkRequest request) {
        List<String> said = new ArrayList<>();
        for (String field : SUBJECTS) {
            request.getValueForField(field, Object.class).filter(v -> !(v instanceof List<?> l && l.isEmpty()))
                    .ifPresent(v -> said.add(field + "=" + v));
        }
        request.getValueForField("Filters", List.class).map(f -> (List<?>) f).filter(f -> !f.isEmpty())
                .ifPresent(f -> said.add("filters " + f.stream()
                .map(x -> x instanceof Filter filter ? filter.name() + "=" + String.join(",", filter.values())
                        : String.valueOf(x)).toList()));
        return said.isEmpty() ? "" : " " + String.join(" ", said);
    }
}

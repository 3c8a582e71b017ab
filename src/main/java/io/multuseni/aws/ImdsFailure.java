package io.multuseni.aws;

/** IMDS did not answer, or not with what was asked for; the message names the path and the endpoint. */
public final class ImdsFailure extends RuntimeException {
    public ImdsFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

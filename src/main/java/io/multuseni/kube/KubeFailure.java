package io.multuseni.kube;

/** The API server could not be reached, or refused; retried with backoff by the caller. */
public final class KubeFailure extends RuntimeException {
    public KubeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

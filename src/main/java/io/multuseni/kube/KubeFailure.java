package io.multuseni.kube;

/** The API server could not be reached, or refused; retried with backoff by the caller. */
public final class KubeFailure extends RuntimeException {
    private final int status;

    public KubeFailure(String message, Throwable cause) {
        this(message, cause, 0);
    }

    /** @param status the HTTP status the API server answered with; 0 when it did not answer */
    public KubeFailure(String message, Throwable cause, int status) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status the API server refused with (403: not allowed), or 0 when it did not answer at all. */
    public int status() {
        return status;
    }
}

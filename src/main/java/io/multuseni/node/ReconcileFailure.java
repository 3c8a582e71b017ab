package io.multuseni.node;

/** The boot or release could not be done; the message says what was found and what to do. */
public final class ReconcileFailure extends RuntimeException {
    public ReconcileFailure(String message) {
        super(message);
    }

    public ReconcileFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.multuseni.net;

/** An interface could not be read or changed; the message names the command and what it said. */
public final class LinkFailure extends RuntimeException {
    public LinkFailure(String message) {
        super(message);
    }
}

package io.multuseni.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/** Messages that say what went wrong when the library's own says nothing. */
class CausesTest {
    @Test
    void aMissingOrEmptyMessageGivesWayToTheCause() {
        assertThat(Causes.of(new RuntimeException((String) null, new UnknownHostException("ec2.xx-bad-1.amazonaws.com"))))
                .isEqualTo("UnknownHostException: ec2.xx-bad-1.amazonaws.com");
        assertThat(Causes.of(new IllegalStateException(new UnresolvedAddressException())))
                .isEqualTo("java.nio.channels.UnresolvedAddressException");
        assertThat(Causes.of(new NullPointerException())).isEqualTo("NullPointerException");
    }

    @Test
    void aGenericMessageIsKeptAndTheCauseAdded() {
        assertThat(Causes.of(new RuntimeException("An error has occurred.",
                new IllegalArgumentException("mapping values are not allowed here\n in 'reader', line 1"))))
                .isEqualTo("An error has occurred. (IllegalArgumentException: mapping values are not allowed here)");
        assertThat(Causes.of(new RuntimeException("get Node n1: Connection refused",
                new java.net.ConnectException("Connection refused")))).isEqualTo(
                "get Node n1: Connection refused (ConnectException: Connection refused)");
    }
}

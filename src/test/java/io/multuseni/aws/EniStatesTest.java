package io.multuseni.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** EC2's words for the states of an ENI and of an attachment, read and said back unchanged. */
class EniStatesTest {

    @ParameterizedTest
    @ValueSource(strings = {"available", "associated", "attaching", "in-use", "detaching"})
    void everyEniStatusEc2DocumentsIsReadAndSaidBack(String word) {
        assertThat(Eni.State.of(word)).isNotEqualTo(Eni.State.UNKNOWN);
        assertThat(Eni.State.of(word).toString()).isEqualTo(word);
    }

    @ParameterizedTest
    @ValueSource(strings = {"attaching", "attached", "detaching", "detached"})
    void everyAttachmentStatusEc2DocumentsIsReadAndSaidBack(String word) {
        assertThat(Eni.AttachmentState.of(word)).isNotEqualTo(Eni.AttachmentState.UNKNOWN);
        assertThat(Eni.AttachmentState.of(word).toString()).isEqualTo(word);
    }

    @Test
    void aWordEc2AddsLaterIsUnknownAndNotCountedAsAttached() {
        assertThat(Eni.State.of("quarantined")).isEqualTo(Eni.State.UNKNOWN);
        Eni.Attachment later = new Eni.Attachment("eni-attach-1", "i-1", 1, 0,
                Eni.AttachmentState.of("suspended"));
        assertThat(later.isActive()).isFalse();
        assertThat(new Eni.Attachment("eni-attach-1", "i-1", 1, 0, Eni.AttachmentState.of("attaching")).isActive())
                .isTrue();
    }
}

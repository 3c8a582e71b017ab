package io.multuseni.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing into a directory someone else can write to: links planted there are replaced, never written through. */
class AtomicFileTest {
    @TempDir
    Path tmp;

    @Test
    void aLinkPlantedAtTheFinalNameIsReplacedNotWrittenThrough() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious");
        Path dir = Files.createDirectories(tmp.resolve("collector"));
        Path file = dir.resolve("multus_eni.prom");
        Files.createSymbolicLink(file, victim);

        assertThat(AtomicFile.writeIfDifferent(file, "metrics\n")).isTrue();

        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(Files.readString(file)).isEqualTo("metrics\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }

    @Test
    void aLinkPlantedAtTheOldTemporaryNameIsLeftAloneAndNothingIsLeftBehind() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious");
        Path dir = Files.createDirectories(tmp.resolve("network"));
        Path planted = Files.createSymbolicLink(dir.resolve(".10-multus-eni.link.tmp"), victim);

        AtomicFile.writeIfDifferent(dir.resolve("10-multus-eni.link"), "[Match]\n");
        AtomicFile.writeIfDifferent(dir.resolve("10-multus-eni.link"), "[Match]\n");

        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(planted)).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(".10-multus-eni.link.tmp", "10-multus-eni.link");
        }
        assertThat(Files.isRegularFile(dir.resolve("10-multus-eni.link"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}

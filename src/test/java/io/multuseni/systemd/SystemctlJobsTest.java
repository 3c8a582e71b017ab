package io.multuseni.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telling a restart from a stop by the unit's job; the real systemd tier asks a real systemd the same. */
class SystemctlJobsTest {
    @TempDir
    Path tmp;

    private SystemctlJobs jobs(String cgroup, String listJobsOutput, int exit) throws Exception {
        Path cgroupFile = Files.writeString(tmp.resolve("cgroup"), cgroup);
        Path args = tmp.resolve("args");
        Path systemctl = Files.writeString(tmp.resolve("systemctl"), "#!/bin/sh\necho \"$@\" > " + args
                + "\nprintf '%s' '" + listJobsOutput + "'\nexit " + exit + "\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new SystemctlJobs(cgroupFile, systemctl.toString());
    }

    @Test
    void aRestartJobOfThisUnitIsARestart() throws Exception {
        SystemctlJobs jobs = jobs("0::/system.slice/multus-eni.service\n",
                "  812 multus-eni.service restart running\n  813 kubelet.service start waiting\n", 0);

        assertThat(jobs.restarting()).isTrue();
        assertThat(Files.readString(tmp.resolve("args"))).contains("list-jobs").contains("multus-eni.service");
    }

    @Test
    void aStopJobAnotherUnitsRestartOrNoAnswerIsAStop() throws Exception {
        assertThat(jobs("0::/system.slice/multus-eni.service\n", "  812 multus-eni.service stop running\n", 0)
                .restarting()).isFalse();
        assertThat(jobs("0::/system.slice/multus-eni.service\n", "  7 kubelet.service restart running\n", 0)
                .restarting()).isFalse();
        assertThat(jobs("0::/system.slice/multus-eni.service\n", "Failed to connect to bus", 1).restarting())
                .isFalse();
        assertThat(jobs("0::/user.slice/session-3.scope\n", "  1 multus-eni.service restart running\n", 0)
                .restarting()).as("not in a service's cgroup").isFalse();
    }

    @Test
    void theUnitIsFoundInACgroupV1HybridToo() throws Exception {
        SystemctlJobs jobs = jobs("12:pids:/system.slice/multus-eni.service\n1:name=systemd:/system.slice/"
                + "multus-eni.service\n0::/system.slice/multus-eni.service\n", "", 0);

        assertThat(jobs.unit()).contains("multus-eni.service");
    }
}

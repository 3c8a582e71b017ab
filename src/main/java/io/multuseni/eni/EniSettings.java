package io.multuseni.eni;

import io.multuseni.config.Config;
import io.multuseni.config.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the per-network machine needs of the configuration, and no more: its waits, whether to change anything,
 * and where the VPC CNI would say it runs.
 *
 * @param bootWait how long the one-shot {@code attach} looks for a free ENI ({@code --boot-wait})
 * @param attachTimeout how long an attachment and its interface may take to appear ({@code --attach-timeout})
 * @param detachTimeout how long a release waits for the ENI to become available ({@code --detach-timeout})
 * @param dryRun EC2 calls with DryRun=true and nothing else changed ({@code --dry-run})
 * @param cniConfDir where the VPC CNI's {@code 10-aws.conflist} is when it runs ({@code --cni-conf-dir})
 */
public record EniSettings(Duration bootWait, Duration attachTimeout, Duration detachTimeout, boolean dryRun,
                          Path cniConfDir) {
    public static EniSettings of(Config config) {
        return new EniSettings(config.get(Settings.BOOT_WAIT), config.get(Settings.ATTACH_TIMEOUT), config.get(Settings.DETACH_TIMEOUT), config.get(Settings.DRY_RUN),
                config.get(Settings.CNI_CONF_DIR));
    }
}

package io.multuseni.cli;

import io.multuseni.aws.SdkEc2;
import io.multuseni.config.Config;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import io.multuseni.daemon.Session;
import io.multuseni.doctor.Check;
import io.multuseni.doctor.Doctor;
import io.multuseni.json.Json;
import io.multuseni.kube.KubeClients;
import io.multuseni.net.SysfsLinks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", description = "Check everything multus-eni needs on this node, changing nothing (EC2"
        + " permissions are tried with DryRun=true); exit 0 only when every check passes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed (warnings and calls not tried pass)", "1:a check failed",
                ExitCodes.USAGE_LINE, ExitCodes.CONFIG_LINE})
final class DoctorCommand extends EniCommand {
    @Option(names = "--json", description = "Print one JSON object: ok, and the checks.")
    boolean json;

    @Option(names = "--cni-bin-dir", paramLabel = "DIR", defaultValue = "/opt/cni/bin",
            description = "Where the CNI plugins are. Default: ${DEFAULT-VALUE}")
    Path cniBin;

    @Option(names = "--kubelet-config", paramLabel = "FILE", defaultValue = "/etc/kubernetes/kubelet/config.json",
            description = "kubelet's configuration, as nodeadm writes it (drop-ins in FILE.d/), whose maxPods is"
                    + " checked. Default: ${DEFAULT-VALUE}")
    Path kubeletConfig;

    /** Everything the node needs: the ENIs, the permissions, the directories and the API server. */
    @Override
    List<Setting<?>> uses() {
        return settings(List.of(Settings.SELECTION, Settings.KUBERNETES), Settings.NETWORK_CONFIG_DIR,
                Settings.CNI_CONF_DIR, Settings.NODEADM_CACHE_DIR, Settings.LOG_LEVEL);
    }

    /** Not through a {@link Session}: opening one needs what the doctor is here to check. */
    @Override
    int run(Config config) {
        List<SdkEc2> opened = new ArrayList<>();
        try {
            Doctor doctor = new Doctor(config, Session.imds(main.env), id -> {
                SdkEc2 ec2 = SdkEc2.create(Session.region(id, main.env), Session.ec2Endpoint(main.env), true);
                opened.add(ec2);
                return ec2;
            }, SysfsLinks.host(), node -> KubeClients.nodes(config.kube(), node.cluster().orElse(""),
                    Session.region(node.identity(), main.env), true), cniBin, kubeletConfig);
            List<Check> checks = doctor.run();
            boolean ok = checks.stream().allMatch(Check::ok);
            if (json) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("ok", ok);
                report.put("checks", new Json.Raw(Json.array(checks.stream().map(Check::toJson).toList())));
                System.out.println(Json.object(report));
            } else {
                checks.forEach(c -> System.out.println(c.toText()));
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            opened.forEach(SdkEc2::close);
        }
    }
}

package io.multuseni.aws;

import java.util.List;

/** The instance metadata service, IMDSv2 only. */
public interface Imds {
    Identity identity();

    /** The interfaces whose attachment has completed, as IMDS lists them. */
    List<AttachedInterface> interfaces();

    record Identity(String instanceId, String region, String zone, String localHostname) {}

    record AttachedInterface(String mac, String interfaceId, int deviceNumber, int networkCard) {}
}

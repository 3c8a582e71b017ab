package io.multuseni.aws;

/**
 * What an instance type allows the node's network: how many interfaces its default network card takes and how many
 * IPv4 addresses each interface carries (DescribeInstanceTypes' {@code NetworkInfo}).
 */
public record InstanceType(String name, int interfaces, int ipv4PerInterface) {
    /**
     * How many pods the VPC CNI can give an address in its default mode (one secondary address per pod, every ENI
     * but the ones reserved for others): {@code (interfaces - reserved) * (ipv4PerInterface - 1) + 2}, the two
     * being host-network pods. nodeadm's default {@code maxPods} is this with none reserved
     * (awslabs/amazon-eks-ami {@code nodeadm/internal/kubelet/eni_max_pods.go}).
     */
    public int vpcCniPods(int reservedInterfaces) {
        return (interfaces - reservedInterfaces) * (ipv4PerInterface - 1) + 2;
    }
}

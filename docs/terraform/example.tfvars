# Copy to a file of your own (e.g. prod.tfvars) and set every value to your cluster's.
region                 = "eu-west-2"
cluster_name           = "prod"
vpc_id                 = "vpc-0123456789abcdef0"
node_security_group_id = "sg-0123456789abcdef0"

# Free ranges of the VPC's CIDR, one per zone the nodes run in (docs/kubernetes's NetworkAttachmentDefinitions
# name these static IPs), each with the route table of that zone's node subnets.
multus_zones = {
  "eu-west-2a" = { cidr_block = "10.231.4.0/28", static_ip = "10.231.4.4", route_table_id = "rtb-0aaaaaaaaaaaaaaaa" }
  "eu-west-2b" = { cidr_block = "10.231.4.16/28", static_ip = "10.231.4.20", route_table_id = "rtb-0bbbbbbbbbbbbbbbb" }
}

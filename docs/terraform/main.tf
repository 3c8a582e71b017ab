# One subnet for the static IPs and one tagged ENI per availability zone, in the seed's tag scheme,
# plus the tag that keeps the VPC CNI away. Each ENI's private IP is the static, firewall-able address
# its Multus pods use. Adjust the variables; everything else follows.

variable "cluster_name" {
  type = string
}

variable "vpc_id" {
  type = string
}

# One entry per zone: the subnet for the Multus ENIs there, and the static IP. An AWS subnet is /16 to
# /28, and AWS keeps the first four addresses of each (network, VPC router, DNS, future use) and the
# last: in a /28 the usable ones are .4 to .14 of its block.
variable "multus_zones" {
  type = map(object({
    cidr_block = string
    static_ip  = string
  }))
  default = {
    "eu-west-2a" = { cidr_block = "10.231.4.0/28", static_ip = "10.231.4.4" }
    "eu-west-2b" = { cidr_block = "10.231.4.16/28", static_ip = "10.231.4.20" }
  }
}

variable "node_security_group_id" {
  type = string
}

resource "aws_subnet" "multus" {
  for_each          = var.multus_zones
  vpc_id            = var.vpc_id
  availability_zone = each.key
  cidr_block        = each.value.cidr_block
  tags = {
    Name = "${var.cluster_name}-multus-${each.key}"
  }
}

resource "aws_network_interface" "multus" {
  for_each        = var.multus_zones
  subnet_id       = aws_subnet.multus[each.key].id
  private_ips     = [each.value.static_ip]
  security_groups = [var.node_security_group_id]
  description     = "Multus ENI for ${var.cluster_name} in ${each.key}"
  tags = {
    "multus"                           = "true"
    "cluster"                          = var.cluster_name
    "Zone"                             = each.key
    "node.k8s.amazonaws.com/no_manage" = "true"
  }
}

output "multus_enis" {
  value = { for zone, eni in aws_network_interface.multus : zone => { id = eni.id, ip = eni.private_ip } }
}

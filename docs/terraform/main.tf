# One subnet for the static IPs and one tagged ENI per availability zone, in the seed's tag scheme,
# plus the tag that keeps the VPC CNI away. Each ENI's private IP is the static, firewall-able address
# its Multus pods use. Copy example.tfvars, set its values, then `terraform init` and
# `terraform apply -var-file=…` in this directory (docs/walkthrough.md, step 1).

terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "The cluster's region, e.g. eu-west-2."
  type        = string
}

variable "cluster_name" {
  description = "The EKS cluster's name: the ENIs' cluster tag, which multus-eni matches."
  type        = string
}

variable "vpc_id" {
  description = "The cluster's VPC."
  type        = string
}

variable "node_security_group_id" {
  description = "The nodes' security group, given to the ENIs too."
  type        = string
}

# One entry per zone the nodes run in: a free range of the VPC's CIDR for the Multus subnet there, the
# static IP, and the route table the subnet uses. An AWS subnet is /16 to /28, and AWS keeps the first
# four addresses of each (network, VPC router, DNS, future use) and the last: in a /28 the usable ones
# are .4 to .14 of its block. A new subnet without an association uses the VPC's main route table, which
# in many EKS VPCs routes nothing beyond the VPC: give it the route table of the zone's node subnets, or
# any that routes the firewall's range (the NetworkAttachmentDefinitions' `routes`).
variable "multus_zones" {
  description = "Per zone: cidr_block of the Multus subnet, static_ip of its ENI, route_table_id for the subnet."
  type = map(object({
    cidr_block     = string
    static_ip      = string
    route_table_id = string
  }))
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

resource "aws_route_table_association" "multus" {
  for_each       = var.multus_zones
  subnet_id      = aws_subnet.multus[each.key].id
  route_table_id = each.value.route_table_id
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

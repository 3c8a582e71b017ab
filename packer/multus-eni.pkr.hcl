# An EKS-optimized Amazon Linux 2023 AMI with multus-eni baked in.
#   packaging/build.sh && cd packer && packer init . && packer build -var subnet_id=subnet-… .
# The amazon plugin requirement is in plugins.pkr.hcl (kept apart so older Packer can validate this file).

variable "kubernetes_version" {
  type        = string
  default     = "1.33"
  description = "Kubernetes minor version of the EKS AL2023 AMI to start from."
}

variable "region" {
  type    = string
  default = "eu-west-2"
}

variable "instance_type" {
  type    = string
  default = "m6i.large"
}

variable "subnet_id" {
  type        = string
  default     = ""
  description = "Subnet for the build instance (empty: the default VPC's)."
}

variable "rpm_path" {
  type        = string
  default     = "../target/dist/multus-eni.noarch.rpm"
  description = "The RPM packaging/build.sh made."
}

variable "ami_name_prefix" {
  type    = string
  default = "eks-al2023-multus-eni"
}

locals {
  build_time = formatdate("YYYYMMDDhhmm", timestamp())
}

source "amazon-ebs" "al2023" {
  region        = var.region
  instance_type = var.instance_type
  subnet_id     = var.subnet_id
  ssh_username  = "ec2-user"
  ami_name      = "${var.ami_name_prefix}-${var.kubernetes_version}-${local.build_time}"

  # The official EKS-optimized AL2023 AMIs, published by Amazon EKS's account.
  source_ami_filter {
    filters = {
      name                = "amazon-eks-node-al2023-x86_64-standard-${var.kubernetes_version}-v*"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    owners      = ["602401143452"]
    most_recent = true
  }

  # The nodes' IMDS settings (IMDSv2 required) belong in the launch template or EC2NodeClass: see userdata/.

  tags = {
    Name               = "${var.ami_name_prefix}-${var.kubernetes_version}"
    kubernetes_version = var.kubernetes_version
    multus_eni         = "true"
  }
}

build {
  sources = ["source.amazon-ebs.al2023"]

  provisioner "file" {
    source      = var.rpm_path
    destination = "/tmp/multus-eni.rpm"
  }

  provisioner "file" {
    source      = "files/10-multus.network"
    destination = "/tmp/10-multus.network"
  }

  provisioner "shell" {
    script          = "provision.sh"
    execute_command = "sudo sh -c '{{ .Vars }} {{ .Path }}'"
  }
}

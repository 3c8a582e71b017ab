# Current Packer needs the amazon plugin declared; Packer 1.6 (Debian's, used by CI to validate) does not
# know this block, so it lives in a file of its own.
packer {
  required_plugins {
    amazon = {
      version = ">= 1.3.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

# The locations need no credentials: a provider with only a region will do.
provider "osc" {
  region = "eu-west-2"
}

data "osc_directlink_locations" "all" {}

output "locations" {
  value = { for l in data.osc_directlink_locations.all.locations : l.code => l.name }
}

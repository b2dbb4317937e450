# The OVF descriptor, the manifest and the OVA. Sourced by build.sh (bash, set -eu).
# The ProductSection's keys are the appliance settings of io.hotadd.agent.boot.appliance.Setting: the same
# key is the OVF property, the guestinfo.<key> fallback and the agent.properties key.

OVF_VMX=vmx-14          # vSphere 6.7 and later
# Guest OS type: debian12_64Guest is newer than the vSphere 6.7 floor (vmx-14); debian10_64Guest is known to 6.7 and
# selects the same defaults (the description still says Debian 12).
OVF_CPUS=2
OVF_MEMORY_MB=4096

xml_escape() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }

# property KEY TYPE DEFAULT "LABEL" "DESCRIPTION" [password] [QUALIFIERS]
property() {
  local key=$1 type=$2 value=$3 label=$4 description=$5 password=${6:-} qualifiers=${7:-} extra=
  [ "$password" = password ] && extra=' ovf:password="true"'
  [ -n "$qualifiers" ] && extra="$extra ovf:qualifiers=\"$(xml_escape "$qualifiers")\""
  cat <<XML
      <Property ovf:key="$key" ovf:type="$type" ovf:userConfigurable="true" ovf:value="$(xml_escape "$value")"$extra>
        <Label>$(xml_escape "$label")</Label>
        <Description>$(xml_escape "$description")</Description>
      </Property>
XML
}

product_section() {
  cat <<XML
    <ProductSection ovf:required="false">
      <Info>Settings of the HotAdd backup proxy, applied at every boot</Info>
      <Product>HotAdd backup proxy</Product>
      <Vendor>HotAdd project</Vendor>
      <Version>$(xml_escape "$VERSION")</Version>
      <FullVersion>$(xml_escape "$VERSION")</FullVersion>
      <Category>vCenter</Category>
XML
  property hotadd.vcenter.url string "" "vCenter URL" "https://vcenter.example.com/sdk - the vCenter this proxy works for."
  property hotadd.vcenter.thumbprint string "" "vCenter certificate thumbprint" \
    "SHA-256 (or SHA-1) fingerprint of vCenter's certificate, e.g. AB:CD:... The agent trusts exactly this certificate."
  property hotadd.vcenter.user string "" "vCenter user" "A user with the HotAdd role (docs/appliance.md), e.g. backup@vsphere.local."
  property hotadd.vcenter.password string "" "vCenter password" "Password of the vCenter user." password
  cat <<XML
      <Category>Central server</Category>
XML
  property hotadd.api.token string "" "API token" \
    "Token the central server presents to this proxy's API (https://<proxy>:8443/api/v1); at least 16 characters." \
    password 'MinLen(16)'
  cat <<XML
      <Category>Repository</Category>
XML
  property hotadd.repository.path string "/var/lib/hotadd-agent/repository" "Repository path" \
    "Where restore points are stored, an absolute path on this proxy."
  property hotadd.repository.passphrase string "" "Repository passphrase" \
    "Encrypts the repository. Keep a copy: restore points cannot be read without it." password
  cat <<XML
      <Category>Network</Category>
XML
  property hotadd.network.mode string dhcp "IP allocation" "dhcp, or static with the values below." "" \
    'ValueMap{"dhcp","static"}'
  property hotadd.network.address string "" "IP address" "Static IPv4 address (static mode only)."
  property hotadd.network.netmask string "" "Netmask" "255.255.255.0 or a prefix length such as 24 (static mode only)."
  property hotadd.network.gateway string "" "Gateway" "Default gateway (static mode only)."
  property hotadd.network.dns string "" "DNS servers" "Comma-separated IPv4 addresses (static mode only)."
  property hotadd.network.hostname string "" "Host name" "Host name of the proxy; empty keeps hotadd-proxy."
  cat <<XML
      <Category>Appliance</Category>
XML
  property hotadd.appliance.root-password string "" "Root password" \
    "Enables root login on the console for troubleshooting. Empty: no password login." password
  cat <<XML
    </ProductSection>
XML
}

# write_ovf OUT NAME VMDK CAPACITY_BYTES
write_ovf() {
  local out=$1 name=$2 vmdk=$3 capacity=$4 populated
  populated=$(( $(stat -c %b "$WORK/disk.raw") * 512 ))
  log "ovf: $OVF_VMX, PVSCSI, VMXNET3, $OVF_CPUS vCPU, $OVF_MEMORY_MB MB"
  cat > "$out" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!-- HotAdd backup proxy $(xml_escape "$VERSION"), written by ova-build/build.sh -->
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
    xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common"
    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
    xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
    xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <References>
    <File ovf:href="$(basename "$vmdk")" ovf:id="file1" ovf:size="$(stat -c %s "$vmdk")"/>
  </References>
  <DiskSection>
    <Info>Virtual disks</Info>
    <Disk ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:capacity="$capacity" ovf:capacityAllocationUnits="byte"
        ovf:populatedSize="$populated"
        ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
  </DiskSection>
  <NetworkSection>
    <Info>Logical networks</Info>
    <Network ovf:name="VM Network">
      <Description>Reaches vCenter, the ESXi hosts and the central server</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="$name">
    <Info>HotAdd backup proxy: backs up VMs by SCSI HotAdd</Info>
    <Name>hotadd-proxy</Name>
    <AnnotationSection>
      <Info>Description</Info>
      <Annotation>HotAdd backup proxy $(xml_escape "$VERSION"). Settings: vApp Options. Console shows address and health.</Annotation>
    </AnnotationSection>
    <OperatingSystemSection ovf:id="96" vmw:osType="debian10_64Guest">
      <Info>Guest operating system</Info>
      <Description>Debian GNU/Linux 12 (64-bit)</Description>
    </OperatingSystemSection>
    <VirtualHardwareSection ovf:transport="com.vmware.guestInfo">
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>hotadd-proxy</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>$OVF_VMX</vssd:VirtualSystemType>
      </System>
      <Item>
        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
        <rasd:Description>Number of virtual CPUs</rasd:Description>
        <rasd:ElementName>$OVF_CPUS virtual CPUs</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>$OVF_CPUS</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
        <rasd:Description>Memory size</rasd:Description>
        <rasd:ElementName>$OVF_MEMORY_MB MB of memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>$OVF_MEMORY_MB</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:Address>0</rasd:Address>
        <rasd:Description>SCSI controller 0: the OS disk; HotAdd adds its own PVSCSI controllers</rasd:Description>
        <rasd:ElementName>SCSI controller 0</rasd:ElementName>
        <rasd:InstanceID>3</rasd:InstanceID>
        <rasd:ResourceSubType>VirtualSCSI</rasd:ResourceSubType>
        <rasd:ResourceType>6</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AddressOnParent>0</rasd:AddressOnParent>
        <rasd:ElementName>Hard disk 1</rasd:ElementName>
        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
        <rasd:InstanceID>4</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AddressOnParent>7</rasd:AddressOnParent>
        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
        <rasd:Connection>VM Network</rasd:Connection>
        <rasd:Description>VMXNET3 network adapter</rasd:Description>
        <rasd:ElementName>Network adapter 1</rasd:ElementName>
        <rasd:InstanceID>5</rasd:InstanceID>
        <rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType>
        <rasd:ResourceType>10</rasd:ResourceType>
      </Item>
      <vmw:Config ovf:required="false" vmw:key="firmware" vmw:value="bios"/>
      <vmw:Config ovf:required="false" vmw:key="tools.syncTimeWithHost" vmw:value="false"/>
      <vmw:Config ovf:required="false" vmw:key="tools.toolsUpgradePolicy" vmw:value="manual"/>
      <vmw:ExtraConfig ovf:required="false" vmw:key="disk.EnableUUID" vmw:value="TRUE"/>
    </VirtualHardwareSection>
$(product_section)
  </VirtualSystem>
</Envelope>
XML
}

# pack_ova OVA OVF VMDK: manifest in the exact form vCenter accepts, then a GNU tar with the OVF first,
# the manifest second, the disk last, flat (no directories), owned by 0:0, with a fixed mtime.
pack_ova() {
  local ova=$1 ovf=$2 vmdk=$3 dir mf file
  dir=$(dirname "$ovf")
  mf=${ovf%.ovf}.mf
  : > "$mf"
  for file in "$ovf" "$vmdk"; do
    # Not `openssl dgst` (OpenSSL 3 prints "SHA2-256(...)") nor `sha256sum --tag` ("SHA256 (f) = ..").
    printf 'SHA256(%s)= %s\n' "$(basename "$file")" "$(sha256sum "$file" | cut -d' ' -f1)" >> "$mf"
  done
  chmod 0644 "$ovf" "$mf" "$vmdk"
  log "ova: $(basename "$ova")"
  tar --format=gnu --owner=0 --group=0 --numeric-owner --mtime="@${SOURCE_DATE_EPOCH:-0}" \
    -C "$dir" -cf "$ova.part" "$(basename "$ovf")" "$(basename "$mf")" "$(basename "$vmdk")"
  mv "$ova.part" "$ova"
}

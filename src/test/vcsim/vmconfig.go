package main

import (
	"encoding/base64"
	"net/http"
	"os"
	"path"
	"sort"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// vtpmKey is the device key vSphere gives a VM's virtual TPM.
const vtpmKey = 11000

// vmConfigRequest sets what vcsim does not model on a VM (POST /vms/{vm}/config): VM encryption's keyId and
// encryption bundle, UEFI firmware, a vTPM device, extraConfig entries, and an NVRAM file in its folder.
type vmConfigRequest struct {
	KeyID            string            `json:"keyId"`
	ProviderID       string            `json:"providerId"`
	EncryptionBundle *string           `json:"encryptionBundle"`
	Firmware         string            `json:"firmware"`
	VTPM             bool              `json:"vtpm"`
	ExtraConfig      map[string]string `json:"extraConfig"`
	NVRAM            *string           `json:"nvram"` // base64
	GuestID          string            `json:"guestId"`
	NumCPU           int32             `json:"numCpu"`
	MemoryMB         int32             `json:"memoryMb"`
	VAppProperties   map[string]string `json:"vAppProperties"` // id -> value
}

func (h *harness) postVMConfig(w http.ResponseWriter, r *http.Request, vmName string) {
	var req vmConfigRequest
	if !readJSON(w, r, &req) {
		return
	}
	var nvram []byte
	if req.NVRAM != nil {
		var err error
		if nvram, err = base64.StdEncoding.DecodeString(*req.NVRAM); err != nil {
			writeError(w, http.StatusBadRequest, "nvram is not base64: %v", err)
			return
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	vm := findVM(vmName)
	if vm == nil {
		writeError(w, http.StatusNotFound, "unknown VM %q", vmName)
		return
	}
	simulator.Map.WithLock(vm, func() { applyVMConfig(vm, req) })
	if nvram != nil {
		if err := writeNVRAM(vm, nvram); err != nil {
			writeError(w, http.StatusInternalServerError, "writing the NVRAM of %s: %v", vm.Name, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, h.describeVM(vm))
}

// applyVMConfig changes the VM's configuration in place; it runs under the VM's lock.
func applyVMConfig(vm *simulator.VirtualMachine, req vmConfigRequest) {
	if req.KeyID != "" {
		vm.Config.KeyId = &types.CryptoKeyId{KeyId: req.KeyID, ProviderId: &types.KeyProviderId{Id: req.ProviderID}}
	}
	if req.EncryptionBundle != nil {
		setExtraConfig(vm, "encryption.bundle", *req.EncryptionBundle)
	}
	for key, value := range req.ExtraConfig {
		setExtraConfig(vm, key, value)
	}
	if req.Firmware != "" {
		vm.Config.Firmware = req.Firmware
	}
	if req.GuestID != "" {
		vm.Config.GuestId = req.GuestID
	}
	if req.NumCPU > 0 {
		vm.Config.Hardware.NumCPU = req.NumCPU
	}
	if req.MemoryMB > 0 {
		vm.Config.Hardware.MemoryMB = req.MemoryMB
	}
	if len(req.VAppProperties) > 0 {
		vm.Config.VAppConfig = vAppConfigOf(req.VAppProperties)
	}
	if req.VTPM && !hasVTPM(vm.Config.Hardware.Device) {
		vm.Config.Hardware.Device = append(vm.Config.Hardware.Device, &types.VirtualTPM{
			VirtualDevice: types.VirtualDevice{Key: vtpmKey, ControllerKey: 100, UnitNumber: types.NewInt32(21),
				DeviceInfo: &types.Description{Label: "Virtual TPM", Summary: "Virtual TPM"}}})
	}
}

func setExtraConfig(vm *simulator.VirtualMachine, key, value string) {
	for _, o := range vm.Config.ExtraConfig {
		if ov := o.GetOptionValue(); ov.Key == key {
			ov.Value = value
			return
		}
	}
	vm.Config.ExtraConfig = append(vm.Config.ExtraConfig, &types.OptionValue{Key: key, Value: value})
}

func hasVTPM(devices []types.BaseVirtualDevice) bool {
	for _, d := range devices {
		if _, ok := d.(*types.VirtualTPM); ok {
			return true
		}
	}
	return false
}

// writeNVRAM puts the file where vSphere keeps it: the configuration file's name with .nvram, beside it.
func writeNVRAM(vm *simulator.VirtualMachine, content []byte) error {
	vmx := vm.Config.Files.VmPathName
	host, err := datastoreHostPath(vmx)
	if err != nil {
		return err
	}
	return os.WriteFile(path.Join(path.Dir(host), path.Base(host[:len(host)-len(path.Ext(host))])+".nvram"), content, 0600)
}

// vAppConfigOf makes vApp properties (string typed, keys in id order) with the OVF environment over tools.
func vAppConfigOf(values map[string]string) *types.VmConfigInfo {
	ids := make([]string, 0, len(values))
	for id := range values {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	cfg := &types.VmConfigInfo{OvfEnvironmentTransport: []string{"com.vmware.guestInfo"}}
	for i, id := range ids {
		cfg.Property = append(cfg.Property, types.VAppPropertyInfo{Key: int32(i), Id: id, Type: "string",
			Value: values[id], UserConfigurable: types.NewBool(true)})
	}
	return cfg
}

// applyVAppSpec does what vcsim leaves out of CreateVM_Task: the vApp properties and transports of the spec.
func applyVAppSpec(vm *simulator.VirtualMachine, spec types.BaseVmConfigSpec) {
	if spec == nil {
		return
	}
	s := spec.GetVmConfigSpec()
	cfg := &types.VmConfigInfo{OvfEnvironmentTransport: s.OvfEnvironmentTransport}
	for _, p := range s.Property {
		if p.Info != nil && p.Operation == types.ArrayUpdateOperationAdd {
			cfg.Property = append(cfg.Property, *p.Info)
		}
	}
	vm.Config.VAppConfig = cfg
}

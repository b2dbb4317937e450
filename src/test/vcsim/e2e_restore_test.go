package main

import (
	"encoding/base64"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// What a restore relies on beyond vcsim: VMs with NICs, encryption and vTPM on a VM (and in its snapshots),
// CreateVM_Task taking keyId from a CryptoSpecEncrypt, key providers that can be down, recorded requests.

func TestVMConfigEndpointSetsEncryptionVTPMAndNVRAMAndSnapshotsKeepThem(t *testing.T) {
	e := env(t)
	var vm vmJSON
	e.control(t, "POST", "/vms", map[string]interface{}{"name": "enc-src", "disks": []map[string]interface{}{
		{"capacityBytes": 1 << 20}}, "nics": []map[string]interface{}{{"network": "VM Network"}}}, &vm, http.StatusOK)
	e.control(t, "POST", "/vms/enc-src/config", map[string]interface{}{"keyId": "k-1", "providerId": "kms-1",
		"encryptionBundle": "sealed", "firmware": "efi", "vtpm": true,
		"nvram": base64.StdEncoding.EncodeToString([]byte("NVRAM"))}, nil, http.StatusOK)
	obj := e.vmObject(vm.Moref)
	snap := wait(t)(obj.CreateSnapshot(e.ctx, "s", "", false, false)).(types.ManagedObjectReference)

	var frozen mo.VirtualMachineSnapshot
	if err := property.DefaultCollector(e.client.Client).RetrieveOne(e.ctx, snap, []string{"config"}, &frozen); err != nil {
		t.Fatal(err)
	}
	cfg := frozen.Config
	if cfg.KeyId == nil || cfg.KeyId.KeyId != "k-1" || cfg.KeyId.ProviderId.Id != "kms-1" || cfg.Firmware != "efi" {
		t.Fatalf("snapshot config lacks the encryption: %+v %q", cfg.KeyId, cfg.Firmware)
	}
	if len(object.VirtualDeviceList(cfg.Hardware.Device).SelectByType((*types.VirtualTPM)(nil))) != 1 {
		t.Fatal("no vTPM in the snapshot's devices")
	}
	if len(object.VirtualDeviceList(cfg.Hardware.Device).SelectByType((*types.VirtualEthernetCard)(nil))) != 1 {
		t.Fatal("no NIC on the VM")
	}
	data, err := fileContent(t, "[LocalDS_0] enc-src/enc-src.nvram")
	if err != nil || string(data) != "NVRAM" {
		t.Fatalf("NVRAM through the file service: %q %v", data, err)
	}
	wait(t)(object.NewVirtualMachine(e.client.Client, vm.ref()).RemoveAllSnapshot(e.ctx, nil))
}

func TestCreateVMTakesTheKeyIdAndAKeyProviderThatIsDownFailsTheTask(t *testing.T) {
	e := env(t)
	e.control(t, "DELETE", "/requests", nil, nil, http.StatusOK)
	folder, pool := e.placement(t)
	spec := types.VirtualMachineConfigSpec{Name: "enc-new", GuestId: "otherGuest",
		Files: &types.VirtualMachineFileInfo{VmPathName: "[LocalDS_0]"},
		Crypto: &types.CryptoSpecEncrypt{CryptoKeyId: types.CryptoKeyId{KeyId: "k-2",
			ProviderId: &types.KeyProviderId{Id: "kms-2"}}}}
	e.control(t, "POST", "/kms", map[string]interface{}{"provider": "kms-2", "reachable": false}, nil, http.StatusOK)
	task, err := folder.CreateVM(e.ctx, spec, pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = task.WaitForResult(e.ctx, nil)
	if _, ok := faultOf(err).(*types.EncryptionKeyRequired); !ok || !strings.Contains(err.Error(), "kms-2") {
		t.Fatalf("want EncryptionKeyRequired naming kms-2, got %v", err)
	}
	if findVM("enc-new") != nil {
		t.Fatal("a VM was created although the key provider is down")
	}
	e.control(t, "POST", "/kms", map[string]interface{}{"provider": "kms-2", "reachable": true}, nil, http.StatusOK)
	ref := wait(t)(folder.CreateVM(e.ctx, spec, pool, nil)).(types.ManagedObjectReference)
	var created mo.VirtualMachine
	if err := property.DefaultCollector(e.client.Client).RetrieveOne(e.ctx, ref, []string{"config.keyId"}, &created); err != nil {
		t.Fatal(err)
	}
	if created.Config.KeyId == nil || created.Config.KeyId.KeyId != "k-2" {
		t.Fatalf("config.keyId not taken from the CryptoSpecEncrypt: %+v", created.Config.KeyId)
	}
	var recorded []requestRecord
	e.control(t, "GET", "/requests?method=CreateVM_Task", nil, &recorded, http.StatusOK)
	if len(recorded) != 2 || !strings.Contains(recorded[1].Body, "<keyId>k-2</keyId>") {
		t.Fatalf("the CreateVM_Task bodies were not recorded: %+v", recorded)
	}
	wait(t)(object.NewVirtualMachine(e.client.Client, ref).Destroy(e.ctx))
}

func (v vmJSON) ref() types.ManagedObjectReference {
	return types.ManagedObjectReference{Type: "VirtualMachine", Value: v.Moref}
}

// placement is the VM folder and resource pool of DC0_H0, where POST /vms puts VMs.
func (e *testEnv) placement(t *testing.T) (*object.Folder, *object.ResourcePool) {
	t.Helper()
	host, folder, herr := placement("DC0_H0")
	if herr != nil {
		t.Fatal(herr.msg)
	}
	pool, err := object.NewHostSystem(e.client.Client, host).ResourcePool(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return object.NewFolder(e.client.Client, folder), pool
}

// fileContent reads a datastore file where the file service serves it from.
func fileContent(t *testing.T, dsPath string) ([]byte, error) {
	t.Helper()
	host, err := datastoreHostPath(dsPath)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(host)
}

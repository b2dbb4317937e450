package main

import (
	"fmt"
	"net/http"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// diskSlots hands out (controller key, unit number) pairs for new disks, in order.
type diskSlots struct {
	device types.BaseVirtualDevice // the controller to add; nil for IDE (the VM's default IDE controllers)
	slots  [][2]int32
	used   int
}

func (s *diskSlots) next() (int32, int32, bool) {
	if s.used >= len(s.slots) {
		return 0, 0, false
	}
	slot := s.slots[s.used]
	s.used++
	return slot[0], slot[1], true
}

func unitSlots(ctrlKey int32, units int, skip int32) [][2]int32 {
	var out [][2]int32
	for u := int32(0); u < int32(units); u++ {
		if u != skip {
			out = append(out, [2]int32{ctrlKey, u})
		}
	}
	return out
}

// scsiNames maps the control API's controller kinds to govmomi's SCSI controller names.
var scsiNames = map[string]string{"pvscsi": "pvscsi", "lsilogic": "lsilogic", "lsilogic-sas": "lsilogic-sas", "buslogic": "buslogic"}

// newController makes the controller for a kind, with a new negative key (vcsim assigns the real one) and
// the next free SCSI bus number.
func newController(kind string, key *int32, scsiBus *int32) (*diskSlots, *httpError) {
	*key--
	k := *key
	switch kind {
	case "ide":
		// every new VM has IDE controllers 200 and 201 (vcsim's default devices), two units each
		return &diskSlots{slots: [][2]int32{{200, 0}, {200, 1}, {201, 0}, {201, 1}}}, nil
	case "sata":
		c := &types.VirtualAHCIController{}
		c.Key = k
		return &diskSlots{device: c, slots: unitSlots(k, 30, -1)}, nil
	case "nvme":
		c := &types.VirtualNVMEController{}
		c.Key = k
		return &diskSlots{device: c, slots: unitSlots(k, 15, -1)}, nil
	}
	name, ok := scsiNames[kind]
	if !ok {
		return nil, &httpError{http.StatusBadRequest, fmt.Sprintf("unknown controller %q (pvscsi, lsilogic, lsilogic-sas, buslogic, ide, sata, nvme)", kind)}
	}
	dev, err := object.VirtualDeviceList{}.CreateSCSIController(name)
	if err != nil {
		return nil, &httpError{http.StatusBadRequest, err.Error()}
	}
	c := dev.(types.BaseVirtualSCSIController).GetVirtualSCSIController()
	c.Key, c.BusNumber = k, *scsiBus
	*scsiBus++
	return &diskSlots{device: dev, slots: unitSlots(k, 16, 7)}, nil
}

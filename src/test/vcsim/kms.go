package main

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/vmware/govmomi/vim25/types"
)

// keyProviders models vCenter's view of its key providers (KMS clusters): all reachable unless a test says
// otherwise with POST /kms. CreateVM_Task and PowerOnVM_Task of an encrypted VM need the key from its provider.
type keyProviders struct {
	mu   sync.Mutex
	down map[string]bool
}

func newKeyProviders() *keyProviders { return &keyProviders{down: map[string]bool{}} }

func (k *keyProviders) reachable(provider string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return !k.down[provider]
}

func (h *harness) postKMS(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Provider  string `json:"provider"`
		Reachable bool   `json:"reachable"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.Provider == "" {
		writeError(w, http.StatusBadRequest, "provider is required")
		return
	}
	h.kms.mu.Lock()
	h.kms.down[req.Provider] = !req.Reachable
	h.kms.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]interface{}{"provider": req.Provider, "reachable": req.Reachable})
}

// keyUnavailable is what the harness answers when an encrypted VM's key provider is down: vSphere's
// EncryptionKeyRequired naming the key, with a message that names the provider.
func keyUnavailable(key types.CryptoKeyId) (types.BaseMethodFault, string) {
	provider := ""
	if key.ProviderId != nil {
		provider = key.ProviderId.Id
	}
	return &types.EncryptionKeyRequired{RequiredKey: []types.CryptoKeyId{key}},
		fmt.Sprintf("Cannot get the encryption key %s: the key provider '%s' is not reachable.", key.KeyId, provider)
}

// encryptKey is the key a ConfigSpec asks to encrypt with, if any.
func encryptKey(spec *types.VirtualMachineConfigSpec) *types.CryptoKeyId {
	if spec == nil || spec.Crypto == nil {
		return nil
	}
	if enc, ok := spec.Crypto.(*types.CryptoSpecEncrypt); ok {
		return &enc.CryptoKeyId
	}
	return nil
}

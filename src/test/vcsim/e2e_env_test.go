package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// The end-to-end tests run one harness in this process (vcsim's state is global) and talk to it like the
// agent would: SOAP over https with govmomi's client, the control API over http, and the fake block layer
// through the file system. VCSIM_TEST_LOOP=on|off|auto picks the publishing mode (default auto).

func TestMain(m *testing.M) {
	if os.Getenv("VCSIM_HARNESS_MAIN") == "1" { // the CLI tests run this binary as the harness
		main()
		return
	}
	code := m.Run()
	if shared != nil {
		shared.close()
	}
	os.Exit(code)
}

type testEnv struct {
	rh      *runningHarness
	ready   readyInfo
	ctx     context.Context
	client  *govmomi.Client
	dataDir string
}

var (
	shared     *testEnv
	sharedErr  error
	sharedOnce sync.Once
)

// env starts the shared harness on first use.
func env(t *testing.T) *testEnv {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = startTestEnv() })
	if sharedErr != nil {
		t.Fatalf("starting the harness: %v", sharedErr)
	}
	return shared
}

// testDataDir is on the repository's disk (target/ is ignored by git), not in /tmp, which may be tmpfs.
func testDataDir() (string, error) {
	if d := os.Getenv("VCSIM_TEST_DATA"); d != "" {
		return d, nil
	}
	return filepath.Abs(filepath.Join("..", "..", "..", "target", fmt.Sprintf("vcsim-test-%d", os.Getpid())))
}

func startTestEnv() (*testEnv, error) {
	dir, err := testDataDir()
	if err != nil {
		return nil, err
	}
	loop := os.Getenv("VCSIM_TEST_LOOP")
	if loop == "" {
		loop = "auto"
	}
	cfg, err := parseFlags([]string{"-data", dir, "-loop", loop, "-username", "agent", "-password", "s3cret"})
	if err != nil {
		return nil, err
	}
	rh, err := startHarness(cfg)
	if err != nil {
		return nil, err
	}
	e := &testEnv{rh: rh, ready: rh.ready, ctx: context.Background(), dataDir: dir}
	if e.client, err = e.login("agent", "s3cret"); err != nil {
		rh.shutdown()
		return nil, err
	}
	return e, nil
}

func (e *testEnv) close() {
	_ = e.client.Logout(e.ctx)
	e.rh.shutdown()
	if os.Getenv("VCSIM_TEST_KEEP") == "" {
		_ = os.RemoveAll(e.dataDir)
	}
}

// login connects a new client that trusts the harness certificate only by its SHA-1 thumbprint (as printed
// on the READY line).
func (e *testEnv) login(user, pass string) (*govmomi.Client, error) {
	u, err := soap.ParseURL(e.ready.URL)
	if err != nil {
		return nil, err
	}
	sc := soap.NewClient(u, false)
	sc.SetThumbprint(u.Host, e.ready.SHA1)
	vc, err := vim25.NewClient(e.ctx, sc)
	if err != nil {
		return nil, err
	}
	c := &govmomi.Client{Client: vc, SessionManager: session.NewManager(vc)}
	return c, c.Login(e.ctx, url.UserPassword(user, pass))
}

// control calls the control API; want is the expected status.
func (e *testEnv) control(t *testing.T, method, path string, body, out interface{}, want int) {
	t.Helper()
	var in io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		in = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, e.ready.Control+path, in)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	if out != nil {
		if raw, ok := out.(*[]byte); ok {
			*raw = data
		} else if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
}

// createVM makes a VM through POST /vms.
func (e *testEnv) createVM(t *testing.T, name string, cbt bool, disks ...int64) vmJSON {
	t.Helper()
	req := map[string]interface{}{"name": name, "cbt": cbt}
	var list []map[string]interface{}
	for _, size := range disks {
		list = append(list, map[string]interface{}{"capacityBytes": size})
	}
	req["disks"] = list
	var vm vmJSON
	e.control(t, "POST", "/vms", req, &vm, http.StatusOK)
	return vm
}

func (e *testEnv) vmObject(ref string) *object.VirtualMachine {
	return object.NewVirtualMachine(e.client.Client, types.ManagedObjectReference{Type: "VirtualMachine", Value: ref})
}

func (e *testEnv) devices(t *testing.T, vm *object.VirtualMachine) object.VirtualDeviceList {
	t.Helper()
	var mvm mo.VirtualMachine
	if err := property.DefaultCollector(e.client.Client).RetrieveOne(e.ctx, vm.Reference(), []string{"config.hardware.device"}, &mvm); err != nil {
		t.Fatal(err)
	}
	return mvm.Config.Hardware.Device
}

func (e *testEnv) write(t *testing.T, vm string, key int32, offset int64, pattern string, length int64) {
	t.Helper()
	body := map[string]interface{}{"offset": offset, "length": length, "pattern": pattern}
	e.control(t, "POST", fmt.Sprintf("/vms/%s/disks/%d/write", vm, key), body, nil, http.StatusOK)
}

type hashJSON struct {
	SHA256         string `json:"sha256"`
	CapacityBytes  int64  `json:"capacityBytes"`
	AllocatedBytes int64  `json:"allocatedBytes"`
}

func (e *testEnv) hash(t *testing.T, vm string, key int32, snapshot string) hashJSON {
	t.Helper()
	var h hashJSON
	path := fmt.Sprintf("/vms/%s/disks/%d/hash", vm, key)
	if snapshot != "" {
		path += "?snapshot=" + snapshot
	}
	e.control(t, "GET", path, nil, &h, http.StatusOK)
	return h
}

func (e *testEnv) violations(t *testing.T) []violation {
	var v []violation
	e.control(t, "GET", "/violations", nil, &v, http.StatusOK)
	return v
}

func (e *testEnv) deviceList(t *testing.T) []deviceJSON {
	var d []deviceJSON
	e.control(t, "GET", "/devices", nil, &d, http.StatusOK)
	return d
}

// wait(t)(vm.Method(ctx, ...)) runs a task method and waits for its result; any error fails the test.
func wait(t *testing.T) func(*object.Task, error) types.AnyType {
	return func(task *object.Task, err error) types.AnyType {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		info, err := task.WaitForResult(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return info.Result
	}
}

// eventually polls cond for up to two seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// faultOf digs the vSphere fault out of a govmomi error (a SOAP fault or a failed task).
func faultOf(err error) types.BaseMethodFault {
	if soap.IsSoapFault(err) { // decoded as a value (types.InvalidArgument), not a pointer
		v := soap.ToSoapFault(err).VimFault()
		if v == nil {
			return nil
		}
		p := reflect.New(reflect.TypeOf(v))
		p.Elem().Set(reflect.ValueOf(v))
		f, _ := p.Interface().(types.BaseMethodFault)
		return f
	}
	if te, ok := err.(interface{ Fault() types.BaseMethodFault }); ok {
		return te.Fault()
	}
	return nil
}

func itoa64(n int64) string { return fmt.Sprintf("%d", n) }

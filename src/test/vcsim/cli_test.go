package main

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// harnessProcess is this test binary started as the harness (see TestMain), as the Java extension starts it.
type harnessProcess struct {
	cmd    *exec.Cmd
	ready  readyInfo
	stdout *bufio.Reader
}

func startProcess(t *testing.T, args ...string) *harnessProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "VCSIM_HARNESS_MAIN=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &harnessProcess{cmd: cmd, stdout: bufio.NewReader(out)}
	line, err := p.stdout.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "VCSIM_READY ") {
		_ = cmd.Process.Kill()
		t.Fatalf("no READY line: %q %v", line, err)
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "VCSIM_READY ")), &p.ready); err != nil {
		t.Fatal(err)
	}
	return p
}

// stop sends SIGTERM and checks for exit status 0 and nothing more on stdout.
func (p *harnessProcess) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	rest, _ := io.ReadAll(p.stdout)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("harness exit: %v", err)
	}
	if len(rest) != 0 {
		t.Fatalf("more than the READY line on stdout: %q", rest)
	}
}

func cliDataDir(t *testing.T, name string) string {
	dir, err := testDataDir()
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(dir+"-cli", name)
	t.Cleanup(func() { _ = os.RemoveAll(filepath.Dir(dir)) })
	return dir
}

func TestTwoHarnessProcessesRunSideBySide(t *testing.T) {
	dirA := cliDataDir(t, "a")
	trace := filepath.Join(filepath.Dir(dirA), "trace.log")
	a := startProcess(t, "-data", dirA, "-loop", "off", "-username", "u1", "-password", "p1", "-trace", trace)
	b := startProcess(t, "-data", cliDataDir(t, "b"), "-loop", "off")
	defer a.stop(t)
	defer b.stop(t)
	if a.ready.URL == b.ready.URL || a.ready.Control == b.ready.Control || a.ready.SHA1 == b.ready.SHA1 {
		t.Fatalf("the two harnesses share something: %+v %+v", a.ready, b.ready)
	}
	if a.ready.Username != "u1" || a.ready.Loop || !strings.HasPrefix(a.ready.URL, "https://127.0.0.1:") {
		t.Fatalf("READY line: %+v", a.ready)
	}
	for _, p := range []*harnessProcess{a, b} {
		checkCertificate(t, p.ready)
		resp, err := http.Get(p.ready.Control + "/healthz")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("healthz: %v", err)
		}
		_ = resp.Body.Close()
	}
	retrieveServiceContent(t, a.ready)
	if data, _ := os.ReadFile(trace); !strings.Contains(string(data), " RetrieveServiceContent ServiceInstance:ServiceInstance\n") {
		t.Fatalf("trace file: %q", data)
	}
}

// retrieveServiceContent posts the one call a client makes before logging in, without any SOAP library.
func retrieveServiceContent(t *testing.T, r readyInfo) {
	t.Helper()
	const body = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
		`<soapenv:Body><RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this>` +
		`</RetrieveServiceContent></soapenv:Body></soapenv:Envelope>`
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Post(r.URL, "text/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(answer), "<apiVersion>") {
		t.Fatalf("RetrieveServiceContent: %d %s", resp.StatusCode, answer)
	}
}

// checkCertificate connects to the SOAP port and compares the certificate with the READY fingerprints.
func checkCertificate(t *testing.T, r readyInfo) {
	t.Helper()
	host := strings.TrimSuffix(strings.TrimPrefix(r.URL, "https://"), "/sdk")
	conn, err := tls.Dial("tcp", host, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	s1, s256 := fingerprints(conn.ConnectionState().PeerCertificates[0].Raw)
	if s1 != r.SHA1 || s256 != r.SHA256 || len(strings.Split(s256, ":")) != 32 {
		t.Fatalf("certificate %s / %s, READY says %s / %s", s1, s256, r.SHA1, r.SHA256)
	}
}

func readState(t *testing.T, dataDir string) harnessState {
	t.Helper()
	var st harnessState
	data, err := os.ReadFile(filepath.Join(dataDir, "state.json"))
	if err != nil || json.Unmarshal(data, &st) != nil {
		t.Fatalf("state.json: %v %s", err, data)
	}
	return st
}

func loopBacking(loop string) string {
	data, _ := os.ReadFile(filepath.Join("/sys/block", filepath.Base(loop), "loop", "backing_file"))
	return strings.TrimSpace(string(data))
}

func TestLoopDevicesAreReleasedOnSIGTERMAndAfterSIGKILL(t *testing.T) {
	if loopAvailable() != nil {
		t.Skip("loop devices need root and losetup")
	}
	dir := cliDataDir(t, "loops")
	p := startProcess(t, "-data", dir, "-loop", "on", "-proxy", "DC0_H0_VM0")
	st := readState(t, dir)
	if len(st.Loops) != 1 || st.PID != p.ready.PID || !strings.HasPrefix(loopBacking(st.Loops[0].Device), dir) {
		t.Fatalf("state.json %+v", st)
	}
	p.stop(t)
	if st2 := readState(t, dir); len(st2.Loops) != 0 || strings.HasPrefix(loopBacking(st.Loops[0].Device), dir) {
		t.Fatalf("loop device still held after SIGTERM: %+v", st2)
	}

	p = startProcess(t, "-data", dir, "-loop", "on", "-proxy", "DC0_H0_VM0")
	st = readState(t, dir)
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	if !strings.HasPrefix(loopBacking(st.Loops[0].Device), dir) {
		t.Fatal("the loop device should survive SIGKILL")
	}
	p = startProcess(t, "-data", dir, "-loop", "on") // a new harness releases what the killed one held
	defer p.stop(t)
	if back := loopBacking(st.Loops[0].Device); strings.HasPrefix(back, dir) {
		t.Fatalf("stale loop %s still backed by %s", st.Loops[0].Device, back)
	}
}

func TestCommandLineIsValidated(t *testing.T) {
	for _, args := range [][]string{{}, {"-data", "x", "-loop", "maybe"}, {"-data", "x", "-control", "0.0.0.0:0"},
		{"-data", "x", "-cbt-block", "0"}, {"-data", "x", "extra"}} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%v) accepted", args)
		}
	}
	cfg, err := parseFlags([]string{"-data", "rel", "-loop", "off"})
	if err != nil || !filepath.IsAbs(cfg.dataDir) || cfg.cbt.block != 65536 || cfg.cbt.window != 4<<30 || cfg.cbt.maxExtents != 4096 {
		t.Fatalf("defaults: %+v %v", cfg, err)
	}
}

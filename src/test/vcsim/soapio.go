package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

const envelopeOpen = `<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" ` +
	`xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ` +
	`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`

// writeSOAP answers in the envelope format vcsim (and vCenter) use. A fault is written as vCenter writes it:
// faultcode ServerFaultCode, faultstring = the message, and a detail element <XFault xsi:type="X"> holding
// the fault's fields, which is what yavijava-style clients map to their fault classes.
func writeSOAP(w http.ResponseWriter, resName string, res interface{}, fault types.BaseMethodFault, message string) {
	var out bytes.Buffer
	out.WriteString(xml.Header)
	out.WriteString(envelopeOpen)
	status := http.StatusOK
	if fault != nil {
		status = http.StatusInternalServerError
		if err := encodeFault(&out, fault, message); err != nil {
			logf("encoding %T: %v", fault, err)
		}
	} else if err := encodeResponse(&out, resName, res); err != nil {
		logf("encoding %s: %v", resName, err)
	}
	out.WriteString(`</soapenv:Body></soapenv:Envelope>`)
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(out.Bytes())
}

func encodeFault(out *bytes.Buffer, fault types.BaseMethodFault, message string) error {
	kind := reflect.TypeOf(fault).Elem().Name()
	if message == "" {
		message = kind
	}
	out.WriteString(`<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>`)
	if err := xml.EscapeText(out, []byte(message)); err != nil {
		return err
	}
	out.WriteString(`</faultstring><detail>`)
	e := xml.NewEncoder(out)
	err := e.EncodeElement(fault, xml.StartElement{
		Name: xml.Name{Local: kind + "Fault"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: "urn:vim25"}, {Name: xml.Name{Local: "xsi:type"}, Value: kind}},
	})
	if err == nil {
		err = e.Flush()
	}
	out.WriteString(`</detail></soapenv:Fault>`)
	return err
}

func encodeResponse(out *bytes.Buffer, resName string, res interface{}) error {
	e := xml.NewEncoder(out)
	if err := e.EncodeElement(res, xml.StartElement{Name: xml.Name{Space: "urn:vim25", Local: resName}}); err != nil {
		return err
	}
	return e.Flush()
}

// newFault makes an empty fault of any vim25 fault type by name ("InvalidState", "NotFound", ...).
func newFault(name string) (types.BaseMethodFault, error) {
	t, ok := types.TypeFunc()(name)
	if !ok {
		return nil, fmt.Errorf("unknown vim25 type %q", name)
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%q is not a fault type", name)
	}
	f, ok := reflect.New(t).Interface().(types.BaseMethodFault)
	if !ok {
		return nil, fmt.Errorf("%q is not a fault type", name)
	}
	return f, nil
}

// writeTaskResponse answers a *_Task method with a task reference, as <Method>Response/returnval.
func writeTaskResponse(w http.ResponseWriter, method string, task moref) {
	body := struct {
		Returnval moref `xml:"returnval"`
	}{task}
	writeSOAP(w, method+"Response", &body, nil, "")
}

// runTask runs fn as a vCenter task on obj (vcsim runs tasks synchronously) and returns its reference.
func runTask(obj moref, name string, fn func() (types.AnyType, types.BaseMethodFault)) moref {
	target := simulator.Map.Get(obj)
	if target == nil {
		target = &obj
	}
	task := simulator.CreateTask(target, name, func(*simulator.Task) (types.AnyType, types.BaseMethodFault) { return fn() })
	return task.Run()
}

var taskRefRE = regexp.MustCompile(`<returnval type="Task">([^<]+)</returnval>`)

// finishedTask finds the task a recorded *_Task response refers to; vcsim has already run it.
func finishedTask(rec *httptest.ResponseRecorder) *simulator.Task {
	m := taskRefRE.FindSubmatch(rec.Body.Bytes())
	if m == nil {
		return nil
	}
	t, _ := simulator.Map.Get(moref{Type: "Task", Value: string(m[1])}).(*simulator.Task)
	return t
}

// taskResult returns the result of a successful task, and whether it succeeded.
func taskResult(rec *httptest.ResponseRecorder) (types.AnyType, bool) {
	t := finishedTask(rec)
	if t == nil {
		return nil, false
	}
	var res types.AnyType
	var ok bool
	simulator.Map.WithLock(t, func() {
		ok = t.Info.State == types.TaskInfoStateSuccess
		res = t.Info.Result
	})
	return res, ok
}

// replay writes a recorded response to the client.
func replay(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

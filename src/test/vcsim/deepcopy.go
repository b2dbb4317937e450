package main

import "reflect"

// deepCopy returns a copy of v that shares no pointers, slices or maps with it. vcsim shares device objects
// between a VM, its snapshots and its clones (snapshot.Config = *vm.Config; CloneVM_Task hands the source's
// own devices to the new VM), so every copy the harness keeps or hands out goes through here.
func deepCopy(v interface{}) interface{} {
	if v == nil {
		return nil
	}
	return copyValue(reflect.ValueOf(v)).Interface()
}

func copyValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Ptr:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(copyValue(v.Elem()))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(copyValue(v.Elem()))
		return out
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(copyValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		return copyMap(v)
	case reflect.Struct:
		return copyStruct(v)
	default:
		return v
	}
}

func copyMap(v reflect.Value) reflect.Value {
	if v.IsNil() {
		return reflect.Zero(v.Type())
	}
	out := reflect.MakeMapWithSize(v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		out.SetMapIndex(copyValue(iter.Key()), copyValue(iter.Value()))
	}
	return out
}

// copyStruct copies the struct as a value (which also covers unexported fields such as time.Time's, which
// hold nothing mutable) and then replaces every exported field by its deep copy.
func copyStruct(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	out.Set(v)
	for i := 0; i < v.NumField(); i++ {
		if out.Field(i).CanSet() {
			out.Field(i).Set(copyValue(v.Field(i)))
		}
	}
	return out
}

package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// A small, strict request checker: each action's request is described once
// (the way its official schema describes it) and a body is refused, field by
// field, for an unknown member at any depth, a wrong JSON type, a missing
// required member or a value outside its range. Both APIs use it; each turns
// a violation into its own error answer.

type valueKind int

const (
	kString valueKind = iota + 1
	kInt
	kBool
	kBytes // a base64 string (OpenAPI format: byte)
	kObject
	kStringList
	kObjectList
)

type field struct {
	kind     valueKind
	required bool
	min, max int64 // for kInt when max > 0
	enum     []int64
	fields   map[string]field // members of kObject / items of kObjectList
}

type violationKind int

const (
	vUnknown violationKind = iota + 1
	vMissing
	vType
	vRange
	vEnum
	vFormat
	vSyntax
)

type violation struct {
	Kind    violationKind
	Path    string
	Message string
}

func (v *violation) Error() string { return v.Message }

func (k valueKind) String() string {
	switch k {
	case kString, kBytes:
		return "a string"
	case kInt:
		return "an integer"
	case kBool:
		return "a boolean"
	case kObject:
		return "an object"
	case kStringList:
		return "an array of strings"
	case kObjectList:
		return "an array of objects"
	}
	return "a value"
}

// decodeStrict checks body against the request description and, when it
// conforms, decodes it into out. An empty body is an empty object.
func decodeStrict(body []byte, schema map[string]field, out any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil || dec.More() {
		return &violation{Kind: vSyntax, Message: "The request body is not a valid JSON document."}
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return &violation{Kind: vSyntax, Message: "The request body must be a JSON object."}
	}
	if err := checkObject(obj, schema, ""); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &violation{Kind: vType, Message: fmt.Sprintf("The request body could not be read: %v", err)}
	}
	return nil
}

func checkObject(obj map[string]any, schema map[string]field, prefix string) error {
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := schema[name]; !ok {
			return &violation{Kind: vUnknown, Path: prefix + name,
				Message: fmt.Sprintf("%s%s is not a known parameter; the parameters here are: %s.", prefix, name, strings.Join(sortedKeys(schema), ", "))}
		}
	}
	for _, name := range sortedKeys(schema) {
		if _, ok := obj[name]; !ok && schema[name].required {
			return &violation{Kind: vMissing, Path: prefix + name, Message: fmt.Sprintf("%s%s is required.", prefix, name)}
		}
	}
	for _, name := range names {
		if err := checkValue(obj[name], schema[name], prefix+name); err != nil {
			return err
		}
	}
	return nil
}

func checkValue(v any, f field, path string) error {
	wrongType := func() error {
		return &violation{Kind: vType, Path: path, Message: fmt.Sprintf("%s must be %s, not %s.", path, f.kind, jsonKind(v))}
	}
	switch f.kind {
	case kString, kBytes:
		s, ok := v.(string)
		if !ok {
			return wrongType()
		}
		if f.kind == kBytes {
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				return &violation{Kind: vFormat, Path: path, Message: fmt.Sprintf("%s is not a token this API issued (it must be base64).", path)}
			}
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			return wrongType()
		}
	case kInt:
		n, ok := v.(json.Number)
		if !ok {
			return wrongType()
		}
		i, err := n.Int64()
		if err != nil {
			return wrongType()
		}
		if f.max > 0 && (i < f.min || i > f.max) {
			return &violation{Kind: vRange, Path: path, Message: fmt.Sprintf("%s %d is out of range: it must be between %d and %d.", path, i, f.min, f.max)}
		}
		if len(f.enum) > 0 && !slices.Contains(f.enum, i) {
			return &violation{Kind: vEnum, Path: path, Message: fmt.Sprintf("%s %d is not supported: allowed values are %s.", path, i, joinInts(f.enum))}
		}
	case kObject:
		o, ok := v.(map[string]any)
		if !ok {
			return wrongType()
		}
		return checkObject(o, f.fields, path+".")
	case kStringList:
		list, ok := v.([]any)
		if !ok {
			return wrongType()
		}
		for i, item := range list {
			if _, ok := item.(string); !ok {
				return &violation{Kind: vType, Path: path, Message: fmt.Sprintf("%s[%d] must be a string, not %s.", path, i, jsonKind(item))}
			}
		}
	case kObjectList:
		list, ok := v.([]any)
		if !ok {
			return wrongType()
		}
		for i, item := range list {
			o, ok := item.(map[string]any)
			if !ok {
				return &violation{Kind: vType, Path: path, Message: fmt.Sprintf("%s[%d] must be an object, not %s.", path, i, jsonKind(item))}
			}
			if err := checkObject(o, f.fields, fmt.Sprintf("%s[%d].", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "something else"
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package main

import (
	"maps"
	"testing"
)

func TestQuietUnreadLogsSetsWhatTheCLIKeeps(t *testing.T) {
	all := func(level string) map[string]string {
		return map[string]string{"TF_LOG_SDK": level, "TF_LOG_SDK_PROTO": level, "TF_LOG_SDK_FRAMEWORK": level,
			"TF_LOG_PROVIDER_OSC": level, "TF_LOG_PROVIDER_OSC_API": level}
	}
	with := func(m map[string]string, kv ...string) map[string]string {
		m = maps.Clone(m)
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		name      string
		env, want map[string]string // want: the whole environment after
	}{
		{"no logging asked for", map[string]string{}, all("OFF")},
		{"TF_LOG=debug", map[string]string{"TF_LOG": "debug"}, with(all("DEBUG"), "TF_LOG", "debug")},
		{"TF_LOG_PROVIDER wins over TF_LOG", map[string]string{"TF_LOG": "TRACE", "TF_LOG_PROVIDER": "INFO"},
			with(all("INFO"), "TF_LOG", "TRACE", "TF_LOG_PROVIDER", "INFO")},
		{"TF_LOG_CORE alone keeps no provider line", map[string]string{"TF_LOG_CORE": "TRACE"}, with(all("OFF"), "TF_LOG_CORE", "TRACE")},
		{"TF_LOG=TRACE: all kept", map[string]string{"TF_LOG": "TRACE"}, map[string]string{"TF_LOG": "TRACE"}},
		{"TF_LOG=JSON: all kept", map[string]string{"TF_LOG": "JSON"}, map[string]string{"TF_LOG": "JSON"}},
		{"an unknown level is TRACE to the CLI", map[string]string{"TF_LOG": "verbose"}, map[string]string{"TF_LOG": "verbose"}},
		{"the user's SDK level stays, and its subsystems inherit it", map[string]string{"TF_LOG_SDK": "TRACE"},
			map[string]string{"TF_LOG_SDK": "TRACE", "TF_LOG_PROVIDER_OSC": "OFF", "TF_LOG_PROVIDER_OSC_API": "OFF"}},
		{"the user's subsystem level stays", map[string]string{"TF_LOG": "WARN", "TF_LOG_PROVIDER_OSC_API": "TRACE"},
			with(all("WARN"), "TF_LOG", "WARN", "TF_LOG_PROVIDER_OSC_API", "TRACE")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := maps.Clone(tc.env)
			quietUnreadLogs(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if !maps.Equal(env, tc.want) {
				t.Errorf("environment after: %v\nwant: %v", env, tc.want)
			}
		})
	}
}

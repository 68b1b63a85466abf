package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// stateFile keeps the interfaces in a JSON file, rewritten whole after every
// change through a temporary file and a rename, so a crash leaves either the
// old or the new state, never half of one.
type stateFile struct {
	path string

	mu      sync.Mutex
	lastErr error
}

type stateDoc struct {
	Version    int      `json:"version"`
	Interfaces []record `json:"interfaces"`
}

const stateVersion = 1

// load reads the file; a missing file is an empty state.
func (f *stateFile) load() ([]record, error) {
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading state file: %w", err)
	}
	var doc stateDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("state file %s is not valid JSON: %w", f.path, err)
	}
	if doc.Version != stateVersion {
		return nil, fmt.Errorf("state file %s has version %d; this emulator reads version %d", f.path, doc.Version, stateVersion)
	}
	return doc.Interfaces, nil
}

// save writes records; an error is kept for Close to report, since a failed
// save must not fail the API call that caused it.
func (f *stateFile) save(records []record) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastErr = f.write(records)
}

func (f *stateFile) write(records []record) error {
	if records == nil {
		records = []record{}
	}
	data, err := json.MarshalIndent(stateDoc{Version: stateVersion, Interfaces: records}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), filepath.Base(f.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("saving state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("saving state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	return nil
}

func (f *stateFile) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastErr
}

package oscapi

import (
	"context"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// secrets is every secret value one client knows: its secret key and the
// BGP keys it sent or received. The list only grows, in order, so that a
// context that masks the first n of them needs only the rest added.
type secrets struct {
	mu   sync.Mutex
	list []string
	seen map[string]bool
	repl *strings.Replacer // nil until the list changes, then rebuilt on use
}

func (s *secrets) add(vals ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vals {
		if v == "" || v == masked || s.seen[v] {
			continue
		}
		if s.seen == nil {
			s.seen = map[string]bool{}
		}
		s.seen[v] = true
		s.list = append(s.list, v)
		s.repl = nil
	}
}

// since returns the secrets learnt after the first n, and how many there
// are now.
func (s *secrets) since(n int) ([]string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n >= len(s.list) {
		return nil, len(s.list)
	}
	return append([]string(nil), s.list[n:]...), len(s.list)
}

// mask replaces every known secret in text.
func (s *secrets) mask(text string) string {
	s.mu.Lock()
	if s.repl == nil {
		pairs := make([]string, 0, 2*len(s.list))
		for _, v := range s.list {
			pairs = append(pairs, v, masked)
		}
		s.repl = strings.NewReplacer(pairs...)
	}
	r := s.repl
	s.mu.Unlock()
	return r.Replace(text)
}

// learn records the BGP keys of interfaces the API returned.
func (c *Client) learn(ifs ...Interface) {
	for _, it := range ifs {
		if it.BGPKey != "" {
			c.secrets.add(it.BGPKey)
		}
	}
}

type maskedKey struct{}

// maskState is what a context already masks for one client.
type maskState struct {
	c *Client
	n int
}

// logCtx returns ctx carrying the subsystem, masking every secret c knows
// now; on a context it returned before, it adds only the newer secrets.
func (c *Client) logCtx(ctx context.Context) context.Context {
	ctx = WithLogging(ctx)
	done := 0
	if st, ok := ctx.Value(maskedKey{}).(maskState); ok && st.c == c {
		done = st.n
	}
	fresh, n := c.secrets.since(done)
	if len(fresh) == 0 && done == n && ctx.Value(maskedKey{}) != nil {
		return ctx
	}
	if len(fresh) > 0 {
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, subsystem, fresh...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, subsystem, fresh...)
	}
	return context.WithValue(ctx, maskedKey{}, maskState{c: c, n: n})
}

// MaskContext returns ctx with the root logger and the oscapi subsystem
// masking every secret c knows at this moment (see API.MaskContext).
func (c *Client) MaskContext(ctx context.Context) context.Context {
	if all, _ := c.secrets.since(0); len(all) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, all...)
		ctx = tflog.MaskMessageStrings(ctx, all...)
	}
	return c.logCtx(ctx)
}

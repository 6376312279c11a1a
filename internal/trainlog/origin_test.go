package trainlog

import "testing"

// --allow-origin is "the site's address": for a site published in a folder
// that address has a path, but a browser's Origin never does.
func TestAllowOriginWithAPathIsTheSitesOrigin(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AllowOrigin = "https://Example.org/school/" })
	pre := f.do("OPTIONS", "/api/v1/completions", "", "Origin", "https://example.org", "Access-Control-Request-Method", "POST")
	if pre.status != 204 || pre.header.Get("Access-Control-Allow-Origin") != "https://example.org" {
		t.Errorf("preflight from https://example.org with --allow-origin https://Example.org/school/: %d %v", pre.status, pre.header)
	}
	other := f.do("OPTIONS", "/api/v1/completions", "", "Origin", "https://example.org.evil.example", "Access-Control-Request-Method", "POST")
	if other.status != 403 {
		t.Errorf("preflight from another host: %d", other.status)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSecret is a token value in the seeds: whatever the rest of the file
// says, an error must never repeat it.
const fuzzSecret = "AAHfuzzSecretTokenValue0123456789"

// FuzzLoadConfig loads fuzzed TOML: it must not panic, a failure must be
// one line naming the config and never quote a secret, and a config it
// accepts must validate.
func FuzzLoadConfig(f *testing.F) {
	seeds := []string{
		"",
		"log_level = \"debug\"\n[answer]\nmax_quotes = 2\n",
		"[telegram]\ntoken = \"123456:" + fuzzSecret + "\"\n",
		"[telegram]\ntoken = \"123456:" + fuzzSecret + "\n",
		"[discord]\ntoken = '" + fuzzSecret + "'\nbogus = 1\n",
		"[[feeds]]\nurl = \"http://[::1\"\n",
		"[embedder]\nprovider = \"openai\"\napi_key = \"" + fuzzSecret + "\"\n",
		"[answer]\nthreshold = 1e999\ncandidates = -1\n",
		"data_dir = \"\\u0000\"\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	dir := f.TempDir()
	path := filepath.Join(dir, "newsbot.toml")
	f.Fuzz(func(t *testing.T, content string) {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"HOME": dir}
		c, err := loadConfig(path, func(k string) string { return env[k] })
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, "config") {
				t.Fatalf("error is not one line naming the config: %q", msg)
			}
			if strings.Contains(content, fuzzSecret) && strings.Contains(msg, fuzzSecret) {
				t.Fatalf("error reveals a secret: %q", msg)
			}
			return
		}
		if err := c.validate(); err != nil {
			t.Fatalf("accepted config does not validate: %v", err)
		}
	})
}
